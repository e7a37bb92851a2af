#include "abi/libbpf/kconfig.h"

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "absl/strings/str_format.h"

namespace kcontract {
namespace {

// The integer libbpf stores for a number in the config; nullopt when it
// cannot parse it.
std::optional<uint64_t> ParseNumber(std::string_view value) {
  errno = 0;
  char* end = nullptr;
  std::string text(value);
  unsigned long long number = std::strtoull(text.c_str(), &end, 0);
  if (errno != 0 || end == text.c_str() || *end != '\0') return std::nullopt;
  return number;
}

}  // namespace

KcfgType KcfgTypeOf(const Btf& btf, TypeId id) {
  id = btf.SkipModsAndTypedefs(id);
  const btf_type* t = btf.Type(id);
  if (t == nullptr) return KcfgType::kUnknown;
  if (btf_is_int(t)) {
    uint32_t encoding = btf_int_encoding(t);
    if (btf_int_offset(t) != 0 || btf_int_bits(t) != t->size * 8) return KcfgType::kUnknown;
    if (encoding & BTF_INT_BOOL) return t->size == 1 ? KcfgType::kBool : KcfgType::kUnknown;
    if (encoding & BTF_INT_CHAR) return t->size == 1 ? KcfgType::kChar : KcfgType::kUnknown;
    return KcfgType::kInt;
  }
  if (btf_is_enum(t)) {
    return t->size == 4 && btf.Name(id) == "libbpf_tristate" ? KcfgType::kTristate
                                                              : KcfgType::kUnknown;
  }
  if (btf_is_array(t)) {
    return KcfgTypeOf(btf, TypeId{btf_array(t)->type}) == KcfgType::kChar ? KcfgType::kCharArray
                                                                           : KcfgType::kUnknown;
  }
  return KcfgType::kUnknown;
}

std::string KconfigValueProblem(const Btf& btf, TypeId type_id, std::string_view value) {
  KcfgType type = KcfgTypeOf(btf, type_id);
  if (value == "y" || value == "n" || value == "m") {
    if (type == KcfgType::kBool && value == "m") {
      return absl::StrFormat("value '%s' implies tristate or char type", value);
    }
    if (type == KcfgType::kBool || type == KcfgType::kTristate || type == KcfgType::kChar) {
      return "";
    }
    return absl::StrFormat("value '%s' implies bool, tristate, or char type", value);
  }
  if (!value.empty() && value[0] == '"') {
    if (type != KcfgType::kCharArray) {
      return absl::StrFormat("value '%s' implies char array type", value);
    }
    return "";
  }
  if (type != KcfgType::kInt && type != KcfgType::kChar) {
    return absl::StrFormat("value '%s' implies integer type", value);
  }
  std::optional<uint64_t> number = ParseNumber(value);
  if (!number) return absl::StrFormat("cannot parse '%s' as an integer", value);
  uint64_t size = btf.ResolveSize(type_id).value_or(0);
  if (size > 0 && size < 8 && (*number >> (8 * size)) != 0) {
    return absl::StrFormat("value '%s' doesn't fit in %d bytes", value, size);
  }
  return "";
}

std::optional<std::vector<uint8_t>> KconfigBytes(const Btf& btf, TypeId type_id,
                                                 std::optional<std::string_view> value) {
  std::optional<uint64_t> size = btf.ResolveSize(type_id);
  KcfgType type = KcfgTypeOf(btf, type_id);
  if (!size || *size == 0 || *size > 4096 || type == KcfgType::kUnknown) return std::nullopt;
  std::vector<uint8_t> bytes(*size, 0);
  if (!value) return bytes;  // not set: a weak extern reads 0
  if (!KconfigValueProblem(btf, type_id, *value).empty()) return std::nullopt;
  uint64_t number = 0;
  if (*value == "y" || *value == "n" || *value == "m") {
    char c = (*value)[0];
    switch (type) {
      case KcfgType::kChar: number = static_cast<uint8_t>(c); break;
      case KcfgType::kBool: number = c == 'y'; break;
      // enum libbpf_tristate: TRI_NO = 0, TRI_YES = 1, TRI_MODULE = 2.
      case KcfgType::kTristate: number = c == 'y' ? 1 : c == 'm' ? 2 : 0; break;
      default: return std::nullopt;
    }
  } else if ((*value)[0] == '"') {
    std::string_view text = value->substr(1);
    if (!text.empty() && text.back() == '"') text.remove_suffix(1);
    // libbpf copies at most size - 1 characters and keeps the terminator.
    std::memcpy(bytes.data(), text.data(), std::min<size_t>(text.size(), bytes.size() - 1));
    return bytes;
  } else {
    std::optional<uint64_t> parsed = ParseNumber(*value);
    if (!parsed) return std::nullopt;
    number = *parsed;
  }
  std::memcpy(bytes.data(), &number, std::min<size_t>(bytes.size(), sizeof(number)));
  return bytes;
}

std::optional<uint32_t> LinuxKernelVersionCode(KernelVersion version) {
  if (!version.known()) return std::nullopt;
  return (static_cast<uint32_t>(version.major) << 16) +
         (static_cast<uint32_t>(version.minor) << 8) +
         static_cast<uint32_t>(std::min(version.patch, 255));
}

}  // namespace kcontract
