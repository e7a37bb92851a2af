// Helpers of the BPF object reader's tests (bpf_object_test,
// bpf_object_input_test, object_show_cli_test): the objects built from
// tests/objects/*.bpf.c, lookups in a read object, and byte edits.
#ifndef KCONTRACT_TESTS_BPF_OBJECT_SUPPORT_H_
#define KCONTRACT_TESTS_BPF_OBJECT_SUPPORT_H_

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <utility>

#include "abi/object/bpf_object.h"
#include "btfdiff/base/elf_image.h"
#include "tests/test_support.h"

namespace kcontract::testing {

#define REQUIRE_TOOL(name) \
  if (!testing::HaveTool(name)) GTEST_SKIP() << "needs " << (name)

inline std::filesystem::path ObjectPath(const std::string& name) {
  return std::filesystem::path(KCONTRACT_OBJECT_DIR) / (name + ".o");
}

inline std::string Quote(const std::filesystem::path& p) { return "'" + p.string() + "'"; }

inline std::unique_ptr<BpfObject> Load(const std::string& name) {
  auto objects = ReadBpfObjects(ObjectPath(name).string());
  EXPECT_TRUE(objects.ok()) << objects.status();
  if (!objects.ok()) return nullptr;
  EXPECT_EQ(objects->size(), 1u);
  return std::move(objects->front());
}

inline const BpfProgram* FindProgram(const BpfObject& object, std::string_view name) {
  for (const BpfProgram& p : object.programs) {
    if (p.name == name) return &p;
  }
  return nullptr;
}

inline const BpfMap* FindMap(const BpfObject& object, std::string_view name) {
  for (const BpfMap& m : object.maps) {
    if (m.name == name) return &m;
  }
  return nullptr;
}

inline bool HasWarningContaining(const BpfObject& object, std::string_view text) {
  return std::any_of(object.warnings.begin(), object.warnings.end(),
                     [&](const std::string& w) { return w.find(text) != std::string::npos; });
}

// The byte range of an ELF section, found with ElfImage's lookup by name
// (the kernel readers' path), not with the object reader under test.
inline std::pair<size_t, size_t> SectionRange(const Bytes& bytes, const std::string& name) {
  auto elf = ElfImage::Open(bytes, "test");
  EXPECT_TRUE(elf.ok()) << elf.status();
  auto section = (*elf)->Section(name);
  EXPECT_TRUE(section.ok() && section->has_value()) << name;
  return {static_cast<size_t>((*section)->data.data() - bytes.data()), (*section)->data.size()};
}

inline absl::StatusOr<std::unique_ptr<BpfObject>> ReadMutated(const Bytes& bytes) {
  return ReadBpfObject(bytes, "mutated.o");
}

inline void PutLe32(Bytes& bytes, size_t offset, uint32_t value) {
  std::memcpy(bytes.data() + offset, &value, sizeof(value));
}

// `size` bytes of deterministic noise.
inline Bytes Junk(size_t size, uint8_t seed) {
  Bytes junk(size);
  uint32_t state = seed * 2654435761u + 1;
  for (uint8_t& b : junk) {
    state = state * 1103515245u + 12345u;
    b = static_cast<uint8_t>(state >> 16);
  }
  return junk;
}

}  // namespace kcontract::testing

#endif  // KCONTRACT_TESTS_BPF_OBJECT_SUPPORT_H_
