// `kcontract check` as a user reads it: the verdict word, the counts beside
// it, the JSON verdict and the exit bits must say the same thing, for every
// corpus object on every kernel given as a file (the oracle tests prove the
// verdicts themselves against real libbpf).
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <regex>

#include "tests/oracle/oracle_table.h"
#include "tests/test_support.h"

namespace kcontract {
namespace {

using testing::RunCli;
using testing::ShellQuote;

// The summary line of one object on one kernel:
// "OBJ on K: loads (0 errors, 1 warnings, 2 notes)" or "... fails at S (...)".
struct Summary {
  std::string verdict;  // "loads" or the stage
  int errors = -1;
};

Summary LastSummary(const std::string& text) {
  static const std::regex line(R"(: (loads|fails at (\S+)) \((\d+) errors, \d+ warnings, \d+ notes\)$)");
  Summary s;
  std::istringstream in(text);
  std::string l;
  std::smatch m;
  while (std::getline(in, l)) {
    if (!std::regex_search(l, m, line)) continue;
    s.verdict = m[2].matched ? m[2].str() : "loads";
    s.errors = std::stoi(m[3]);
  }
  return s;
}

TEST(CheckCli, VerdictWordCountsJsonAndExitBitsAgree) {
  const std::filesystem::path btf618 = testing::SharedKernelDir("host-6.18.44") / "vmlinux.btf";
  KC_REQUIRE_PATH(btf618);
  std::vector<oracle::CorpusEntry> corpus = oracle::LoadCorpus();
  ASSERT_GE(corpus.size(), 40u);
  int loads = 0;
  int fails = 0;
  for (const oracle::CorpusEntry& entry : corpus) {
    const std::string args =
        "check " + ShellQuote(entry.object.string()) + " --kernel " + ShellQuote(btf618.string());
    testing::CommandResult text = RunCli(args);
    Summary summary = LastSummary(text.out);
    ASSERT_FALSE(summary.verdict.empty()) << entry.name << ":\n" << text.out << text.err;
    ASSERT_EQ(text.exit_code & 1, 0) << entry.name << ": " << text.err;
    const bool fails_here = summary.verdict != "loads";
    EXPECT_EQ((text.exit_code & 8) != 0, fails_here)
        << entry.name << ": exit " << text.exit_code << " with verdict " << summary.verdict;
    EXPECT_EQ(summary.errors > 0, fails_here) << entry.name << ":\n" << text.out;
    (fails_here ? fails : loads) += 1;

    testing::CommandResult json = RunCli(args + " -j");
    EXPECT_EQ(json.exit_code, text.exit_code) << entry.name;
    auto doc = nlohmann::json::parse(json.out, nullptr, /*allow_exceptions=*/false);
    ASSERT_FALSE(doc.is_discarded()) << entry.name << ": " << json.out;
    ASSERT_EQ(doc["results"].size(), 1u) << entry.name;
    EXPECT_EQ(doc["results"][0]["verdict"], fails_here ? summary.verdict : "loads") << entry.name;
    int json_errors = 0;
    for (const auto& f : doc["results"][0]["findings"]) json_errors += f["severity"] == "error";
    EXPECT_EQ(json_errors, summary.errors) << entry.name;
  }
  // The corpus covers both answers, so neither side of the test is vacuous.
  EXPECT_GT(loads, 10);
  EXPECT_GT(fails, 10);
  std::printf("%d objects load on 6.18, %d do not\n", loads, fails);
}

}  // namespace
}  // namespace kcontract
