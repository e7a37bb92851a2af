#include "abi/toml/toml_document.h"

#include <algorithm>
#include <utility>
#include <vector>

#include "abi/toml/toml_text.h"
#include "absl/strings/str_format.h"
#include "btfdiff/base/text.h"

namespace kcontract {
namespace {

bool IsBareKeyChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '-';
}

// A forward scan over TOML text that knows where strings and comments are.
class TomlScanner {
 public:
  explicit TomlScanner(std::string_view text) : text_(text) {}

  std::optional<TextPosition> FindDeepKey(int max_parts) {
    int parts = 0;
    TextPosition run_start;
    while (pos_ < text_.size()) {
      char c = text_[pos_];
      bool token = false;
      TextPosition token_start = Here();
      if (c == '#') {
        while (pos_ < text_.size() && text_[pos_] != '\n') Advance();
        parts = 0;
        continue;
      }
      if (c == '"' || c == '\'') {
        SkipString(c);
        token = true;
      } else if (IsBareKeyChar(c)) {
        while (pos_ < text_.size() && IsBareKeyChar(text_[pos_])) Advance();
        token = true;
      } else {
        Advance();
        parts = 0;
        continue;
      }
      if (parts == 0) run_start = token_start;
      ++parts;
      if (parts > max_parts) return run_start;
      // A run goes on through a dot, with blanks around it.
      size_t look = pos_;
      while (look < text_.size() && (text_[look] == ' ' || text_[look] == '\t')) ++look;
      if (!token || look >= text_.size() || text_[look] != '.') {
        parts = 0;
        continue;
      }
      while (pos_ <= look) Advance();
      while (pos_ < text_.size() && (text_[pos_] == ' ' || text_[pos_] == '\t')) Advance();
    }
    return std::nullopt;
  }

  // Where a non-ASCII character sits where toml++ 3.3.0 asks whether it is
  // whitespace: outside strings and comments (where TOML allows none), or
  // in a multi-line basic string from a backslash to the next non-blank
  // character. Its table of non-ASCII blanks reaches __builtin_unreachable
  // for most of U+00A1..U+0499 (a promise to the optimiser that such text
  // breaks), so that text is refused before toml++ sees it. Quoted keys and
  // all other string contents are read without that question.
  //
  // Whether a quote opens a string depends on where it stands, so the scan
  // follows TOML's grammar as far as that needs: a quote opens a string
  // where a key or a value starts; a value that starts with anything else
  // (a number, a date, a typo) is read by toml++ up to the next blank, ',',
  // ']', '}' or '#', asking of each character on the way whether it ends
  // the value, quotes included (`5'x'`, `5['x'`). Where the text breaks the
  // grammar toml++ stops with an error; the scan then treats a quote as
  // opening nothing, which can only refuse such text earlier.
  struct NonAsciiAt {
    TextPosition at;
    bool in_string;  // after a backslash in a multi-line string
  };
  std::optional<NonAsciiAt> FindUnaskableNonAscii() {
    enum class Expect { kKey, kValue, kAfterValue };
    Expect expect = Expect::kKey;
    std::vector<char> open;  // '[' arrays, '{' inline tables, 'h' a table header
    auto after_separator = [&] {
      return open.empty() || open.back() == '{' || open.back() == 'h' ? Expect::kKey
                                                                       : Expect::kValue;
    };
    while (pos_ < text_.size()) {
      const char c = text_[pos_];
      if (IsNonAscii(c)) return NonAsciiAt{Here(), false};
      if (c == ' ' || c == '\t' || c == '\r') {
        Advance();
        continue;
      }
      if (c == '#') {
        while (pos_ < text_.size() && text_[pos_] != '\n') Advance();
        continue;
      }
      if (c == '\n') {
        Advance();
        if (open.empty() || open.back() != '[') {
          open.clear();  // a line ends headers and inline tables (or breaks them)
          expect = Expect::kKey;
        }
        continue;
      }
      const bool starts = expect != Expect::kAfterValue;
      if ((c == '"' || c == '\'') && starts) {
        if (c == '"') {
          if (std::optional<TextPosition> bad = ScanBasicString()) return NonAsciiAt{*bad, true};
        } else {
          SkipString(c);
        }
        if (expect == Expect::kValue) expect = Expect::kAfterValue;
        continue;
      }
      Advance();
      switch (c) {
        case '[':
          if (expect == Expect::kValue) {
            open.push_back('[');
          } else if (expect == Expect::kKey && open.empty()) {
            if (pos_ < text_.size() && text_[pos_] == '[') Advance();
            open.push_back('h');
          }
          continue;
        case '{':
          if (expect == Expect::kValue) {
            open.push_back('{');
            expect = Expect::kKey;
          }
          continue;
        case ']':
        case '}':
          if (!open.empty()) open.pop_back();
          expect = Expect::kAfterValue;
          continue;
        case '=':
          expect = Expect::kValue;
          continue;
        case ',':
          expect = after_separator();
          continue;
        case '.':
          continue;
        default:
          break;
      }
      if (expect == Expect::kKey && IsBareKeyChar(c)) {
        while (pos_ < text_.size() && IsBareKeyChar(text_[pos_])) Advance();
        continue;
      }
      // A bare value, or text toml++ refuses: read on to what ends a value.
      while (pos_ < text_.size()) {
        const char v = text_[pos_];
        if (IsBlank(v) || v == ',' || v == ']' || v == '}' || v == '#') break;
        if (IsNonAscii(v)) return NonAsciiAt{Here(), false};
        Advance();
      }
      expect = Expect::kAfterValue;
    }
    return std::nullopt;
  }

