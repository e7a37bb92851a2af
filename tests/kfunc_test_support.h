// What the kfunc inventory tests share (kfunc_inventory_test.cc: decl tags
// and the CLI's JSON; kfunc_btf_ids_test.cc: .BTF_ids set8 records): the
// shared kernels they read with their kfuncs collected once per process,
// bpftool's raw dump of a BTF file parsed, and the check of kfuncs against
// that dump.
#ifndef KCONTRACT_TESTS_KFUNC_TEST_SUPPORT_H_
#define KCONTRACT_TESTS_KFUNC_TEST_SUPPORT_H_

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "btfdiff/inventory/kfunc_inventory.h"
#include "btfdiff/model/kernel_btf.h"
#include "gtest/gtest.h"
#include "tests/test_support.h"

namespace kcontract::testing {

inline constexpr char kDebian61[] = "debian-6.1.0-50-amd64";
inline constexpr char kDebian612[] = "debian-6.12.111-amd64";
inline constexpr char kHost618[] = "host-6.18.44";

// --- bpftool's raw dump, parsed -------------------------------------------

struct DumpMember {
  std::string name;
  int64_t type_id = -1;
};

// Only the kinds these tests read are kept (FUNC, FUNC_PROTO, DECL_TAG): a
// 6.18 dump has 300k lines, and the suite also runs unoptimised under ASan.
struct DumpType {
  std::string kind;  // empty: a kind not kept
  std::string name;
  int64_t type_id = -1;        // FUNC, DECL_TAG (type_id=)
  int64_t component_idx = -2;  // DECL_TAG
  std::vector<DumpMember> members;  // FUNC_PROTO params
};

struct BtfDump {
  uint32_t first_id = 0;
  std::vector<DumpType> types;  // types[id - first_id]
  size_t count = 0;             // every type bpftool printed

  const DumpType* Find(int64_t id) const {
    if (id < first_id || id - first_id >= static_cast<int64_t>(types.size())) return nullptr;
    const DumpType& type = types[id - first_id];
    return type.kind.empty() ? nullptr : &type;
  }
  std::set<std::string> FuncNames() const {
    std::set<std::string> names;
    for (const DumpType& type : types) {
      if (type.kind == "FUNC") names.insert(type.name);
    }
    return names;
  }
  // FUNC id -> name for every `DECL_TAG 'bpf_kfunc' ... component_idx=-1`.
  std::map<uint32_t, std::string> KfuncDeclTags() const {
    std::map<uint32_t, std::string> tagged;
    for (const DumpType& type : types) {
      if (type.kind != "DECL_TAG" || type.name != "bpf_kfunc" || type.component_idx != -1) {
        continue;
      }
      const DumpType* target = Find(type.type_id);
      if (target != nullptr && target->kind == "FUNC") {
        tagged[static_cast<uint32_t>(type.type_id)] = target->name;
      }
    }
    return tagged;
  }
};

BtfDump ParseBpftoolDump(std::string_view text);

// bpftool's dump of `file` (with `base` for split BTF), parsed; cached.
// nullptr, with the command's failure in *error, when bpftool fails.
const BtfDump* BpftoolDump(const std::filesystem::path& file, const std::filesystem::path& base,
                           std::string* error);

// --- kernels and their kfuncs, loaded once per process --------------------

struct LoadedKernel {
  const KernelBtf* kernel = nullptr;  // LoadKernelOnce's
  std::filesystem::path vmlinux_btf;  // the vmlinux raw BTF, written for bpftool
  KfuncSet kfuncs;

  std::vector<const Kfunc*> ModuleKfuncs(const std::optional<std::string>& module) const;
};

// nullptr, with the reason in *error, when `source` cannot be read.
const LoadedKernel* LoadKfuncs(const std::string& source, std::string* error);

bool HaveBpftool();

#define REQUIRE_TOOL(name)                                      \
  do {                                                          \
    if (!::kcontract::testing::HaveTool(name)) GTEST_SKIP() << "needs " << (name); \
  } while (0)

#define REQUIRE_BPFTOOL()                                        \
  do {                                                           \
    if (!::kcontract::testing::HaveBpftool()) GTEST_SKIP() << "needs bpftool in PATH"; \
  } while (0)

#define LOAD_OR_FAIL(var, source)                      \
  std::string var##_error;                             \
  const ::kcontract::testing::LoadedKernel* var =      \
      ::kcontract::testing::LoadKfuncs((source), &var##_error); \
  ASSERT_NE(var, nullptr) << var##_error

#define DUMP_OR_FAIL(var, file, base)                         \
  std::string var##_error;                                    \
  const ::kcontract::testing::BtfDump* var =                  \
      ::kcontract::testing::BpftoolDump((file), (base), &var##_error); \
  ASSERT_NE(var, nullptr) << var##_error

// --- sets of names ---------------------------------------------------------

std::string Join(const std::set<std::string>& names);
std::set<std::string> Minus(const std::set<std::string>& a, const std::set<std::string>& b);
std::set<std::string> Intersect(const std::set<std::string>& a, const std::set<std::string>& b);
std::set<std::string> NamesOf(const std::vector<const Kfunc*>& kfuncs);

// Each kfunc's id must be a FUNC named like it in bpftool's dump, and its
// prototype must list that FUNC_PROTO's parameters, by name, in order.
void ExpectIdsAndPrototypesMatchDump(const std::vector<const Kfunc*>& kfuncs,
                                     const BtfDump& dump, const std::string& what);

}  // namespace kcontract::testing

#endif  // KCONTRACT_TESTS_KFUNC_TEST_SUPPORT_H_
