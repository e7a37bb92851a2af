// The gate's JUnit XML and SARIF against their schemas (tests/schemas/,
// written for these tests: gate_schemas.h), on results holding every cell
// state, an unreadable input, unreadable kernels (a column and the
// baseline), waivers and located findings; the JUnit counts against the
// testcases they count. And proof that the schemas bite: each output with
// one required element or property dropped, or a value out of its set, is
// refused.
#include <filesystem>
#include <functional>
#include <regex>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "abi/gate/gate_result.h"
#include "abi/gate/gate_run.h"
#include "abi/gate/gate_waivers.h"
#include "abi/report/gate_report.h"
#include "tests/gate_schemas.h"
#include "tests/test_support.h"

namespace kcontract {
namespace {

namespace fs = std::filesystem;

Finding Error(std::string code, std::string subject, SourceLocation location = {}) {
  Finding f;
  f.severity = Severity::kError;
  f.code = std::move(code);
  f.subject = std::move(subject);
  f.program = "handle";
  f.message = "kfunc is not in the kernel <\"&'>";
  f.stage = LoadStage::kExterns;
  f.location = std::move(location);
  return f;
}

GateCell Loads() { return GateCell{}; }
GateCell Fails(Finding finding) {
  GateCell cell;
  cell.verdict = finding.stage;
  cell.findings.push_back(std::move(finding));
  return cell;
}
GateCell Unreadable() {
  GateCell cell;
  cell.kernel_unreadable = true;
  return cell;
}

GateRow Row(std::string name, std::optional<LoadStage> baseline, std::vector<GateCell> cells) {
  GateRow row;
  row.name = name;
  row.names = {name};
  row.sha256 = std::string(64, 'b');
  row.baseline = baseline;
  row.cells = std::move(cells);
  return row;
}

// Every state: ok, fixed, FAIL (a regression, located), known, waived,
// unreadable cells in a kernel that could not be read, an unreadable input;
// with `unreadable_baseline`, the baseline could not be read either.
GateResult Everything(bool unreadable_baseline) {
  GateResult result;
  result.kernels = {"6.12.1", "6.18.44", "/kernels/gone <1>.btf"};
  result.kernel_errors = {"", "", "no such file or directory"};
  result.baseline_kernel = "6.1.0";
  const LoadStage ok = LoadStage::kNone;
  result.rows.push_back(Row("pkg/a.o", ok, {Loads(), Loads(), Unreadable()}));
  result.rows.push_back(
      Row("pkg/b.o", ok,
          {Loads(), Fails(Error("kfunc-missing", "bpf_x", {"src/b d.bpf.c", 12, 3})),
           Unreadable()}));
  result.rows.back().names.push_back("pkg/copy <&> b.o");
  result.rows.push_back(Row("pkg/c.o", LoadStage::kExterns,
                            {Loads(), Fails(Error("kfunc-proto", "bpf_y")), Unreadable()}));
  result.rows.push_back(
      Row("pkg/w.o", ok, {Fails(Error("kfunc-missing", "bpf_z")), Loads(), Unreadable()}));
  GateRow bad;
  bad.name = bad.names.emplace_back("pkg/d.o");
  bad.error = "truncated ELF header";
  result.rows.push_back(bad);
  WaiverReadResult waivers =
      ParseWaivers("format_version = 1\n[[waiver]]\nobject = \"pkg/w.o\"\n"
                   "reason = \"known <bug> & \\\"co\\\"\"\nexpires = 2030-01-01\n",
                   "w.toml");
  EXPECT_TRUE(waivers.ok());
  result.waivers = waivers.waivers;
  if (unreadable_baseline) {
    result.baseline_error = "malformed BTF: Invalid argument";
    for (GateRow& row : result.rows) row.baseline.reset();
  }
  ApplyWaivers("2026-01-01", &result);
  return result;
}

class GateSchemaTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string missing = testing::MissingSchemaValidators();
    if (!missing.empty()) GTEST_SKIP() << "needs " << missing;
    // Per process: ctest runs these tests in parallel, each its own process.
    dir_ = testing::ProcessScratch("gate_schema");
  }
  fs::path Write(const std::string& name, const std::string& text) {
    fs::path file = dir_ / name;
    testing::WriteFileOrDie(file,
                            ByteView(reinterpret_cast<const uint8_t*>(text.data()), text.size()));
    return file;
  }
  std::string XPath(const fs::path& file, const std::string& expression) {
    testing::CommandResult r = testing::RunCommand(
        "xmllint --xpath " + testing::ShellQuote(expression) + " " + file.string());
    EXPECT_EQ(r.exit_code, 0) << expression << r.err;
    while (!r.out.empty() && r.out.back() == '\n') r.out.pop_back();
    return r.out;
  }
  fs::path dir_;
};