  // Where a table header ('[' or '[[' first on a line) starts with no key:
  // toml++ 3.3 asserts there (parse_key: an abort in a build without
  // NDEBUG, an __builtin_assume broken with it) instead of reporting it.
  std::optional<TextPosition> FindHeaderWithoutKey() {
    bool line_start = true;
    while (pos_ < text_.size()) {
      const char c = text_[pos_];
      if (c == '\n') {
        Advance();
        line_start = true;
      } else if (c == ' ' || c == '\t' || c == '\r') {
        Advance();
      } else if (c == '#') {
        while (pos_ < text_.size() && text_[pos_] != '\n') Advance();
      } else if (c == '"' || c == '\'') {
        SkipString(c);
        line_start = false;
      } else if (c == '[' && line_start) {
        size_t look = pos_ + 1;
        if (look < text_.size() && text_[look] == '[') ++look;
        while (look < text_.size() && (text_[look] == ' ' || text_[look] == '\t')) ++look;
        if (look < text_.size()) {
          const char k = text_[look];
          if (!IsBareKeyChar(k) && k != '"' && k != '\'' && k != ']') {
            while (pos_ < look) Advance();
            return Here();
          }
        }
        Advance();
        line_start = false;
      } else {
        Advance();
        line_start = false;
      }
    }
    return std::nullopt;
  }

 private:
  TextPosition Here() const { return TextPosition{line_, column_}; }

  void Advance() {
    char c = text_[pos_++];
    if (c == '\n') {
      ++line_;
      column_ = 1;
    } else if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) {
      ++column_;  // columns count characters, as toml++'s do
    }
  }

  static bool IsNonAscii(char c) { return (static_cast<unsigned char>(c) & 0x80) != 0; }
  static bool IsBlank(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

  // Reads a basic string as SkipString does, returning where a non-ASCII
  // character stands where toml++ asks whether it is whitespace: in a
  // multi-line string, the character after each backslash (a blank there
  // makes it a line-ending backslash), and after such a backslash every
  // blank and the first character that is not one, which is then read as
  // any other (a backslash there starts another escape).
  std::optional<TextPosition> ScanBasicString() {
    bool multi = text_.substr(pos_, 3) == "\"\"\"";
    for (int i = 0; i < (multi ? 3 : 1); ++i) Advance();
    enum class State { kText, kEscaped, kTrimming } state = State::kText;
    while (pos_ < text_.size()) {
      const char c = text_[pos_];
      if (state != State::kText) {
        if (IsNonAscii(c)) return Here();
        if (IsBlank(c)) {
          state = State::kTrimming;
          Advance();
          continue;
        }
        if (state == State::kEscaped) Advance();  // the escaped character
        state = State::kText;
        continue;
      }
      if (c == '\\') {
        Advance();
        if (multi) {
          state = State::kEscaped;
        } else if (pos_ < text_.size()) {
          Advance();
        }
        continue;
      }
      if (!multi && c == '\n') return std::nullopt;  // unterminated: toml++ reports it
      if (c == '"' && (!multi || text_.substr(pos_, 3) == "\"\"\"")) {
        for (int i = 0; i < (multi ? 3 : 1); ++i) Advance();
        return std::nullopt;
      }
      Advance();
    }
    return std::nullopt;
  }

  // Skips a basic ("...", """...""") or literal ('...', '''...''') string.
  void SkipString(char quote) {
    bool multi = text_.substr(pos_, 3) == std::string(3, quote);
    for (int i = 0; i < (multi ? 3 : 1); ++i) Advance();
    while (pos_ < text_.size()) {
      char c = text_[pos_];
      if (quote == '"' && c == '\\') {
        Advance();
        if (pos_ < text_.size()) Advance();
        continue;
      }
      if (!multi && c == '\n') return;  // unterminated: toml++ reports it
      if (c == quote && (!multi || text_.substr(pos_, 3) == std::string(3, quote))) {
        for (int i = 0; i < (multi ? 3 : 1); ++i) Advance();
        return;
      }
      Advance();
    }
  }

  std::string_view text_;
  size_t pos_ = 0;
  int line_ = 1;
  int column_ = 1;
};

}  // namespace

