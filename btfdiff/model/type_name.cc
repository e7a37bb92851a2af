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
