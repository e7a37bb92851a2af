#include "btfdiff/model/kernel_version.h"

#include <charconv>
#include <optional>

namespace kcontract {
namespace {

// Parses the decimal digits at the front of `text`, advancing past them.
// Unlike std::from_chars alone, a leading '-' is not a number here.
std::optional<int> ConsumeNumber(std::string_view& text) {
  if (text.empty() || text.front() < '0' || text.front() > '9') {
    return std::nullopt;
  }
  int value = 0;
  const char* begin = text.data();
  const auto [ptr, ec] = std::from_chars(begin, begin + text.size(), value);
  if (ec != std::errc()) return std::nullopt;  // Out of range.
  text.remove_prefix(static_cast<size_t>(ptr - begin));
  return value;
}

bool ConsumeChar(std::string_view& text, char c) {
  if (text.empty() || text.front() != c) return false;
  text.remove_prefix(1);
  return true;
}

}  // namespace

KernelVersion ParseKernelVersion(std::string_view release) {
  ConsumeChar(release, 'v');
  const std::optional<int> major = ConsumeNumber(release);
  if (!major || *major <= 0 || !ConsumeChar(release, '.')) return {};
  const std::optional<int> minor = ConsumeNumber(release);
  if (!minor) return {};
  KernelVersion version{*major, *minor, 0};
  if (ConsumeChar(release, '.')) {
    version.patch = ConsumeNumber(release).value_or(0);
  }
  return version;
}

}  // namespace kcontract
