// Hostile TOML through the kcontract binary (issue 14): manifests, load
// profiles and waiver files that crashed toml++ 3.3 or reached its
// assertions and unreachable points, found by hand and by the fuzz targets
// (tests/fuzz/), each reproducer fed through the CLI: one located error
// line, a non-zero exit, no crash and no sanitizer report.
#include <filesystem>
#include <string>

#include "absl/strings/str_replace.h"
#include "gtest/gtest.h"
#include "tests/hostile_cli.h"
#include "tests/test_support.h"

namespace kcontract {
namespace {

namespace fs = std::filesystem;
using testing::CommandResult;
using testing::RunCommand;
using testing::ScratchDir;
using testing::ShellQuote;
using testing::WriteFileOrDie;

using hostile::Cli;
using hostile::Q;

// One dotted key of 140,000 parts (a 280 KB file) crashed every command
// reading manifests: toml++ recurses once per part. Main bounds the parts
// (abi/toml, kMaxTomlKeyParts); here the reproducer goes through the CLI,
// as a given manifest and as an installed one.
TEST(HostileToml, DeeplyDottedKeyIsOneErrorNotACrash) {
  const fs::path dir = ScratchDir("HostileToml_Dotted");
  std::string key = "a";
  for (int i = 1; i < 140'000; ++i) key += ".a";
  const std::string what = "a dotted key or table header of more than 64 parts";
  const std::string object = std::string(KCONTRACT_OBJECT_DIR) + "/show_all.o";
  for (const std::string& text : {key + " = 1\n", "[" + key + "]\n"}) {
    const fs::path installed = dir / (text.starts_with("[") ? "header" : "key");
    fs::create_directories(installed);
    const fs::path file = installed / "deep.toml";
    WriteFileOrDie(file, Bytes(text.begin(), text.end()));
    for (const std::string& args :
         {"manifest check " + Q(file),
          "lint --no-default-manifests --manifest " + Q(file) + " " + ShellQuote(object),
          "probe --no-default-manifests --manifest " + Q(file) + " --kernel " +
              ShellQuote(testing::ModelKernelPath("thp_v9"))}) {
      SCOPED_TRACE(args);
      CommandResult r = Cli(args);
      EXPECT_LT(r.exit_code, 128) << "crashed: " << r.err.substr(0, 2000);
      EXPECT_NE(r.exit_code, 0);
      EXPECT_NE((r.out + r.err).find(file.string() + ":1:"), std::string::npos) << r.out << r.err;
      EXPECT_NE((r.out + r.err).find(what), std::string::npos) << r.out << r.err;
    }
    // Installed: plain `check` reads it without being asked to.
    CommandResult r = RunCommand("KCONTRACT_MANIFEST_DIR=" + Q(installed) + " timeout -s KILL 60 " +
                                 ShellQuote(KCONTRACT_CLI) + " check --kernel " +
                                 ShellQuote(testing::ModelKernelPath("thp_v9")) + " " +
                                 ShellQuote(object));
    EXPECT_LT(r.exit_code, 128) << "crashed: " << r.err.substr(0, 2000);
    EXPECT_EQ(r.exit_code & 1, 1) << r.err;
    EXPECT_NE(r.err.find(what), std::string::npos) << r.err;
  }
}

// A table header without a key ("[: 1", found by fuzz_manifest and
// fuzz_load_profile): toml++ 3.3 asserts in parse_key, an abort in a build
// without NDEBUG (scripts/test.sh --sanitize). One error, no crash.
TEST(HostileToml, TableHeaderWithoutKeyIsOneError) {
  const fs::path dir = ScratchDir("HostileToml_Header");
  for (const std::string& text : {std::string("format_version = 1\n[: 1\n"),
                                   std::string("format_version = 1\n[[\n"),
                                   std::string("format_version = 1\n[[[a]]\n"),
                                   std::string("format_version = 1\n  [ \t=x]\n")}) {
    const fs::path file = dir / "header.toml";
    WriteFileOrDie(file, Bytes(text.begin(), text.end()));
    CommandResult r = Cli("manifest check " + Q(file));
    EXPECT_LT(r.exit_code, 128) << "crashed: " << r.err;
    EXPECT_NE(r.exit_code, 0);
    EXPECT_NE((r.out + r.err).find(file.string() + ":2:"), std::string::npos) << r.out << r.err;
    EXPECT_NE((r.out + r.err).find("a table header must start with a key"), std::string::npos)
        << r.out << r.err;
  }
}

// `text` written to `name` in a scratch directory, read as TOML through
// `reader` (a command with {} for the file) and `manifest check`: one
// located line, `where_what` (":LINE:COL: error: ...") after the file's
// name, a non-zero exit, no crash and no sanitizer report.
void ExpectOneTomlError(const std::string& test, const std::string& name,
                        const std::string& text, const std::string& reader,
                        const std::string& where_what) {
  const fs::path file = ScratchDir(test) / name;
  WriteFileOrDie(file, Bytes(text.begin(), text.end()));
  const std::string kernel_and_object = " --kernel " +
                                        ShellQuote(testing::ModelKernelPath("thp_v9")) + " " +
                                        ShellQuote(std::string(KCONTRACT_OBJECT_DIR) + "/show_all.o");
  for (const std::string& args :
       {absl::StrReplaceAll(reader, {{"{}", Q(file)}}) + kernel_and_object,
        "manifest check " + Q(file)}) {
    SCOPED_TRACE(args);
    CommandResult r = Cli(args);
    EXPECT_LT(r.exit_code, 128) << "crashed: " << r.err;
    EXPECT_NE(r.exit_code, 0) << r.out << r.err;
    EXPECT_NE((r.out + r.err).find(file.string() + where_what), std::string::npos)
        << r.out << r.err;
    EXPECT_EQ(r.err.find("runtime error"), std::string::npos) << r.err;
  }
}

// A quote inside a bare value followed by a non-ASCII character (found by
// fuzz_waivers): toml++ 3.3 reads on through the quote, asking of each
// character whether it ends the value, and its table of non-ASCII blanks
// reached __builtin_unreachable (UBSan: scripts/test.sh --sanitize). The
// scanner took the quote for a string's and let it through. One located
// error, through the gate's --waivers and manifest check.
TEST(HostileToml, QuoteInsideABareValueIsOneError) {
  ExpectOneTomlError("HostileToml_Quote", "waivers.toml",
                     "format_version = 1\nwaiver = [ 1.1o'a\xEF\xBB\xB8'\n", "gate --waivers {}",
                     ":2:18: error: a non-ASCII character outside a string or comment");
}

// The same through a '[' inside a bare value (found by fuzz_load_profile,
// 1.56 million executions in): the scanner took `5[` for an array whose
// quote opened a string, and toml++ asked of U+0400 whether it ends the value.
TEST(HostileToml, BracketInsideABareValueIsOneError) {
  ExpectOneTomlError("HostileToml_Bracket", "profile.toml",
                     "format_version = 1\ne = [[[[[5[[['[![[\"\xD0\x80[[S[[![ 1.]\n",
                     "check --load-profile {}",
                     ":2:20: error: a non-ASCII character outside a string or comment");
}

// After a line-ending backslash's blanks, a backslash starts another escape
// whose character toml++ asks about (found by fuzz_load_profile): the scanner
// had taken that backslash for the first character kept.
TEST(HostileToml, EscapeAfterALineEndingBackslashIsOneError) {
  ExpectOneTomlError("HostileToml_Escape", "profile.toml",
                     "format_version = 1\nx = \"\"\"a\\\n\n\\\xEF\xBB\xBD\"\"\"\n",
                     "check --load-profile {}",
                     ":4:2: error: a non-ASCII character after a backslash in a multi-line "
                     "string");
}

// A non-ASCII character outside a string, and one after a multi-line
// string's line-ending backslash (found by CI's fuzz smoke): toml++ 3.3's
// table of non-ASCII blanks reached __builtin_unreachable. The scanner
// before toml++ refuses both, located.
TEST(HostileToml, NonAsciiOutsideAStringIsOneError) {
  ExpectOneTomlError("HostileToml_NonAscii", "profile.toml",
                     "format_version = 1\nx = \xC2\xA1\n", "check --load-profile {}",
                     ":2:5: error: a non-ASCII character outside a string or comment");
  ExpectOneTomlError("HostileToml_NonAsciiAfterBackslash", "profile.toml",
                     "format_version = 1\nx = \"\"\"a\\\n  \xC3\xA9\"\"\"\n",
                     "check --load-profile {}",
                     ":3:3: error: a non-ASCII character after a backslash in a multi-line "
                     "string");
}

// An array opened twice and closed by a brace (found by CI's fuzz smoke):
// toml++ 3.3 asserted in parse_value (an abort where assertions are on, a
// broken promise to the optimiser where they are not). Left to toml++'s own
// checks since, which name it.
TEST(HostileToml, ArrayClosedByABraceIsOneError) {
  ExpectOneTomlError("HostileToml_Brace", "profile.toml", "format_version = 1\nx = [[}\n",
                     "check --load-profile {}",
                     ":2:7: error: Error while parsing value: could not determine value type");
}

}  // namespace
}  // namespace kcontract
