// The packaging gate's model, waivers and renderers on results built here:
// waiver files (valid, expired, unused, bad -> file:line:col), baseline
// states, shard merge, the JSON round trip, JUnit and SARIF structure, and
// the text table against its golden file.
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "abi/gate/gate_result.h"
#include "abi/gate/gate_run.h"
#include "abi/gate/gate_waivers.h"
#include "abi/report/gate_report.h"
#include "tests/test_support.h"

namespace kcontract {
namespace {

Finding Error(std::string code, std::string subject, std::string program = "") {
  Finding f;
  f.severity = Severity::kError;
  f.code = std::move(code);
  f.subject = std::move(subject);
  f.program = std::move(program);
  f.message = "kfunc is not in the kernel";
  f.effect = LoadEffect::kLibbpfRejects;
  f.stage = LoadStage::kExterns;
  return f;
}

GateCell Loads() { return GateCell{}; }
GateCell FailsWith(std::vector<Finding> findings, LoadStage stage = LoadStage::kExterns) {
  GateCell cell;
  cell.verdict = stage;
  cell.findings = std::move(findings);
  return cell;
}

GateRow Row(std::string name, std::vector<GateCell> cells) {
  GateRow row;
  row.name = name;
  row.names = {name};
  row.sha256 = std::string(64, 'a');
  row.cells = std::move(cells);
  return row;
}

// Two kernels; a.o loads, b.o fails on 6.18 only, c.o fails on both (in
// program p), an unreadable input.
GateResult Sample() {
  GateResult result;
  result.kernels = {"6.12.1", "6.18.44"};
  result.rows.push_back(Row("pkg/a.o", {Loads(), Loads()}));
  result.rows.push_back(Row("pkg/b.o", {Loads(), FailsWith({Error("kfunc-missing", "bpf_x")})}));
  result.rows.back().names.push_back("pkg/copy-of-b.o");
  result.rows.push_back(Row("pkg/c.o", {FailsWith({Error("kfunc-proto", "bpf_y", "p")}),
                                        FailsWith({Error("kfunc-proto", "bpf_y", "p")})}));
  GateRow bad;
  bad.name = "pkg/d.o";
  bad.names = {"pkg/d.o"};
  bad.error = "truncated ELF header";
  result.rows.push_back(bad);
  return result;
}

WaiverReadResult Parse(const std::string& text) { return ParseWaivers(text, "w.toml"); }

TEST(GateWaivers, ReadsEntriesWithDatesOrStrings) {
  WaiverReadResult read = Parse(R"(format_version = 1
[[waiver]]
object = "pkg/c.o"
code = "kfunc-proto"
reason = "fixed upstream"
expires = 2030-01-31
[[waiver]]
object = "*"
kernel = "6.18*"
reason = "r"
expires = "2031-02-03"
)");
  ASSERT_TRUE(read.ok());
  ASSERT_EQ(read.waivers.size(), 2u);
  EXPECT_EQ(read.waivers[0].expires, "2030-01-31");
  EXPECT_EQ(read.waivers[0].code, "kfunc-proto");
  EXPECT_EQ(WaiverLabel(read.waivers[0]), "w.toml:2:1");
  EXPECT_EQ(read.waivers[1].expires, "2031-02-03");
  EXPECT_EQ(read.waivers[1].kernel, "6.18*");
}

TEST(GateWaivers, BadFilesAreLocated) {
  const std::pair<std::string, std::string> cases[] = {
      {"format_version = 1\n[[waiver]]\nobject = \"a\"\nexpires = 2030-01-01\n",
       "w.toml:2:1: error: [[waiver]] has no 'reason'"},
      {"format_version = 1\n[[waiver]]\nobject = \"a\"\nreason = \"r\"\n",
       "w.toml:2:1: error: [[waiver]] has no 'expires'"},
      {"format_version = 1\n[[waiver]]\nobject = \"a\"\nreason = \"r\"\nexpires = \"soon\"\n",
       "w.toml:5:11: error: 'expires' must be a date"},
      {"format_version = 1\n[[waiver]]\nobject = \"a\"\nreason = \"r\"\nexpires = 2030-01-01\n"
       "kernal = \"6.1\"\n",
       "w.toml:6:1: error: "},
      {"format_version = 1\n[[waiver]\n", "w.toml:2:"},
  };
  for (const auto& [text, expected] : cases) {
    WaiverReadResult read = Parse(text);
    EXPECT_FALSE(read.ok()) << text;
    ASSERT_FALSE(read.diagnostics.empty()) << text;
    std::string first = FormatDiagnosticLine(read.diagnostics.front());
    EXPECT_EQ(first.substr(0, expected.size()), expected) << first;
  }
}

TEST(GateWaivers, MatchedExpiredAndUnused) {
  GateResult result = Sample();
  WaiverReadResult read = Parse(R"(format_version = 1
[[waiver]]
object = "pkg/c.o"
program = "p"
code = "kfunc-proto"
subject = "bpf_y"
kernel = "6.18*"
reason = "fixed in 2.0"
expires = 2030-01-01
[[waiver]]
object = "*/copy-of-b.o"
reason = "old"
expires = 2020-01-01
[[waiver]]
object = "nothing/*"
reason = "stale"
expires = 2030-01-01
)");
  ASSERT_TRUE(read.ok());
  result.waivers = read.waivers;
  ApplyWaivers("2026-06-01", &result);
  // c.o waived on 6.18 only (the kernel glob), not on 6.12.
  EXPECT_EQ(StateOf(result.rows[2], result.rows[2].cells[1]), CellState::kWaived);
  EXPECT_EQ(result.rows[2].cells[1].waived_by, std::vector<std::string>{"w.toml:2:1"});
  EXPECT_EQ(StateOf(result.rows[2], result.rows[2].cells[0]), CellState::kFails);
  // b.o's waiver expired: it waives nothing, and is an error.
  EXPECT_EQ(StateOf(result.rows[1], result.rows[1].cells[1]), CellState::kFails);
  EXPECT_TRUE(result.waivers[1].expired);
  EXPECT_EQ(result.waivers[0].matched, 1);
  EXPECT_EQ(result.waivers[2].matched, 0);
  std::vector<Diagnostic> diagnostics = AllDiagnostics(result);
  ASSERT_EQ(diagnostics.size(), 2u);
  EXPECT_EQ(diagnostics[0].severity, Severity::kError);
  EXPECT_EQ(diagnostics[0].code, "waiver-expired");
  EXPECT_EQ(FormatLocation(diagnostics[0].location), "w.toml:10:1");
  EXPECT_EQ(diagnostics[1].severity, Severity::kWarning);
  EXPECT_EQ(diagnostics[1].code, "waiver-unused");
  GateOutcome outcome = OutcomeOf(result);
  EXPECT_TRUE(outcome.blocked);
  EXPECT_TRUE(outcome.warnings);
  EXPECT_TRUE(outcome.unreadable);
  // Valid through its expiry day.
  ApplyWaivers("2030-01-01", &result);
  EXPECT_FALSE(result.waivers[0].expired);
  ApplyWaivers("2030-01-02", &result);
  EXPECT_TRUE(result.waivers[0].expired);
  EXPECT_EQ(StateOf(result.rows[2], result.rows[2].cells[1]), CellState::kFails);
}

TEST(GateWaivers, ACellIsWaivedOnlyWhenEveryErrorIs) {
  GateResult result;
  result.kernels = {"k"};
  result.rows.push_back(
      Row("a.o", {FailsWith({Error("kfunc-missing", "x"), Error("kfunc-missing", "y")})}));
  result.waivers = Parse("format_version = 1\n[[waiver]]\nobject = \"a.o\"\nsubject = \"x\"\n"
                         "reason = \"r\"\nexpires = 2030-01-01\n")
                       .waivers;
  ApplyWaivers("2026-01-01", &result);
  EXPECT_EQ(StateOf(result.rows[0], result.rows[0].cells[0]), CellState::kFails);
  EXPECT_EQ(result.waivers[0].matched, 0);
}

TEST(GateBaseline, RegressionsBlockKnownFailuresDoNot) {
  GateResult result = Sample();
  result.baseline_kernel = "6.1.0";
  result.rows[0].baseline = LoadStage::kNone;       // a.o: loads everywhere
  result.rows[1].baseline = LoadStage::kNone;       // b.o: regression on 6.18
  result.rows[2].baseline = LoadStage::kRelocation; // c.o: failed already
  EXPECT_EQ(StateOf(result.rows[1], result.rows[1].cells[1]), CellState::kFails);
  EXPECT_TRUE(IsRegression(result.rows[1], result.rows[1].cells[1]));
  EXPECT_EQ(StateOf(result.rows[2], result.rows[2].cells[0]), CellState::kKnown);
  GateTotals totals = TotalsForKernel(result, 1);
  EXPECT_EQ(totals.loads, 1);
  EXPECT_EQ(totals.fails, 1);
  EXPECT_EQ(totals.known, 1);
  EXPECT_EQ(totals.regressions, 1);
  // A failing row fixed on a kernel.
  result.rows[2].cells[0] = Loads();
  EXPECT_EQ(StateOf(result.rows[2], result.rows[2].cells[0]), CellState::kFixed);
  // Without the regression the gate does not block.
  result.rows[1].baseline = LoadStage::kExterns;
  EXPECT_FALSE(OutcomeOf(result).blocked);
}

TEST(GateJson, RoundTripsThroughMerge) {
  GateResult result = Sample();
  result.rows[1].cells[1].findings[0].location = {"b.bpf.c", 12, 3};
  result.rows[1].cells[1].findings[0].hint = "guard it";
  std::string json = RenderGate(result, GateFormat::kJson);
  absl::StatusOr<GateResult> parsed = ParseGateJson(json, "r.json");
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(RenderGate(*parsed, GateFormat::kJson), json);
  EXPECT_FALSE(ParseGateJson("{\"tool\": \"kcontract\"}", "x.json").ok());
  EXPECT_FALSE(ParseGateJson("not json", "x.json").ok());
}

TEST(GateMerge, ShardsJoinToTheWhole) {
  GateResult whole = Sample();
  // A warning of the run every shard meets (reading a kernel): once in the
  // whole.
  Diagnostic warning = LocatedDiagnostic({"6.18.44", 0, 0}, Severity::kWarning,
                                         "k/gone.ko: skipped: a dangling symbolic link");
  warning.code = "kernel-warning";
  AddRunDiagnostic(warning, &whole);
  AddRunDiagnostic(warning, &whole);
  ASSERT_EQ(whole.diagnostics.size(), 1u);
  std::vector<GateResult> shards;
  for (int index = 1; index <= 3; ++index) {
    GateResult shard = whole;
    shard.shard = {index, 3};
    shard.rows.clear();
    for (size_t i = 0; i < whole.rows.size(); ++i) {
      if (static_cast<int>(i % 3) == index - 1) shard.rows.push_back(whole.rows[i]);
    }
    // Through JSON, as CI runners hand them over.
    absl::StatusOr<GateResult> parsed =
        ParseGateJson(RenderGate(shard, GateFormat::kJson), "shard.json");
    ASSERT_TRUE(parsed.ok()) << parsed.status();
    shards.push_back(*parsed);
  }
  std::reverse(shards.begin(), shards.end());
  absl::StatusOr<GateResult> merged = MergeGateResults(shards);
  ASSERT_TRUE(merged.ok()) << merged.status();
  EXPECT_EQ(RenderGate(*merged, GateFormat::kJson), RenderGate(whole, GateFormat::kJson));
  EXPECT_EQ(RenderGate(*merged, GateFormat::kText), RenderGate(whole, GateFormat::kText));
  EXPECT_TRUE(OutcomeOf(*merged).warnings);
  // A shard twice, or a missing one.
  EXPECT_FALSE(MergeGateResults({shards[0], shards[0]}).ok());
  absl::StatusOr<GateResult> partial = MergeGateResults({shards[0], shards[1]});
  ASSERT_TRUE(partial.ok());
  ASSERT_EQ(partial->diagnostics.size(), 2u);
  EXPECT_EQ(partial->diagnostics[1].code, "shard-missing");
  EXPECT_EQ(partial->diagnostics[1].severity, Severity::kWarning);
}

// Sample() with a third kernel that could not be read, and the baseline
// when `baseline` says so.
GateResult WithUnreadableKernel(bool baseline) {
  GateResult result = Sample();
  result.kernels.push_back("/kernels/gone.btf");
  result.kernel_errors = {"", "", "no such file or directory"};
  for (GateRow& row : result.rows) {
    if (!row.error.empty()) continue;
    GateCell cell;
    cell.kernel_unreadable = true;
    row.cells.push_back(cell);
  }
  if (baseline) {
    result.baseline_kernel = "/kernels/cut.btf";
    result.baseline_error = "malformed BTF: Invalid argument";
  }
  return result;
}

TEST(GateUnreadableKernel, AColumnOfItsOwnThatCountsNothing) {
  GateResult result = WithUnreadableKernel(/*baseline=*/false);
  EXPECT_EQ(StateOf(result.rows[0], result.rows[0].cells[2]), CellState::kUnreadable);
  EXPECT_EQ(CellStateWord(CellState::kUnreadable), "unreadable");
  GateTotals totals = TotalsForKernel(result, 2);
  EXPECT_EQ(totals.loads + totals.fails + totals.waived + totals.known, 0);
  // a.o loads on the two kernels that were read.
  EXPECT_EQ(TotalsForRow(result.rows[0]).loads, 2);
  EXPECT_EQ(UnreadableKernels(result), 1);
  EXPECT_EQ(KernelError(result, 2), "no such file or directory");
  EXPECT_EQ(KernelError(result, 7), "");
  // Without any unreadable input, the kernel alone sets the unreadable bit.
  result.rows.pop_back();
  EXPECT_TRUE(OutcomeOf(result).unreadable);
  result.kernel_errors[2].clear();
  for (GateRow& row : result.rows) row.cells.pop_back();
  result.kernels.pop_back();
  EXPECT_FALSE(OutcomeOf(result).unreadable);
  // An unreadable baseline: nothing is known about it, so failures block.
  result = WithUnreadableKernel(/*baseline=*/true);
  EXPECT_EQ(UnreadableKernels(result), 2);
  EXPECT_EQ(StateOf(result.rows[2], result.rows[2].cells[0]), CellState::kFails);
}

TEST(GateUnreadableKernel, RoundTripsAndMerges) {
  GateResult whole = WithUnreadableKernel(/*baseline=*/true);
  std::string json = RenderGate(whole, GateFormat::kJson);
  nlohmann::json j = nlohmann::json::parse(json);
  EXPECT_EQ(j["kernel_totals"][2]["error"], "no such file or directory");
  EXPECT_TRUE(j["kernel_totals"][0]["error"].is_null());
  EXPECT_EQ(j["baseline_error"], "malformed BTF: Invalid argument");
  EXPECT_EQ(j["totals"]["unreadable_kernels"], 2);
  EXPECT_TRUE(j["objects"][0]["cells"][2]["verdict"].is_null());
  EXPECT_EQ(j["objects"][0]["cells"][2]["state"], "unreadable");
  absl::StatusOr<GateResult> parsed = ParseGateJson(json, "r.json");
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(RenderGate(*parsed, GateFormat::kJson), json);
  // One shard could read the kernel the other could not: unreadable in the
  // whole, with the cells each shard has.
  GateResult first = Sample(), second = whole;
  first.kernels = whole.kernels;
  first.baseline_kernel = whole.baseline_kernel;
  first.shard = {1, 2};
  second.shard = {2, 2};
  first.rows = {whole.rows[0]};
  first.rows[0].cells[2] = Loads();
  second.rows.erase(second.rows.begin());
  absl::StatusOr<GateResult> merged = MergeGateResults({first, second});
  ASSERT_TRUE(merged.ok()) << merged.status();
  EXPECT_EQ(merged->kernel_errors, whole.kernel_errors);
  EXPECT_EQ(merged->baseline_error, whole.baseline_error);
  EXPECT_TRUE(OutcomeOf(*merged).unreadable);
}

TEST(GateUnreadableKernel, JunitSarifAndHtmlSayWhy) {
  GateResult result = WithUnreadableKernel(/*baseline=*/true);
  std::string xml = RenderGateJunit(result);
  // 4 rows x (baseline + 3 kernels); failures: b.o on 6.18, c.o on both
  // (no baseline verdict to make them known); errors: the two unreadable
  // kernels' suites for the 3 readable rows, and d.o in every suite.
  EXPECT_NE(xml.find("<testsuites name=\"kcontract gate\" tests=\"16\" failures=\"3\" "
                     "errors=\"10\""),
            std::string::npos)
      << xml;
  EXPECT_NE(xml.find("<testsuite name=\"baseline /kernels/cut.btf\" tests=\"4\" failures=\"0\" "
                     "errors=\"4\""),
            std::string::npos)
      << xml;
  EXPECT_NE(xml.find("<error type=\"unreadable-kernel\" message=\"kernel /kernels/gone.btf "
                     "cannot be read: no such file or directory\"/>"),
            std::string::npos)
      << xml;
  nlohmann::json sarif = nlohmann::json::parse(RenderGateSarif(result));
  std::vector<std::string> messages;
  for (const nlohmann::json& r : sarif["runs"][0]["results"]) {
    if (r["ruleId"] == "unreadable-kernel") messages.push_back(r["message"]["text"]);
  }
  EXPECT_EQ(messages, (std::vector<std::string>{
                          "baseline kernel /kernels/cut.btf cannot be read: malformed BTF: "
                          "Invalid argument",
                          "kernel /kernels/gone.btf cannot be read: no such file or directory"}));
  std::string html = RenderGateHtml(result);
  EXPECT_NE(html.find("\"kernel_errors\":[\"\",\"\",\"no such file or directory\"]"),
            std::string::npos);
  EXPECT_NE(html.find("\"baseline_error\":\"malformed BTF: Invalid argument\""),
            std::string::npos);
}

TEST(GateJunit, ATestcasePerObjectAndKernel) {
  if (!testing::HaveTool("xmllint")) GTEST_SKIP() << "needs xmllint";
  GateResult result = Sample();
  result.waivers = Parse("format_version = 1\n[[waiver]]\nobject = \"pkg/c.o\"\n"
                         "reason = \"known <bug> & co\"\nexpires = 2030-01-01\n")
                       .waivers;
  ApplyWaivers("2026-01-01", &result);
  std::filesystem::path file = testing::ScratchDir("gate_junit") / "junit.xml";
  std::string xml = RenderGateJunit(result);
  testing::WriteFileOrDie(file, ByteView(reinterpret_cast<const uint8_t*>(xml.data()), xml.size()));
  auto xpath = [&](const std::string& expression) {
    testing::CommandResult r = testing::RunCommand(
        "xmllint --xpath " + testing::ShellQuote(expression) + " " + file.string());
    EXPECT_EQ(r.exit_code, 0) << r.err;
    while (!r.out.empty() && r.out.back() == '\n') r.out.pop_back();
    return r.out;
  };
  EXPECT_EQ(xpath("count(/testsuites/testsuite)"), "2");
  EXPECT_EQ(xpath("count(//testcase)"), "8");
  EXPECT_EQ(xpath("count(//testcase[@name and @classname])"), "8");
  EXPECT_EQ(xpath("string(/testsuites/@tests)"), "8");
  EXPECT_EQ(xpath("string(/testsuites/@failures)"), "1");  // b.o on 6.18
  EXPECT_EQ(xpath("string(/testsuites/@errors)"), "2");    // d.o on both
  EXPECT_EQ(xpath("string(/testsuites/@skipped)"), "2");   // c.o waived on both
  EXPECT_EQ(xpath("string(//testsuite[@name='6.18.44']/testcase[@name='pkg/b.o']/failure/@type)"),
            "extern");
  EXPECT_NE(xpath("string(//testcase[@name='pkg/c.o']/skipped/@message)").find("known <bug> & co"),
            std::string::npos);
}

TEST(GateSarif, RequiredFieldsOfSarif210) {
  GateResult result = Sample();
  result.rows[1].cells[1].findings[0].location = {"src/b.bpf.c", 12, 3};
  result.waivers = Parse("format_version = 1\n[[waiver]]\nobject = \"pkg/c.o\"\n"
                         "reason = \"accepted\"\nexpires = 2030-01-01\n")
                       .waivers;
  ApplyWaivers("2026-01-01", &result);
  nlohmann::json sarif = nlohmann::json::parse(RenderGateSarif(result));
  EXPECT_EQ(sarif["version"], "2.1.0");
  EXPECT_TRUE(sarif["$schema"].get<std::string>().find("sarif-2.1.0") != std::string::npos);
  ASSERT_EQ(sarif["runs"].size(), 1u);
  const nlohmann::json& run = sarif["runs"][0];
  EXPECT_EQ(run["tool"]["driver"]["name"], "kcontract");
  const nlohmann::json& rules = run["tool"]["driver"]["rules"];
  // b.o's finding, c.o's two, d.o unreadable.
  ASSERT_EQ(run["results"].size(), 4u);
  int suppressed = 0;
  for (const nlohmann::json& r : run["results"]) {
    ASSERT_TRUE(r["message"]["text"].is_string());
    ASSERT_TRUE(r["ruleId"].is_string());
    size_t index = r["ruleIndex"];
    ASSERT_LT(index, rules.size());
    EXPECT_EQ(rules[index]["id"], r["ruleId"]);
    EXPECT_TRUE(r["level"] == "error" || r["level"] == "warning" || r["level"] == "note");
    ASSERT_EQ(r["locations"].size(), 1u);
    EXPECT_TRUE(r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].is_string());
    if (r.contains("suppressions")) {
      ++suppressed;
      EXPECT_EQ(r["suppressions"][0]["kind"], "external");
      EXPECT_EQ(r["suppressions"][0]["justification"].get<std::string>().substr(0, 8), "accepted");
    }
  }
  EXPECT_EQ(suppressed, 2);
  const nlohmann::json& located = run["results"][0];
  EXPECT_EQ(located["ruleId"], "kfunc-missing");
  EXPECT_EQ(located["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            "src/b.bpf.c");
  EXPECT_EQ(located["locations"][0]["physicalLocation"]["region"]["startLine"], 12);
  EXPECT_EQ(located["locations"][0]["logicalLocations"][0]["name"], "pkg/b.o");
}

TEST(GateHtml, SelfContainedPageWithTheData) {
  GateResult result = Sample();
  result.rows[0].name = "pkg/</script><b>.o";
  std::string html = RenderGateHtml(result);
  EXPECT_EQ(html.find("<script src"), std::string::npos);
  EXPECT_EQ(html.find("http"), std::string::npos);
  EXPECT_EQ(html.find("</script><b>"), std::string::npos);
  EXPECT_NE(html.find("id=\"gate-data\""), std::string::npos);
  EXPECT_NE(html.find("regressions only"), std::string::npos);
}

// The text table, byte for byte: tests/golden/gate_table.txt
// (KC_UPDATE_GOLDEN=1 rewrites it).
TEST(GateText, MatchesGolden) {
  GateResult result = Sample();
  result.baseline_kernel = "6.1.0";
  result.rows[0].baseline = LoadStage::kNone;
  result.rows[1].baseline = LoadStage::kNone;
  result.rows[2].baseline = LoadStage::kExterns;
  result.waivers = Parse("format_version = 1\n[[waiver]]\nobject = \"pkg/c.o\"\n"
                         "kernel = \"6.12*\"\n"
                         "reason = \"accepted\"\nexpires = 2030-01-01\n")
                       .waivers;
  ApplyWaivers("2026-01-01", &result);
  std::string text = RenderGate(result, GateFormat::kText) + "---\n" +
                     RenderGate(result, GateFormat::kMarkdown);
  std::filesystem::path golden = std::filesystem::path(KCONTRACT_GOLDEN_DIR) / "gate_table.txt";
  if (std::getenv("KC_UPDATE_GOLDEN") != nullptr) {
    testing::WriteFileOrDie(golden,
                            ByteView(reinterpret_cast<const uint8_t*>(text.data()), text.size()));
  }
  Bytes expected = testing::ReadFileOrDie(golden);
  EXPECT_EQ(text, std::string(expected.begin(), expected.end()));
}

// An unreadable kernel and baseline in the text and markdown tables:
// tests/golden/gate_unreadable_kernel.txt.
TEST(GateText, UnreadableKernelMatchesGolden) {
  GateResult result = WithUnreadableKernel(/*baseline=*/true);
  std::string text = RenderGate(result, GateFormat::kText) + "---\n" +
                     RenderGate(result, GateFormat::kMarkdown);
  std::filesystem::path golden =
      std::filesystem::path(KCONTRACT_GOLDEN_DIR) / "gate_unreadable_kernel.txt";
  if (std::getenv("KC_UPDATE_GOLDEN") != nullptr) {
    testing::WriteFileOrDie(golden,
                            ByteView(reinterpret_cast<const uint8_t*>(text.data()), text.size()));
  }
  Bytes expected = testing::ReadFileOrDie(golden);
  EXPECT_EQ(text, std::string(expected.begin(), expected.end()));
}

}  // namespace
}  // namespace kcontract
