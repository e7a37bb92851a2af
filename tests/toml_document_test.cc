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
