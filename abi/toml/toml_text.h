// Writing TOML by hand, a line at a time: the manifest writer emits text a
// person will read and edit, so it controls every byte rather than letting
// a serialiser reorder or reformat what people wrote.
#ifndef KCONTRACT_ABI_TOML_TOML_TEXT_H_
#define KCONTRACT_ABI_TOML_TOML_TEXT_H_

#include <string>
#include <string_view>
#include <vector>

namespace kcontract {

// True when `text` is well-formed UTF-8 (no overlong forms, surrogates or
// code points above U+10FFFF): TOML documents must be.
bool IsValidUtf8(std::string_view text);

// The offset of the first byte of `text` that is not part of well-formed
// UTF-8, or npos.
size_t FirstInvalidUtf8(std::string_view text);

// `text` as a TOML basic string, quotes included: '"' and '\' escaped,
// control characters (and DEL) as \b \t \n \f \r or \uXXXX. Bytes of
// malformed UTF-8 become U+FFFD, so the result is always valid TOML;
// callers that must round-trip check IsValidUtf8 first.
std::string TomlString(std::string_view text);

// `key = ["a", "b"]` with one element per line, as signatures are written:
//   key = [
//     "a",
//     "b",
//   ]
std::string TomlStringArrayLines(std::string_view key, const std::vector<std::string>& values);

}  // namespace kcontract

#endif  // KCONTRACT_ABI_TOML_TOML_TEXT_H_
