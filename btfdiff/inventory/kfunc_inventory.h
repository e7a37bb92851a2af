// KfuncSet: the kfuncs a kernel offers BPF programs, found by every method
// the source allows: `bpf_kfunc` decl tags (pahole >= 1.27), and the
// .BTF_ids set8 records of vmlinux and of each module (which also carry the
// KF_* flags).
#ifndef KCONTRACT_BTFDIFF_INVENTORY_KFUNC_INVENTORY_H_
#define KCONTRACT_BTFDIFF_INVENTORY_KFUNC_INVENTORY_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "btfdiff/model/btf.h"
#include "btfdiff/model/kernel_btf.h"

namespace kcontract {

enum class KfuncMethod : uint8_t {
  kDeclTag = 1 << 0,     // a "bpf_kfunc" BTF decl tag on the FUNC
  kBtfIdsSet8 = 1 << 1,  // an entry of a .BTF_ids set8 record
};

// Names as printed in "found_by": "decl_tag", "btf_ids".
std::vector<std::string> KfuncMethodNames(uint8_t methods);

struct Kfunc {
  std::string name;
  TypeId id;                     // the FUNC, in the vmlinux or module BTF
  std::string proto;             // C prototype rendered from BTF
  std::optional<uint32_t> flags; // raw KF_* bits; nullopt when no set8 says
  std::vector<std::string> flag_names;
  uint32_t unknown_flag_bits = 0;
  std::optional<std::string> module;  // nullopt for vmlinux
  uint8_t methods = 0;           // KfuncMethod bits
  std::vector<std::string> sets; // set8 names, when symbols give them
};

struct KfuncSet {
  std::vector<Kfunc> kfuncs;  // sorted by (module, name)
  uint8_t methods_used = 0;   // which methods found anything
  std::vector<std::string> warnings;

  const Kfunc* Find(std::string_view name, std::optional<std::string_view> module = {}) const;
};

KfuncSet CollectKfuncs(const KernelBtf& kernel);

// When no method finds a kfunc in the kernel as given (its BTF made by a
// pahole older than 1.27, so no bpf_kfunc decl tags, and no .BTF_ids: raw
// BTF rather than the image), what can then not be known, in words a
// maintainer can act on; "" when a method found kfuncs.
std::string KfuncsUnknowable(const KernelBtf& kernel, const KfuncSet& kfuncs);

}  // namespace kcontract

#endif  // KCONTRACT_BTFDIFF_INVENTORY_KFUNC_INVENTORY_H_
