#include "btfdiff/model/type_name.h"

#include <bpf/btf.h>

#include "absl/strings/str_format.h"

namespace kcontract {

std::string_view KindKeyword(uint32_t kind) {
  switch (kind) {
    case BTF_KIND_STRUCT: return "struct";
    case BTF_KIND_UNION: return "union";
    case BTF_KIND_ENUM:
    case BTF_KIND_ENUM64: return "enum";
    default: return "";
  }
}

std::string TypeNameWithKeyword(const Btf& btf, TypeId id) {
  std::string_view keyword = KindKeyword(btf.Kind(id));
  std::string_view name = btf.Name(id);
  if (keyword.empty()) return std::string(name);
  return absl::StrFormat("%s %s", keyword, name);
}

std::string KernelTypeInterfaceName(const Btf& btf, TypeId id) {
  uint32_t kind = btf.Kind(id);
  if (btf.Name(id).empty() || (KindKeyword(kind).empty() && kind != BTF_KIND_TYPEDEF)) return {};
  return TypeNameWithKeyword(btf, id);
}

KeywordAndName SplitKindKeyword(std::string_view c_name) {
  for (std::string_view keyword : {"struct", "union", "enum"}) {
    if (c_name.size() > keyword.size() && c_name.starts_with(keyword) &&
        c_name[keyword.size()] == ' ') {
      return {keyword, c_name.substr(keyword.size() + 1)};
    }
  }
  return {"", c_name};
}

KernelTypeIndex::KernelTypeIndex(const KernelBtf& kernel) {
  if (kernel.vmlinux) AddBlob(*kernel.vmlinux, std::nullopt);
  for (const ModuleBtf& module : kernel.modules) AddBlob(*module.btf, module.name);
}

void KernelTypeIndex::AddBlob(const Btf& btf, const std::optional<std::string>& module) {
  // Asks libbpf directly: this runs once per type of a distribution vmlinux.
  const struct btf* raw_btf = btf.libbpf();
  for (uint32_t raw = btf.first_id().value; raw < btf.end_id().value; ++raw) {
    const btf_type* t = btf__type_by_id(raw_btf, raw);
    if (t == nullptr || t->name_off == 0) continue;
    std::string name = KernelTypeInterfaceName(btf, TypeId{raw});
    if (name.empty()) continue;
    by_name_.try_emplace(std::move(name), KernelTypeLocation{&btf, TypeId{raw}, module});
  }
}

std::optional<KernelTypeLocation> KernelTypeIndex::Find(std::string_view name) const {
  if (auto it = by_name_.find(std::string(name)); it != by_name_.end()) return it->second;
  if (name.find(' ') != std::string_view::npos) return std::nullopt;
  for (std::string_view keyword : {"struct", "union", "enum"}) {
    auto it = by_name_.find(absl::StrFormat("%s %s", keyword, name));
    if (it != by_name_.end()) return it->second;
  }
  return std::nullopt;
}

std::string_view EssentialName(std::string_view name) {
  // libbpf: the name up to the last "X___Y" separator, X and Y not '_'.
  if (name.size() < 5) return name;
  for (size_t i = name.size() - 5 + 1; i-- > 0;) {
    if (name[i] != '_' && name[i + 1] == '_' && name[i + 2] == '_' && name[i + 3] == '_' &&
        name[i + 4] != '_') {
      return name.substr(0, i + 1);
    }
  }
  return name;
}

}  // namespace kcontract