std::optional<TextPosition> FindDeepKey(std::string_view text, int max_parts) {
  return TomlScanner(text).FindDeepKey(max_parts);
}

std::string_view TomlTypeName(const toml::node& node) {
  switch (node.type()) {
    case toml::node_type::table: return "a table";
    case toml::node_type::array: return "an array";
    case toml::node_type::string: return "a string";
    case toml::node_type::integer: return "an integer";
    case toml::node_type::floating_point: return "a number";
    case toml::node_type::boolean: return "a boolean";
    case toml::node_type::date:
    case toml::node_type::time:
    case toml::node_type::date_time: return "a date";
    default: return "nothing";
  }
}

const toml::table* TomlDocument::Parse(std::string_view text) {
  if (!IsValidUtf8(text)) {
    ReportInvalidUtf8(text);
    return nullptr;
  }
  if (std::optional<TextPosition> bad = TomlScanner(text).FindHeaderWithoutKey()) {
    diagnostics_.push_back(LocatedDiagnostic(
        SourceLocation{path_, bad->line, bad->column}, Severity::kError,
        "a table header must start with a key (a bare key or a quoted one)"));
    return nullptr;
  }
  if (auto bad = TomlScanner(text).FindUnaskableNonAscii()) {
    diagnostics_.push_back(LocatedDiagnostic(
        SourceLocation{path_, bad->at.line, bad->at.column}, Severity::kError,
        bad->in_string ? "a non-ASCII character after a backslash in a multi-line string: toml++ "
                         "3.3, which reads TOML here, cannot take one there; write it as \\uXXXX"
                       : "a non-ASCII character outside a string or comment"));
    return nullptr;
  }
  if (std::optional<TextPosition> deep = FindDeepKey(text, kMaxTomlKeyParts)) {
    diagnostics_.push_back(LocatedDiagnostic(
        SourceLocation{path_, deep->line, deep->column}, Severity::kError,
        absl::StrFormat("a dotted key or table header of more than %d parts: kcontract reads "
                        "at most %d",
                        kMaxTomlKeyParts, kMaxTomlKeyParts)));
    return nullptr;
  }
  parsed_ = toml::parse(text, path_);
  if (!parsed_) {
    const toml::parse_error& error = parsed_.error();
    Error(error.source(), std::string(error.description()));
    return nullptr;
  }
  return &parsed_.table();
}

SourceLocation TomlDocument::Location(const toml::source_region& region) const {
  return SourceLocation{path_, static_cast<int>(region.begin.line),
                        static_cast<int>(region.begin.column)};
}

void TomlDocument::ReportInvalidUtf8(std::string_view text) {
  size_t offset = FirstInvalidUtf8(text);
  if (offset == std::string_view::npos) offset = text.size();
  std::string_view before = text.substr(0, offset);
  size_t line_start = before.rfind('\n');
  line_start = line_start == std::string_view::npos ? 0 : line_start + 1;
  // Columns count characters, as toml++'s do: the line so far is valid
  // UTF-8, so its characters are its bytes that do not continue one.
  int column = 1;
  for (char c : before.substr(line_start)) column += (static_cast<uint8_t>(c) & 0xC0) != 0x80;
  int line = 1 + static_cast<int>(std::count(before.begin(), before.end(), '\n'));
  diagnostics_.push_back(LocatedDiagnostic(
      SourceLocation{path_, line, column}, Severity::kError,
      absl::StrFormat("not UTF-8 text: byte 0x%02X cannot start or continue a character",
                      offset < text.size() ? static_cast<uint8_t>(text[offset]) : 0)));
}