TEST_F(GateSchemaTest, JunitIsValidAndItsCountsAddUp) {
  for (bool unreadable_baseline : {false, true}) {
    GateResult result = Everything(unreadable_baseline);
    fs::path file = Write("junit.xml", RenderGateJunit(result));
    testing::CommandResult valid = testing::ValidateJunit(file);
    EXPECT_EQ(valid.exit_code, 0) << valid.err;
    // Every state is there, so that the schema saw each element.
    EXPECT_EQ(XPath(file, "count(//failure)"), unreadable_baseline ? "2" : "1");
    EXPECT_NE(XPath(file, "count(//skipped)"), "0");
    EXPECT_NE(XPath(file, "count(//error[@type='unreadable-kernel'])"), "0");
    EXPECT_NE(XPath(file, "count(//error[@type='unreadable'])"), "0");
    // Each count is that of what it counts.
    for (const char* what : {"failure", "error", "skipped"}) {
      std::string attribute = std::string(what == std::string("failure") ? "failures"
                                          : what == std::string("error")  ? "errors"
                                                                          : "skipped");
      EXPECT_EQ(XPath(file, "count(//testsuite[@" + attribute + " != count(testcase/" + what +
                                ")])"),
                "0")
          << attribute;
      EXPECT_EQ(XPath(file, "string(/testsuites/@" + attribute + ")"),
                XPath(file, "count(//testcase/" + std::string(what) + ")"))
          << attribute;
    }
    EXPECT_EQ(XPath(file, "count(//testsuite[@tests != count(testcase)])"), "0");
    EXPECT_EQ(XPath(file, "string(/testsuites/@tests)"), XPath(file, "count(//testcase)"));
  }
}

TEST_F(GateSchemaTest, SarifIsValid) {
  for (bool unreadable_baseline : {false, true}) {
    std::string sarif = RenderGateSarif(Everything(unreadable_baseline));
    testing::CommandResult valid = testing::ValidateSarif(Write("gate.sarif", sarif));
    EXPECT_EQ(valid.exit_code, 0) << valid.out << valid.err;
    nlohmann::json j = nlohmann::json::parse(sarif);
    bool suppressed = false, region = false;
    for (const nlohmann::json& r : j["runs"][0]["results"]) {
      suppressed |= r.contains("suppressions");
      region |= r["locations"][0]["physicalLocation"].contains("region");
    }
    EXPECT_TRUE(suppressed && region) << "the schema must have seen every part";
  }
}

// The unmutated output passes; each mutation, one required part dropped or
// a value outside its set, fails.
TEST_F(GateSchemaTest, JunitMissingWhatIsRequiredIsRefused) {
  const std::string xml = RenderGateJunit(Everything(false));
  ASSERT_EQ(testing::ValidateJunit(Write("control.xml", xml)).exit_code, 0);
  const std::pair<const char*, std::function<std::string(std::string)>> mutations[] = {
      {"testcase without classname",
       [](std::string x) { return std::regex_replace(x, std::regex(" classname=\"[^\"]*\""), "",
                                                     std::regex_constants::format_first_only); }},
      {"testcase without name",
       [](std::string x) {
         return std::regex_replace(x, std::regex("(<testcase [^>]*?) name=\"[^\"]*\""), "$1",
                                   std::regex_constants::format_first_only);
       }},
      {"testsuite without name",
       [](std::string x) { return std::regex_replace(x, std::regex("<testsuite name=\"[^\"]*\""),
                                                     "<testsuite",
                                                     std::regex_constants::format_first_only); }},
      {"testsuite without tests",
       [](std::string x) {
         return std::regex_replace(x, std::regex("(<testsuite [^>]*?) tests=\"[0-9]+\""), "$1",
                                   std::regex_constants::format_first_only);
       }},
      {"testsuites without failures",
       [](std::string x) {
         return std::regex_replace(x, std::regex("(<testsuites [^>]*?) failures=\"[0-9]+\""), "$1",
                                   std::regex_constants::format_first_only);
       }},
      {"failure without message",
       [](std::string x) {
         return std::regex_replace(x, std::regex("(<failure [^>]*?) message=\"[^\"]*\""), "$1",
                                   std::regex_constants::format_first_only);
       }},
      {"a count that is no number",
       [](std::string x) {
         return std::regex_replace(x, std::regex(" errors=\"[0-9]+\""), " errors=\"some\"",
                                   std::regex_constants::format_first_only);
       }},
      {"testcases outside a testsuite",
       [](std::string x) {
         x = std::regex_replace(x, std::regex("<testsuite [^>]*>"), "");
         return std::regex_replace(x, std::regex("</testsuite>"), "");
       }},
  };
  for (const auto& [what, mutate] : mutations) {
    std::string mutated = mutate(xml);
    ASSERT_NE(mutated, xml) << what;
    testing::CommandResult r = testing::ValidateJunit(Write("mutated.xml", mutated));
    EXPECT_NE(r.exit_code, 0) << what << " passed the schema";
  }
}

