#include "btfdiff/base/text.h"

#include <algorithm>
#include <cstdint>
#include <vector>

#include "absl/strings/str_format.h"

namespace kcontract {

namespace {

// EditDistance(a, b) when it is below `bound`; otherwise some value at
// least `bound`. A row's smallest cell never exceeds the next row's, so
// once a whole row has reached the bound the distance has too.
size_t EditDistanceBelow(std::string_view a, std::string_view b, size_t bound) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    size_t smallest = row[0];
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
      smallest = std::min(smallest, row[j]);
    }
    if (smallest >= bound) return bound;
  }
  return row[b.size()];
}

}  // namespace

size_t EditDistance(std::string_view a, std::string_view b) {
  return EditDistanceBelow(a, b, SIZE_MAX);
}

std::string_view ClosestMatch(std::string_view name, const std::vector<std::string_view>& candidates,
                              size_t max_distance) {
  std::string_view closest;
  size_t best = max_distance == SIZE_MAX ? SIZE_MAX : max_distance + 1;
  for (std::string_view candidate : candidates) {
    // The distance is at least the difference in length.
    const size_t gap = name.size() > candidate.size() ? name.size() - candidate.size()
                                                      : candidate.size() - name.size();
    if (gap >= best) continue;
    size_t distance = EditDistanceBelow(name, candidate, best);
    if (distance < best) {
      best = distance;
      closest = candidate;
    }
  }
  return closest;
}

std::string PrintableName(std::string_view name) {
  std::string out;
  out.reserve(name.size());
  for (char c : name) {
    auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte >= 0x7f || byte == '\\') {
      out += absl::StrFormat("\\x%02x", byte);
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace kcontract