void TomlDocument::Error(const toml::source_region& region, std::string message) {
  diagnostics_.push_back(LocatedDiagnostic(Location(region), Severity::kError, std::move(message)));
}

void TomlDocument::Warning(const toml::source_region& region, std::string message) {
  diagnostics_.push_back(
      LocatedDiagnostic(Location(region), Severity::kWarning, std::move(message)));
}

bool TomlDocument::has_errors() const {
  return std::any_of(diagnostics_.begin(), diagnostics_.end(),
                     [](const Diagnostic& d) { return d.severity == Severity::kError; });
}

std::vector<Diagnostic> TomlDocument::TakeDiagnostics() {
  std::stable_sort(diagnostics_.begin(), diagnostics_.end(),
                   [](const Diagnostic& a, const Diagnostic& b) {
                     return std::make_pair(a.location.line, a.location.column) <
                            std::make_pair(b.location.line, b.location.column);
                   });
  return std::move(diagnostics_);
}

void TomlDocument::CheckKeys(const toml::table& table, std::span<const std::string_view> allowed,
                             std::string_view where) {
  std::vector<std::string_view> candidates(allowed.begin(), allowed.end());
  for (auto&& [key, node] : table) {
    std::string_view name = key.str();
    if (std::find(allowed.begin(), allowed.end(), name) != allowed.end()) continue;
    std::string message = absl::StrFormat("unknown key '%s' in %s", name, where);
    // Within two edits, the closest: "note" is 'notes', not 'name'.
    std::string_view closest = ClosestMatch(name, candidates);
    if (!closest.empty()) message += absl::StrFormat(" (did you mean '%s'?)", closest);
    Error(key.source(), message);
  }
}

void TomlDocument::CheckFormatVersion(const toml::table& root, int64_t supported,
                                      std::string_view what) {
  const toml::node* node = root.get("format_version");
  if (node == nullptr) {
    Error(root.source(), absl::StrFormat("the %s has no 'format_version' (this kcontract reads %d)",
                                         what, supported));
    return;
  }
  const auto* value = node->as_integer();
  if (value == nullptr || value->get() != supported) {
    Error(node->source(),
          absl::StrFormat("unsupported format_version (this kcontract reads %d)", supported));
  }
}

std::optional<std::string> TomlDocument::GetString(const toml::table& table, std::string_view key,
                                                   std::string_view where, bool required,
                                                   std::string_view hint) {
  const toml::node* node = table.get(key);
  if (node == nullptr) {
    if (required) Error(table.source(), absl::StrFormat("%s has no '%s'", where, key));
    return std::nullopt;
  }
  if (const auto* value = node->as_string()) return value->get();
  std::string message = absl::StrFormat("'%s' must be a string, not %s", key, TomlTypeName(*node));
  if (!hint.empty()) message += absl::StrFormat(" (%s)", hint);
  Error(node->source(), message);
  return std::nullopt;
}

std::vector<std::string> TomlDocument::GetStringArray(const toml::table& table,
                                                      std::string_view key, bool* present) {
  std::vector<std::string> out;
  const toml::node* node = table.get(key);
  if (present != nullptr) *present = node != nullptr;
  if (node == nullptr) return out;
  const toml::array* array = node->as_array();
  if (array == nullptr) {
    Error(node->source(), absl::StrFormat("'%s' must be an array of strings, not %s", key,
                                          TomlTypeName(*node)));
    return out;
  }
  for (const toml::node& element : *array) {
    if (const auto* value = element.as_string()) {
      out.push_back(value->get());
    } else {
      Error(element.source(), absl::StrFormat("'%s' must hold strings only, not %s", key,
                                              TomlTypeName(element)));
    }
  }
  return out;
}

const toml::node& TomlDocument::NodeOr(const toml::table& table, std::string_view key) {
  const toml::node* node = table.get(key);
  return node != nullptr ? *node : table;
}

}  // namespace kcontract