TEST_F(GateSchemaTest, SarifMissingWhatIsRequiredIsRefused) {
  const nlohmann::json sarif = nlohmann::json::parse(RenderGateSarif(Everything(false)));
  ASSERT_EQ(testing::ValidateSarif(Write("control.sarif", sarif.dump())).exit_code, 0);
  // The first result located at a source line, the first suppressed one.
  size_t located = 0, suppressed = 0;
  const nlohmann::json& results = sarif["runs"][0]["results"];
  for (size_t i = results.size(); i-- > 0;) {
    if (results[i]["locations"][0]["physicalLocation"].contains("region")) located = i;
    if (results[i].contains("suppressions")) suppressed = i;
  }
  using Mutation = std::function<void(nlohmann::json&)>;
  const std::pair<const char*, Mutation> mutations[] = {
      {"no version", [](nlohmann::json& j) { j.erase("version"); }},
      {"another version", [](nlohmann::json& j) { j["version"] = "2.0.0"; }},
      {"no runs", [](nlohmann::json& j) { j.erase("runs"); }},
      {"no tool", [](nlohmann::json& j) { j["runs"][0].erase("tool"); }},
      {"no driver name", [](nlohmann::json& j) { j["runs"][0]["tool"]["driver"].erase("name"); }},
      {"a rule without id",
       [](nlohmann::json& j) { j["runs"][0]["tool"]["driver"]["rules"][0].erase("id"); }},
      {"a result without message",
       [](nlohmann::json& j) { j["runs"][0]["results"][0].erase("message"); }},
      {"a message without text",
       [](nlohmann::json& j) { j["runs"][0]["results"][0]["message"].erase("text"); }},
      {"a result without ruleId",
       [](nlohmann::json& j) { j["runs"][0]["results"][0].erase("ruleId"); }},
      {"a misspelt ruleId",
       [](nlohmann::json& j) {
         nlohmann::json& r = j["runs"][0]["results"][0];
         r["ruleID"] = r["ruleId"];
         r.erase("ruleId");
       }},
      {"a level outside its set",
       [](nlohmann::json& j) { j["runs"][0]["results"][0]["level"] = "fatal"; }},
      {"an artifact location without uri",
       [](nlohmann::json& j) {
         j["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"].erase(
             "uri");
       }},
      {"a region at line 0",
       [located](nlohmann::json& j) {
         j["runs"][0]["results"][located]["locations"][0]["physicalLocation"]["region"]
          ["startLine"] = 0;
       }},
      {"a suppression without kind",
       [suppressed](nlohmann::json& j) {
         j["runs"][0]["results"][suppressed]["suppressions"][0].erase("kind");
       }},
  };
  for (const auto& [what, mutate] : mutations) {
    nlohmann::json mutated = sarif;
    mutate(mutated);
    ASSERT_NE(mutated, sarif) << what;
    testing::CommandResult r = testing::ValidateSarif(Write("mutated.sarif", mutated.dump()));
    EXPECT_NE(r.exit_code, 0) << what << " passed the schema";
  }
}

}  // namespace
}  // namespace kcontract
