// Every command that prints JSON, run over the CLI with --format json: the
// document starts with the common envelope, "format_version" (the command's
// own schema version), "tool": "kcontract", "version": the release, in that
// order, then the command's payload. And every command reports a report it
// cannot write (a full disk) as one error line with exit bit 1.
#include <string>
#include <vector>

#include "abi/report/check_report.h"
#include "abi/report/diff_report.h"
#include "abi/report/inventory_report.h"
#include "abi/report/manifest_report.h"
#include "abi/report/object_report.h"
#include "abi/report/probe_report.h"
#include "btfdiff/base/text.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "tests/test_support.h"

namespace kcontract {
namespace {

using testing::ModelKernelPath;
using testing::RunCli;
using testing::ShellQuote;

struct JsonCommand {
  std::string name;            // for the test's name
  std::string args;            // after --format json
  int format_version;          // the command's schema version constant
  std::string payload_key;     // the first key after the envelope
};

std::string Model(const char* name) { return ShellQuote(ModelKernelPath(name)); }
std::string Object(const char* name) {
  return ShellQuote(std::string(KCONTRACT_OBJECT_DIR) + "/" + name + ".o");
}
// The test's contracts only: what the installed manifests say does not matter here.
const std::string kContracts =
    " --no-default-manifests --manifest " + ShellQuote(KCONTRACT_TEST_MANIFEST_DIR "/lint.toml");

std::vector<JsonCommand> JsonCommands() {
  return {
      {"KernelShow", "kernel show --kernel " + Model("thp_v9"), kInventoryJsonVersion, "source"},
      {"KernelKfuncs", "kernel kfuncs --kernel " + Model("thp_rfc_v4"), kInventoryJsonVersion,
       "kfuncs"},
      {"KernelStructOps", "kernel struct-ops --kernel " + Model("thp_v9"), kInventoryJsonVersion,
       "struct_ops"},
      {"ObjectShow", "object show " + Object("lint_thp"), kObjectJsonVersion, "objects"},
      {"Check", "check " + Object("lint_thp") + " --kernel " + Model("thp_v9") + kContracts,
       kCheckJsonVersion, "libbpf"},
      {"Lint", "lint " + Object("lint_thp") + kContracts, kLintJsonVersion, "results"},
      {"Diff",
       "diff --kernel " + Model("thp_rfc_v4") + " --kernel " + Model("thp_v9") + kContracts,
       kDiffJsonVersion, "old"},
      {"Probe", "probe --kernel " + Model("thp_v9") + kContracts, kProbeJsonVersion, "kernel"},
      {"ManifestCheck",
       "manifest check " + ShellQuote(KCONTRACT_TEST_MANIFEST_DIR "/lint.toml"),
       kManifestJsonVersion, "files"},
      // --dry-run writes nothing: the summary alone is the JSON.
      {"ManifestUpdate",
       "manifest update --dry-run --kernel " + Model("thp_v9") + " " +
           ShellQuote(KCONTRACT_TEST_MANIFEST_DIR "/lint.toml"),
       kManifestJsonVersion, "manifest"},
  };
}

// Exit bits 1 (tool error) and 2 (usage): the command did not do its work.
constexpr int kFailureBits = 1 | 2;

class JsonEnvelopeTest : public ::testing::TestWithParam<JsonCommand> {};

TEST_P(JsonEnvelopeTest, StartsWithFormatVersionToolAndVersion) {
  const JsonCommand& command = GetParam();
  testing::CommandResult result = RunCli("--format json " + command.args);
  ASSERT_EQ(result.exit_code & kFailureBits, 0) << result.err;
  nlohmann::ordered_json document =
      nlohmann::ordered_json::parse(result.out, nullptr, /*allow_exceptions=*/false);
  ASSERT_FALSE(document.is_discarded()) << result.out.substr(0, 500);
  ASSERT_TRUE(document.is_object()) << result.out.substr(0, 500);
  std::vector<std::string> keys;
  for (const auto& [key, value] : document.items()) keys.push_back(key);
  ASSERT_GE(keys.size(), 4u) << result.out.substr(0, 500);
  EXPECT_EQ(std::vector<std::string>(keys.begin(), keys.begin() + 4),
            (std::vector<std::string>{"format_version", "tool", "version", command.payload_key}));
  EXPECT_EQ(document["format_version"], command.format_version);
  EXPECT_EQ(document["tool"], "kcontract");
  EXPECT_EQ(document["version"], KCONTRACT_VERSION);
  EXPECT_EQ(RunCli("--version").out, "kcontract " + document["version"].get<std::string>() + "\n");
  // -j is the same as --format json.
  EXPECT_EQ(RunCli("-j " + command.args).out, result.out);
}

TEST_P(JsonEnvelopeTest, AReportThatCannotBeWrittenIsOneErrorWithExitBitOne) {
  const JsonCommand& command = GetParam();
  for (const char* format : {"text", "json"}) {
    SCOPED_TRACE(format);
    testing::CommandResult result =
        RunCli(std::string("--format ") + format + " " + command.args + " >/dev/full");
    EXPECT_EQ(result.exit_code & kFailureBits, 1) << result.err;
    // Warnings about the inputs (and manifest update's summary) may be there
    // too; the one error is the write.
    std::vector<std::string> errors;
    for (std::string_view line : SplitView(result.err, '\n')) {
      if (line.starts_with("kcontract: error: ")) errors.emplace_back(line);
    }
    EXPECT_EQ(errors, std::vector<std::string>{
                          "kcontract: error: cannot write to standard output: No space left "
                          "on device"})
        << result.err;
  }
}

INSTANTIATE_TEST_SUITE_P(EveryJsonCommand, JsonEnvelopeTest, ::testing::ValuesIn(JsonCommands()),
                         [](const ::testing::TestParamInfo<JsonCommand>& info) {
                           return info.param.name;
                         });

}  // namespace
}  // namespace kcontract
