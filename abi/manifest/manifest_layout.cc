#include "abi/manifest/manifest_layout.h"

#include <algorithm>

#include "abi/toml/toml.h"
#include "absl/strings/str_format.h"
#include "btfdiff/base/text.h"

namespace kcontract {
namespace {

int LastLine(const toml::node& node) {
  int last = static_cast<int>(node.source().end.line);
  if (const toml::table* table = node.as_table()) {
    for (auto&& [key, value] : *table) {
      last = std::max({last, static_cast<int>(key.source().end.line), LastLine(value)});
    }
  } else if (const toml::array* array = node.as_array()) {
    for (const toml::node& element : *array) last = std::max(last, LastLine(element));
  }
  return last;
}

// Whether the table at `line` was opened by a "[[...]]" header: toml++
// places an array-of-tables element at its header, an inline table at its
// opening brace.
bool OpensWithHeader(const std::vector<std::string_view>& lines, uint32_t line) {
  if (line == 0 || line > lines.size()) return false;
  std::string_view text = StripWhitespace(lines[line - 1]);
  return text.substr(0, 2) == "[[";
}

InterfaceSpan SpanOf(const toml::table& interface, const std::vector<std::string_view>& lines) {
  InterfaceSpan span;
  span.header_line = static_cast<int>(interface.source().begin.line);
  span.last_line = LastLine(interface);
  span.is_header_table = OpensWithHeader(lines, interface.source().begin.line);
  if (const toml::array* revisions = interface["revision"].as_array()) {
    for (const toml::node& revision : *revisions) {
      if (!OpensWithHeader(lines, revision.source().begin.line)) {
        span.inline_revision_line = static_cast<int>(revision.source().begin.line);
        break;
      }
    }
  }
  return span;
}

}  // namespace

absl::StatusOr<ManifestLayout> ReadManifestLayout(std::string_view text, const std::string& path) {
  toml::parse_result parsed = toml::parse(text, std::string_view(path));
  if (!parsed) {
    const toml::parse_error& error = parsed.error();
    return absl::InvalidArgumentError(absl::StrFormat(
        "%s:%d:%d: %s", path, error.source().begin.line, error.source().begin.column,
        std::string(error.description())));
  }
  std::vector<std::string_view> lines = SplitView(text, '\n');
  ManifestLayout layout;
  if (const toml::array* interfaces = parsed.table()["interface"].as_array()) {
    for (const toml::node& element : *interfaces) {
      if (const toml::table* table = element.as_table()) {
        layout.interfaces.push_back(SpanOf(*table, lines));
      }
    }
  }
  return layout;
}

}  // namespace kcontract
