// Reading a TOML file people wrote (manifests, load profiles, waivers):
// parsed by toml++ after a bounded pre-scan, with every mistake reported as
// a Diagnostic at file:line:col, unknown keys answered with "did you mean",
// and values read with their types checked. A reader derives its own
// parser from TomlDocument and calls these helpers; the document never
// throws and never stops at the first mistake.
#ifndef KCONTRACT_ABI_TOML_TOML_DOCUMENT_H_
#define KCONTRACT_ABI_TOML_TOML_DOCUMENT_H_

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "abi/toml/toml.h"
#include "btfdiff/base/diagnostic.h"

namespace kcontract {

// The most key parts (a.b.c is three) and the deepest [table.header] a
// document may have. toml++ recurses once per part; its own nesting limit
// covers only arrays and inline tables, so a file of one 140,000-part key
// would exhaust the stack. Real documents use a handful.
inline constexpr int kMaxTomlKeyParts = 64;

class TomlDocument {
 public:
  explicit TomlDocument(std::string path) : path_(std::move(path)) {}

  // Parses `text`; nullptr (with the error reported) when it is not TOML, or
  // is not UTF-8, or holds a key of more than kMaxTomlKeyParts parts.
  const toml::table* Parse(std::string_view text);

  void Error(const toml::source_region& region, std::string message);
  void Warning(const toml::source_region& region, std::string message);
  bool has_errors() const;
  // The diagnostics, by line and column.
  std::vector<Diagnostic> TakeDiagnostics();

  SourceLocation Location(const toml::source_region& region) const;
  const std::string& path() const { return path_; }

  // Unknown keys are errors: a misspelt key must not silently lose what it
  // meant. The message names the closest allowed key within two edits.
  void CheckKeys(const toml::table& table, std::span<const std::string_view> allowed,
                 std::string_view where);
  // 'format_version' present and equal to `supported`; `what` names the file.
  void CheckFormatVersion(const toml::table& root, int64_t supported, std::string_view what);

  // A string value; nullopt (with an error) when present with another type,
  // or absent and `required`. `hint` follows a type error in parentheses.
  std::optional<std::string> GetString(const toml::table& table, std::string_view key,
                                       std::string_view where, bool required,
                                       std::string_view hint = {});
  // An array of strings; `present` says whether the key was there at all.
  std::vector<std::string> GetStringArray(const toml::table& table, std::string_view key,
                                          bool* present = nullptr);
  // The node at `key`, else the table itself: where to point a diagnostic.
  static const toml::node& NodeOr(const toml::table& table, std::string_view key);

 private:
  void ReportInvalidUtf8(std::string_view text);

  std::string path_;
  std::vector<Diagnostic> diagnostics_;
  toml::parse_result parsed_;
};

// "a table", "an array", "a string", ...: for type errors.
std::string_view TomlTypeName(const toml::node& node);

// Where `text` has a dotted key or table header of more than `max_parts`
// parts: its 1-based line and column; nullopt when it has none. Strings and
// comments are skipped as TOML defines them.
struct TextPosition {
  int line = 0;
  int column = 0;
};
std::optional<TextPosition> FindDeepKey(std::string_view text, int max_parts);

}  // namespace kcontract

#endif  // KCONTRACT_ABI_TOML_TOML_DOCUMENT_H_
