// Load profiles (abi/profile/load_profile.h): a good profile read whole, each
// mistake one located error, and which entry an object gets.
#include "abi/profile/load_profile.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace kcontract {
namespace {

std::vector<std::string> Lines(const LoadProfileReadResult& result) {
  std::vector<std::string> lines;
  for (const Diagnostic& d : result.diagnostics) lines.push_back(FormatDiagnosticLine(d));
  return lines;
}

TEST(LoadProfile, ReadsEveryKindOfSetting) {
  LoadProfileReadResult result = ParseLoadProfile(R"(format_version = 1
[[object]]
name = "opensnoop*.bpf.o"
autoload_off = ["handle_exit", "old_path"]
attach = { trace_open = "do_sys_openat2", trace_any = "unknown" }
rodata = { targ_pid = "unknown", verbose = true, min_us = 10000, neg = -1 }
map_max_entries = { events = 4096 }
[[object]]
sha256 = "9f2c0000000000000000000000000000000000000000000000000000000000ab"
)", "p.toml");
  ASSERT_TRUE(result.profile) << testing::PrintToString(Lines(result));
  EXPECT_TRUE(result.diagnostics.empty());
  ASSERT_EQ(result.profile->objects.size(), 2u);
  const ObjectProfile& o = result.profile->objects[0];
  EXPECT_TRUE(o.AutoloadOff("old_path"));
  EXPECT_FALSE(o.AutoloadOff("trace_open"));
  ASSERT_NE(o.FindAttach("trace_open"), nullptr);
  EXPECT_EQ(o.FindAttach("trace_open")->target, "do_sys_openat2");
  EXPECT_EQ(o.FindAttach("trace_any")->target, std::nullopt);
  EXPECT_EQ(o.FindRodata("targ_pid")->value, std::nullopt);
  EXPECT_EQ(o.FindRodata("verbose")->value, 1u);
  EXPECT_EQ(o.FindRodata("min_us")->value, 10000u);
  EXPECT_EQ(o.FindRodata("neg")->value, ~uint64_t{0});
  EXPECT_EQ(o.FindRodata("targ_pid")->location.line, 6);
  ASSERT_EQ(o.map_max_entries.size(), 1u);
  EXPECT_EQ(o.map_max_entries[0].max_entries, 4096u);
}

struct BadCase {
  std::string text;
  std::string line;  // the one diagnostic expected
};

TEST(LoadProfile, EachMistakeIsOneLocatedError) {
  const BadCase cases[] = {
      {"[[object]]\nname = \"a\"\n",
       "bad.toml:1:1: error: the load profile has no 'format_version' (this kcontract reads 1)"},
      {"format_version = 2\n[[object]]\nname = \"a\"\n", "bad.toml:1:18: error: unsupported format_version (this kcontract "
                               "reads 1)"},
      {"format_version = 1\n[[object]]\nname = \"a\"\nautolaod_off = []\n",
       "bad.toml:4:1: error: unknown key 'autolaod_off' in [[object]] (did you mean "
       "'autoload_off'?)"},
      {"format_version = 1\n[[object]]\nname = \"a\"\nsha256 = \"" + std::string(64, 'a') + "\"\n",
       "bad.toml:2:1: error: each [[object]] names its object by 'name' (a glob over the file "
       "name) or by 'sha256', one of the two"},
      {"format_version = 1\n[[object]]\nsha256 = \"ABC\"\n",
       "bad.toml:3:10: error: 'sha256' is 64 lowercase hexadecimal digits (sha256sum's output)"},
      {"format_version = 1\n[[object]]\nname = \"a\"\nrodata = { x = 1.5 }\n",
       "bad.toml:4:16: error: the value of x must be an integer, a boolean or \"unknown\" (set by "
       "user space at run time), not a number"},
      {"format_version = 1\n[[object]]\nname = \"a\"\nattach = { p = 3 }\n",
       "bad.toml:4:16: error: the attach target of p must be a function or tracepoint name, or "
       "\"unknown\""},
      {"format_version = 1\n[[object]]\nname = \"a\"\nmap_max_entries = { m = 0 }\n",
       "bad.toml:4:25: error: max_entries of map m must be an integer from 1 to 4294967295"},
      {"format_version = 1\n[[object]]\nname = \"a\"\nautoload_off = [\"a b\"]\n",
       "bad.toml:4:16: error: 'a b' is not a program name"},
      {"format_version = 1\n[[object]]\nname = \"a\"\nrodata = [1]\n",
       "bad.toml:4:10: error: 'rodata' must be a table of variable = value, not an array"},
      {"format_version = 1\nobject = 3\n",
       "bad.toml:2:10: error: 'object' must be an array of tables: write [[object]]"},
  };
  for (const BadCase& c : cases) {
    LoadProfileReadResult result = ParseLoadProfile(c.text, "bad.toml");
    EXPECT_FALSE(result.profile) << c.text;
    EXPECT_EQ(Lines(result), std::vector<std::string>{c.line}) << c.text;
  }
}

TEST(LoadProfile, AnUnreadableFileIsOneError) {
  LoadProfileReadResult result = ReadLoadProfile("/nonexistent/profile.toml");
  EXPECT_FALSE(result.profile);
  ASSERT_EQ(result.diagnostics.size(), 1u);
  // Located in the file, which the message does not repeat.
  EXPECT_EQ(FormatDiagnosticLine(result.diagnostics[0]),
            "/nonexistent/profile.toml: error: cannot open: No such file or directory");
}

TEST(LoadProfile, ObjectsMatchBySha256FirstThenByName) {
  LoadProfileReadResult result = ParseLoadProfile(R"(format_version = 1
[[object]]
name = "tool*"
autoload_off = ["by_name"]
[[object]]
sha256 = "00000000000000000000000000000000000000000000000000000000000000ff"
autoload_off = ["by_hash"]
)", "p.toml");
  ASSERT_TRUE(result.profile);
  std::vector<LoadProfile> profiles = {*result.profile};
  std::string hash = std::string(62, '0') + "ff";
  EXPECT_TRUE(FindObjectProfile(profiles, "dir/tool.bpf.o", hash)->AutoloadOff("by_hash"));
  EXPECT_TRUE(FindObjectProfile(profiles, "dir/tool.bpf.o", "")->AutoloadOff("by_name"));
  EXPECT_TRUE(FindObjectProfile(profiles, "bin/toolx@0x1000", "")->AutoloadOff("by_name"));
  EXPECT_EQ(FindObjectProfile(profiles, "other.o", ""), nullptr);
}

}  // namespace
}  // namespace kcontract
