// ReadManifestLayout (abi/manifest/manifest_layout.h): where each
// [[interface]] of a manifest lies in its text, which `manifest update`
// appends revisions by. Manifests written here, line by line, so that each
// expected line number can be read off the text.
#include "abi/manifest/manifest_layout.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace kcontract {
namespace {

// Lines joined with '\n' (line 1 is the first).
std::string Text(const std::vector<std::string>& lines) {
  std::string out;
  for (const std::string& line : lines) out += line + "\n";
  return out;
}

ManifestLayout Read(const std::vector<std::string>& lines) {
  absl::StatusOr<ManifestLayout> layout = ReadManifestLayout(Text(lines), "m.toml");
  EXPECT_TRUE(layout.ok()) << layout.status();
  return layout.ok() ? *layout : ManifestLayout();
}

TEST(ManifestLayout, EachInterfaceRunsFromItsHeaderToItsLastValueNotToTheNextHeader) {
  ManifestLayout layout = Read({
      "format_version = 1",                   // 1
      "[contract]",                           // 2
      "name = \"c\"",                         // 3
      "",                                     // 4
      "[[interface]]",                        // 5
      "name = \"a\"",                         // 6
      "kind = \"kfunc\"",                     // 7
      "",                                     // 8
      "[[interface.revision]]",               // 9
      "name = \"v1\"",                        // 10
      "signature = [\"int a(int x)\"]",       // 11
      "",                                     // 12
      "# b: the comment leads up to b",       // 13
      "",                                     // 14
      "[[interface]]",                        // 15
      "name = \"b\"",                         // 16
      "kind = \"kfunc\"",                     // 17
      "# trailing comment",                   // 18
  });
  ASSERT_EQ(layout.interfaces.size(), 2u);
  EXPECT_EQ(layout.interfaces[0].header_line, 5);
  EXPECT_EQ(layout.interfaces[0].last_line, 11);
  EXPECT_TRUE(layout.interfaces[0].is_header_table);
  EXPECT_EQ(layout.interfaces[0].inline_revision_line, 0);
  EXPECT_EQ(layout.interfaces[1].header_line, 15);
  EXPECT_EQ(layout.interfaces[1].last_line, 17);
  EXPECT_EQ(layout.interfaces[1].inline_revision_line, 0);
}

TEST(ManifestLayout, AMultiLineValueEndsOnItsClosingLine) {
  ManifestLayout layout = Read({
      "[[interface]]",                        // 1
      "name = \"a\"",                         // 2
      "[[interface.revision]]",               // 3
      "name = \"v1\"",                        // 4
      "signature = [",                        // 5
      "  \"int (*init)(struct sock *sk)\",",  // 6
      "  \"void (*release)(struct sock *sk)\",",  // 7
      "]",                                    // 8
      "",                                     // 9
      "[[interface]]",                        // 10
      "name = \"b\"",                         // 11
      "notes = \"\"\"",                       // 12
      "several",                              // 13
      "lines\"\"\"",                          // 14
  });
  ASSERT_EQ(layout.interfaces.size(), 2u);
  EXPECT_EQ(layout.interfaces[0].last_line, 8);
  EXPECT_EQ(layout.interfaces[1].header_line, 10);
  EXPECT_EQ(layout.interfaces[1].last_line, 14);
}

TEST(ManifestLayout, AHeaderInsideAStringIsText) {
  ManifestLayout layout = Read({
      "[[interface]]",                        // 1
      "name = \"a\"",                         // 2
      "notes = '''",                          // 3
      "[[interface]]",                        // 4
      "name = \"not one\"",                   // 5
      "'''",                                  // 6
  });
  ASSERT_EQ(layout.interfaces.size(), 1u);
  EXPECT_EQ(layout.interfaces[0].header_line, 1);
  EXPECT_EQ(layout.interfaces[0].last_line, 6);
}

TEST(ManifestLayout, HeadersWithSpacesAreHeaders) {
  ManifestLayout layout = Read({
      "  [[ interface ]]  ",                  // 1
      "name = \"a\"",                         // 2
      "\t[[ interface.revision ]]",           // 3
      "name = \"v1\"",                        // 4
  });
  ASSERT_EQ(layout.interfaces.size(), 1u);
  EXPECT_TRUE(layout.interfaces[0].is_header_table);
  EXPECT_EQ(layout.interfaces[0].inline_revision_line, 0);
  EXPECT_EQ(layout.interfaces[0].last_line, 4);
}

TEST(ManifestLayout, InlineInterfacesAreNotHeaderTables) {
  ManifestLayout layout = Read({
      "interface = [",                        // 1
      "  { name = \"a\", kind = \"kfunc\" },",  // 2
      "  { name = \"b\", kind = \"kfunc\" },",  // 3
      "]",                                    // 4
  });
  ASSERT_EQ(layout.interfaces.size(), 2u);
  EXPECT_FALSE(layout.interfaces[0].is_header_table);
  EXPECT_FALSE(layout.interfaces[1].is_header_table);
  EXPECT_EQ(layout.interfaces[0].header_line, 2);
  EXPECT_EQ(layout.interfaces[1].header_line, 3);
}

TEST(ManifestLayout, InlineRevisionsAreLocatedSoThatUpdateCanRefuseThem) {
  ManifestLayout layout = Read({
      "[[interface]]",                        // 1
      "name = \"a\"",                         // 2
      "revision = [",                         // 3
      "  { name = \"v1\", signature = [\"int a(void)\"] },",  // 4
      "  { name = \"v2\", signature = [\"int a(int)\"] },",   // 5
      "]",                                    // 6
  });
  ASSERT_EQ(layout.interfaces.size(), 1u);
  EXPECT_TRUE(layout.interfaces[0].is_header_table);
  EXPECT_EQ(layout.interfaces[0].inline_revision_line, 4);
  EXPECT_EQ(layout.interfaces[0].last_line, 6);
}

TEST(ManifestLayout, AManifestWithoutInterfacesHasNone) {
  EXPECT_TRUE(Read({"format_version = 1", "[contract]", "name = \"c\""}).interfaces.empty());
  EXPECT_TRUE(Read({}).interfaces.empty());
}

TEST(ManifestLayout, TextThatIsNotTomlFailsWithPathLineAndColumn) {
  absl::StatusOr<ManifestLayout> layout =
      ReadManifestLayout(Text({"[[interface]]", "name = \"a\"", "name = = 3"}), "bad.toml");
  ASSERT_FALSE(layout.ok());
  EXPECT_EQ(layout.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(std::string(layout.status().message()).rfind("bad.toml:3:", 0), 0u)
      << layout.status();
}

}  // namespace
}  // namespace kcontract
