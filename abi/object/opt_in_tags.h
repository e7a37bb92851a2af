// The opt-ins a BPF object records with KCONTRACT_OPT_IN (shims/kcontract/
// opt_in.h): BTF decl tags "kcontract:optin=<token>" on dedicated variables.
// The object's BTF is untrusted: a tag that is not exactly that shape is
// reported, never taken as an opt-in.
#ifndef KCONTRACT_ABI_OBJECT_OPT_IN_TAGS_H_
#define KCONTRACT_ABI_OBJECT_OPT_IN_TAGS_H_

#include <string>
#include <string_view>
#include <vector>

#include "btfdiff/model/btf.h"

namespace kcontract {

inline constexpr std::string_view kOptInTagPrefix = "kcontract:optin=";

// A token names an interface (or the opt_in a contract gives it): letters,
// digits, '_', '.' and '-', at most kMaxOptInTokenLength bytes.
inline constexpr size_t kMaxOptInTokenLength = 128;
bool IsValidOptInToken(std::string_view token);

struct OptInTags {
  std::vector<std::string> tokens;    // sorted, unique
  std::vector<std::string> warnings;  // malformed tags, printable
};

OptInTags ReadOptInTags(const Btf& btf);

}  // namespace kcontract

#endif  // KCONTRACT_ABI_OBJECT_OPT_IN_TAGS_H_
