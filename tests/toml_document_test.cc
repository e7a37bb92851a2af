// The TOML document reader (abi/toml/toml_document.h): the bounded pre-scan
// that keeps toml++ from recursing once per part of a huge dotted key, and
// the located diagnostics every TOML reader shares.
#include "abi/toml/toml_document.h"

#include <gtest/gtest.h>

#include <string>

namespace kcontract {
namespace {

TEST(FindDeepKey, CountsThePartsOfDottedKeysAndHeaders) {
  EXPECT_FALSE(FindDeepKey("a.b.c = 1\n", 3));
  std::optional<TextPosition> at = FindDeepKey("x = 1\n  a . b.c = 1\n", 2);
  ASSERT_TRUE(at);
  EXPECT_EQ(at->line, 2);
  EXPECT_EQ(at->column, 3);
  at = FindDeepKey("[t.u.v]\n", 2);
  ASSERT_TRUE(at);
  EXPECT_EQ(at->column, 2);
  EXPECT_TRUE(FindDeepKey("\"a\".'b'.c = 1\n", 2));
}

TEST(FindDeepKey, SkipsStringsAndComments) {
  EXPECT_FALSE(FindDeepKey("x = \"a.b.c.d\"\n", 2));
  EXPECT_FALSE(FindDeepKey("x = 'a.b.c.d'\n", 2));
  EXPECT_FALSE(FindDeepKey("# a.b.c.d\n", 2));
  EXPECT_FALSE(FindDeepKey("x = \"\"\"\na.b.c.d\n\"\"\"\n", 2));
  EXPECT_FALSE(FindDeepKey("x = '''\na.b.c.d\n'''\n", 2));
  EXPECT_FALSE(FindDeepKey("x = \"q\\\"a.b.c\"\n", 2));
}

TEST(TomlDocument, AHugeDottedKeyIsOneLocatedErrorNotACrash) {
  std::string text = "a";
  for (int i = 0; i < 140000; ++i) text += ".a";
  text += " = 1\n";
  TomlDocument document("deep.toml");
  EXPECT_EQ(document.Parse(text), nullptr);
  std::vector<Diagnostic> diagnostics = document.TakeDiagnostics();
  ASSERT_EQ(diagnostics.size(), 1u);
  EXPECT_EQ(FormatDiagnosticLine(diagnostics[0]),
            "deep.toml:1:1: error: a dotted key or table header of more than 64 parts: kcontract "
            "reads at most 64");
}

// One located error for each: before this check toml++ 3.3 reached
// __builtin_unreachable on the first three and its parse_value assumption
// on the fourth (the sanitizer build of this test notices a regression).
TEST(TomlDocument, TextThatBreaksTomlPlusPlusAssumptionsIsOneLocatedError) {
  struct Case {
    std::string_view text;
    std::string_view line;
  };
  constexpr std::string_view kAfterBackslash =
      "error: a non-ASCII character after a backslash in a multi-line string: toml++ 3.3, which "
      "reads TOML here, cannot take one there; write it as \\uXXXX";
  const Case kCases[] = {
      {"x = \xC2\xA1\n", "t.toml:1:5: error: a non-ASCII character outside a string or comment"},
      {"x = \"\"\"a\\\n  \xC3\xA9\"\"\"\n", "t.toml:2:3: "},
      {"x = \"\"\"\\\xC3\xA9\"\"\"\n", "t.toml:1:9: "},
      {"x = [[}\n", "t.toml:1:7: error: Error while parsing value: could not determine value type"},
      {"x = \xFF\n", "t.toml:1:5: error: not UTF-8 text: byte 0xFF cannot start or continue a character"},
      // fuzz_waivers: a quote inside a bare value opens no string for
      // toml++, which read on through it to the character it cannot ask about.
      {"x = 1'\xC2\xA1'\n", "t.toml:1:7: error: a non-ASCII character outside a string or comment"},
      {"waiver = [ 1.1o'a\xEF\xBB\xB8'\n",
       "t.toml:1:18: error: a non-ASCII character outside a string or comment"},
      {"x = true\"\xC2\xA1\"\n", "t.toml:1:10: error: a non-ASCII character outside a string or comment"},
      // fuzz_load_profile: nor does a '[' inside a bare value start an
      // array whose quote would open a string.
      {"x = [5['\xC2\xA1']\n", "t.toml:1:9: error: a non-ASCII character outside a string or comment"},
      {"e = [[[[[5[[['[![[\"\xD0\x80[[S[[![ 1.[\x11[\"\xD8\x80[[bject]]bjec06",
       "t.toml:1:20: error: a non-ASCII character outside a string or comment"},
      // fuzz_load_profile: after a line-ending backslash's blanks, a
      // backslash starts another escape, whose character toml++ asks about.
      {"x = \"\"\"a\\\n\n\\\xEF\xBB\xBD\"\"\"\n", "t.toml:3:2: "},
      {"\n\n\n\n\n\"\"\"9\\\n\n\\\xEF\xBB\xBD" "7.\x7F\\\t\n\t\n", "t.toml:8:2: "},
  };
  for (const Case& c : kCases) {
    TomlDocument document("t.toml");
    EXPECT_EQ(document.Parse(c.text), nullptr) << c.text;
    std::vector<Diagnostic> diagnostics = document.TakeDiagnostics();
    ASSERT_EQ(diagnostics.size(), 1u) << c.text;
    std::string expected(c.line);
    if (expected.back() == ' ') expected += kAfterBackslash;
    EXPECT_EQ(FormatDiagnosticLine(diagnostics[0]), expected);
  }
}

TEST(TomlDocument, NonAsciiInStringsKeysAndCommentsIsRead) {
  TomlDocument document("t.toml");
  const toml::table* root = document.Parse(
      "# J\xC3\xBCrgen\n\"\xC3\xA9\" = \"M\xC3\xBCller\"\n"
      "y = \"\"\"\xC3\xBC\\n\n\xC3\xA4\\\n  b\"\"\"\n"
      "z = '''\xC3\xB6\\\n  \xC3\xB6'''\n"
      "a = [ 'x', \"\xC2\xA1\" , { b = '\xC2\xA1' } ]\n"
      "c.\"\xC2\xA1\".'\xC2\xA1' = 1\n");
  ASSERT_NE(root, nullptr) << FormatDiagnosticLine(document.TakeDiagnostics().at(0));
  EXPECT_EQ(root->get("\xC3\xA9")->value_or(std::string_view()), "M\xC3\xBCller");
  EXPECT_EQ(root->get("y")->value_or(std::string_view()), "\xC3\xBC\n\n\xC3\xA4" "b");
  EXPECT_EQ(root->get("z")->value_or(std::string_view()), "\xC3\xB6\\\n  \xC3\xB6");
}

TEST(TomlDocument, UnknownKeysGetTheClosestAllowedOne) {
  TomlDocument document("k.toml");
  const toml::table* root = document.Parse("stabilty = 1\nzzz = 2\n");
  ASSERT_NE(root, nullptr);
  constexpr std::string_view kAllowed[] = {"stability", "name"};
  document.CheckKeys(*root, kAllowed, "the file");
  std::vector<Diagnostic> diagnostics = document.TakeDiagnostics();
  ASSERT_EQ(diagnostics.size(), 2u);
  EXPECT_EQ(diagnostics[0].message,
            "unknown key 'stabilty' in the file (did you mean 'stability'?)");
  EXPECT_EQ(diagnostics[1].message, "unknown key 'zzz' in the file");
}

}  // namespace
}  // namespace kcontract
