#include "btfdiff/inventory/kfunc_inventory.h"

#include <algorithm>
#include <map>
#include <tuple>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_format.h"
#include "btfdiff/inventory/btf_ids.h"
#include "btfdiff/model/c_decl.h"
#include "btfdiff/model/kf_flags.h"

namespace kcontract {
namespace {

constexpr std::string_view kKfuncTag = "bpf_kfunc";

// Builds the set for one BTF blob (vmlinux or one module).
class BlobCollector {
 public:
  BlobCollector(const Btf& btf, std::optional<std::string> module, KernelVersion version)
      : btf_(btf), module_(std::move(module)), version_(version) {}

  void AddDeclTags() {
    // Every id of the blob is in range: ask libbpf directly, this loop runs
    // once per type (~130k in a distribution vmlinux).
    const struct btf* raw_btf = btf_.libbpf();
    for (uint32_t raw = btf_.first_id().value; raw < btf_.end_id().value; ++raw) {
      const btf_type* t = btf__type_by_id(raw_btf, raw);
      if (btf_kind(t) != BTF_KIND_DECL_TAG || btf_decl_tag(t)->component_idx != -1) continue;
      if (btf_.String(t->name_off) != kKfuncTag) continue;
      TypeId target{t->type};
      if (btf_.Kind(target) != BTF_KIND_FUNC) continue;
      Entry(target).methods |= static_cast<uint8_t>(KfuncMethod::kDeclTag);
    }
  }

  void AddSet8(const Set8Record& record) {
    for (const Set8Entry& entry : record.entries) {
      // An id below this blob's range would name a vmlinux function from a
      // module set; ids are only meaningful in their own blob.
      if (entry.id < btf_.first_id()) continue;
      Kfunc& kfunc = Entry(entry.id);
      kfunc.methods |= static_cast<uint8_t>(KfuncMethod::kBtfIdsSet8);
      kfunc.flags = kfunc.flags.value_or(0) | entry.flags;
      if (!record.name.empty() &&
          std::find(kfunc.sets.begin(), kfunc.sets.end(), record.name) == kfunc.sets.end()) {
        kfunc.sets.push_back(record.name);
      }
    }
  }

  void MoveInto(KfuncSet& out) {
    for (auto& [id, kfunc] : by_id_) {
      if (kfunc.flags) {
        DecodedKfFlags decoded = DecodeKfFlags(*kfunc.flags, version_);
        kfunc.flag_names = std::move(decoded.names);
        kfunc.unknown_flag_bits = decoded.unknown_bits;
      }
      out.methods_used |= kfunc.methods;
      out.kfuncs.push_back(std::move(kfunc));
    }
  }

 private:
  Kfunc& Entry(TypeId id) {
    auto [it, inserted] = by_id_.try_emplace(id.value);
    if (inserted) {
      it->second.name = std::string(btf_.Name(id));
      it->second.id = id;
      it->second.proto = CFunctionDeclaration(btf_, id);
      it->second.module = module_;
    }
    return it->second;
  }

  const Btf& btf_;
  std::optional<std::string> module_;
  KernelVersion version_;
  std::map<uint32_t, Kfunc> by_id_;
};

void CollectSet8(const BtfIdsSection& ids, const Btf& btf, KernelVersion version,
                 BlobCollector& collector, std::vector<std::string>* warnings) {
  std::vector<Set8Record> records;
  bool has_set_symbols = std::any_of(ids.symbols.begin(), ids.symbols.end(),
                                     [](const ElfSymbol& s) {
                                       return s.name.rfind("__BTF_ID__set8__", 0) == 0;
                                     });
  if (has_set_symbols) {
    ElfSection section{ids.data, ids.address, ids.index};
    records = ReadSet8BySymbols(section, ids.symbols, btf, warnings);
  } else {
    records = ScanSet8Records(ids.data, btf, version);
  }
  for (const Set8Record& record : records) collector.AddSet8(record);
}

}  // namespace

std::vector<std::string> KfuncMethodNames(uint8_t methods) {
  std::vector<std::string> names;
  if (methods & static_cast<uint8_t>(KfuncMethod::kDeclTag)) names.push_back("decl_tag");
  if (methods & static_cast<uint8_t>(KfuncMethod::kBtfIdsSet8)) names.push_back("btf_ids");
  return names;
}

std::string KfuncsUnknowable(const KernelBtf& kernel, const KfuncSet& kfuncs) {
  if (kfuncs.methods_used != 0) return "";
  bool btf_ids = kernel.vmlinux_btf_ids.has_value();
  for (const ModuleBtf& module : kernel.modules) btf_ids |= module.btf_ids.has_value();
  // .BTF_ids that yield nothing is a kernel without kfuncs, not a blind spot.
  if (btf_ids) return "";
  return "its BTF has no bpf_kfunc decl tags (made by pahole < 1.27) and the source has no "
         ".BTF_ids (raw BTF, not the kernel image), so no kfunc can be told from other kernel "
         "functions: a kfunc extern is judged by the functions of its BTF alone, and whether "
         "the kernel registers one as a kfunc, for which program types and with which KF_* "
         "flags, cannot be known (give the kernel image, its package or a directory holding "
         "it)";
}

const Kfunc* KfuncSet::Find(std::string_view name,
                            std::optional<std::string_view> module) const {
  for (const Kfunc& kfunc : kfuncs) {
    if (kfunc.name != name) continue;
    if (module && kfunc.module != std::optional<std::string>(std::string(*module))) continue;
    return &kfunc;
  }
  return nullptr;
}

KfuncSet CollectKfuncs(const KernelBtf& kernel) {
  KfuncSet set;
  KernelVersion version = kernel.version();
  if (kernel.vmlinux) {
    BlobCollector collector(*kernel.vmlinux, std::nullopt, version);
    collector.AddDeclTags();
    if (kernel.vmlinux_btf_ids) {
      CollectSet8(*kernel.vmlinux_btf_ids, *kernel.vmlinux, version, collector, &set.warnings);
    }
    collector.MoveInto(set);
  }
  for (const ModuleBtf& module : kernel.modules) {
    BlobCollector collector(*module.btf, module.name, version);
    collector.AddDeclTags();
    if (module.btf_ids) {
      CollectSet8(*module.btf_ids, *module.btf, version, collector, &set.warnings);
    }
    collector.MoveInto(set);
  }
  std::stable_sort(set.kfuncs.begin(), set.kfuncs.end(), [](const Kfunc& a, const Kfunc& b) {
    return std::tie(a.module, a.name) < std::tie(b.module, b.name);
  });
  return set;
}

}  // namespace kcontract
