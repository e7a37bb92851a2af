#include "abi/object/opt_in_tags.h"

#include <bpf/btf.h>

#include <algorithm>

#include "absl/strings/str_format.h"
#include "btfdiff/base/text.h"

namespace kcontract {
namespace {

bool IsTokenChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '.' || c == '-';
}

// What is wrong with one opt-in tag, or "" when it is well formed.
std::string ProblemWith(const Btf& btf, const btf_type& tag, std::string_view token) {
  if (btf.Kind(TypeId{tag.type}) != BTF_KIND_VAR) {
    return absl::StrFormat("is on a %s, not on a variable", KindName(btf.Kind(TypeId{tag.type})));
  }
  if (btf_decl_tag(&tag)->component_idx != -1) return "is on a member, not on a whole variable";
  if (token.empty()) return "names no interface";
  if (!IsValidOptInToken(token)) {
    return absl::StrFormat(
        "has a token not made of letters, digits, '_', '.' "
        "and '-' (at most %d)",
        kMaxOptInTokenLength);
  }
  return "";
}

}  // namespace

bool IsValidOptInToken(std::string_view token) {
  return !token.empty() && token.size() <= kMaxOptInTokenLength &&
         std::all_of(token.begin(), token.end(), IsTokenChar);
}

OptInTags ReadOptInTags(const Btf& btf) {
  OptInTags out;
  for (TypeId id : btf.IdsOfKind(BTF_KIND_DECL_TAG)) {
    std::string_view text = btf.Name(id);
    if (text.substr(0, kOptInTagPrefix.size()) != kOptInTagPrefix) continue;
    std::string_view token = text.substr(kOptInTagPrefix.size());
    std::string problem = ProblemWith(btf, *btf.Type(id), token);
    if (!problem.empty()) {
      out.warnings.push_back(
          absl::StrFormat("opt-in tag \"%s\" (BTF type [%d]) %s: ignored; write "
                          "KCONTRACT_OPT_IN(\"<token>\") "
                          "from <kcontract/opt_in.h>",
                          PrintableName(text.substr(0, 200)), id.value, problem));
      continue;
    }
    out.tokens.emplace_back(token);
  }
  std::sort(out.tokens.begin(), out.tokens.end());
  out.tokens.erase(std::unique(out.tokens.begin(), out.tokens.end()), out.tokens.end());
  return out;
}

}  // namespace kcontract
