// Small std::string_view helpers. Debian's Abseil is built with its own
// absl::string_view (not an alias of std::string_view), so absl's StrSplit,
// StrCat and StartsWith do not take std::string_view; these fill the gap.
#ifndef KCONTRACT_BTFDIFF_BASE_TEXT_H_
#define KCONTRACT_BTFDIFF_BASE_TEXT_H_

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace kcontract {

// Splits on `separator`; keeps empty pieces unless `skip_empty`.
inline std::vector<std::string_view> SplitView(std::string_view text, char separator,
                                               bool skip_empty = false) {
  std::vector<std::string_view> pieces;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find(separator, start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view piece = text.substr(start, end - start);
    if (!skip_empty || !piece.empty()) pieces.push_back(piece);
    start = end + 1;
  }
  return pieces;
}

inline std::string_view StripWhitespace(std::string_view text) {
  size_t begin = text.find_first_not_of(" \t\r\n");
  if (begin == std::string_view::npos) return {};
  size_t end = text.find_last_not_of(" \t\r\n");
  return text.substr(begin, end - begin + 1);
}

inline bool Contains(std::string_view text, std::string_view needle) {
  return text.find(needle) != std::string_view::npos;
}

template <typename Range>
std::string Join(const Range& pieces, std::string_view separator) {
  std::string out;
  bool first = true;
  for (const auto& piece : pieces) {
    if (!first) out += separator;
    out += piece;
    first = false;
  }
  return out;
}

// Levenshtein distance between two strings.
size_t EditDistance(std::string_view a, std::string_view b);

// The candidate closest to `name` within `max_distance` edits (the first of
// equally close ones), or "" when none is: for "did you mean".
std::string_view ClosestMatch(std::string_view name, const std::vector<std::string_view>& candidates,
                              size_t max_distance = 2);

// `name` with control and non-ASCII bytes escaped as \xNN: names come from
// untrusted objects and kernels and must not forge lines in text output or
// messages.
std::string PrintableName(std::string_view name);

}  // namespace kcontract

#endif  // KCONTRACT_BTFDIFF_BASE_TEXT_H_
