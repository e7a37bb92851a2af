// ELF files held in memory (vmlinux, kernel modules, BPF objects), read with
// libelf: sections by name, symbols, and the facts needed to classify them.
#ifndef KCONTRACT_BTFDIFF_BASE_ELF_IMAGE_H_
#define KCONTRACT_BTFDIFF_BASE_ELF_IMAGE_H_

#include <gelf.h>
#include <libelf.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "btfdiff/base/bytes.h"

namespace kcontract {

bool IsElf(ByteView bytes);

struct ElfSection {
  ByteView data;
  uint64_t address = 0;  // sh_addr: 0 in relocatable files
  uint32_t index = 0;
};

struct ElfSymbol {
  std::string name;
  uint64_t value = 0;
  uint64_t size = 0;
  uint32_t section_index = 0;
};

class ElfImage {
 public:
  // Parses the ELF headers of `bytes`, which must outlive the result.
  static absl::StatusOr<std::unique_ptr<ElfImage>> Open(ByteView bytes,
                                                        std::string_view what);
  ~ElfImage();
  ElfImage(const ElfImage&) = delete;
  ElfImage& operator=(const ElfImage&) = delete;

  uint16_t machine() const { return machine_; }
  uint16_t type() const { return type_; }  // ET_EXEC, ET_REL, ...

  // The contents of the named section, nullopt when absent. Fails when the
  // section header points outside the file.
  absl::StatusOr<std::optional<ElfSection>> Section(std::string_view name) const;
  // Index of the named section, 0 when absent.
  uint32_t SectionIndex(std::string_view name) const;
  bool HasSection(std::string_view name) const { return SectionIndex(name) != 0; }

  // Symbols from .symtab (empty when stripped).
  absl::StatusOr<std::vector<ElfSymbol>> Symbols() const;

  const std::string& what() const { return what_; }

 private:
  ElfImage() = default;

  ByteView bytes_;
  std::string what_;
  Elf* elf_ = nullptr;
  uint16_t machine_ = 0;
  uint16_t type_ = 0;
  size_t shstrndx_ = 0;
};

}  // namespace kcontract

#endif  // KCONTRACT_BTFDIFF_BASE_ELF_IMAGE_H_
