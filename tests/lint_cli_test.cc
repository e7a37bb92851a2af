// `kcontract lint` through the CLI (and the contract findings `check` adds):
// exit bits per level, the messages' facts (opt-in macro line, removal
// release, replacement, manifest file:line), default manifests on and off,
// --unknown, JSON, and bad input. Contracts: tests/manifests/lint.toml.
// Every run sets KCONTRACT_MANIFEST_DIR, so that manifests installed in the
// build tree never change a result here.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>

#include "abi/report/check_report.h"
#include "tests/test_support.h"

namespace kcontract {
namespace {

namespace fs = std::filesystem;
using testing::CommandResult;
using testing::ProcessScratch;
using testing::RunCommand;
using testing::ShellQuote;

const std::string kLintManifest = KCONTRACT_TEST_MANIFEST_DIR "/lint.toml";

std::string Object(const std::string& name) {
  return ShellQuote(std::string(KCONTRACT_OBJECT_DIR) + "/" + name + ".o");
}

// A directory standing in for the installed manifests: empty, or holding
// lint.toml.
std::string DefaultManifestDir(bool with_lint_manifest) {
  fs::path dir = ProcessScratch("lint_cli_test") / (with_lint_manifest ? "default" : "empty");
  fs::create_directories(dir);
  if (with_lint_manifest) {
    fs::copy_file(kLintManifest, dir / "lint.toml", fs::copy_options::overwrite_existing);
  }
  return dir.string();
}

CommandResult Kcontract(const std::string& args, bool default_has_lint_manifest = false) {
  return RunCommand(
      "KCONTRACT_MANIFEST_DIR=" + ShellQuote(DefaultManifestDir(default_has_lint_manifest)) + " " +
      KCONTRACT_CLI + " " + args);
}

// lint of `objects` with only tests/manifests/lint.toml. The objects go
// first: --manifest, being repeatable, would take the words after it.
CommandResult Lint(const std::string& objects, const std::string& options = "") {
  return Kcontract("lint " + objects + " --no-default-manifests --manifest " +
                   ShellQuote(kLintManifest) + " " + options);
}

bool Has(const std::string& text, const std::string& needle) {
  return text.find(needle) != std::string::npos;
}

TEST(LintCli, ExperimentalWithoutOptInExitsWithBit8AndNamesTheMacroLine) {
  CommandResult r = Lint(Object("lint_thp"));
  EXPECT_EQ(r.exit_code & 8, 8) << r.out << r.err;
  EXPECT_TRUE(Has(r.out, "lint_thp.o: error: [contract-experimental] bpf_thp_ops: ")) << r.out;
  EXPECT_TRUE(Has(r.out, "KCONTRACT_OPT_IN(\"bpf_thp\")")) << r.out;
}

// As clang's -fspell-checking-limit: an object can carry a hundred thousand
// opt-ins, and each suggestion compares one with every token the contracts
// know (20,000 took lint 7.6 s; the object reads in 0.02 s).
TEST(LintCli, OnlyTheFirstFiftyUnusedOptInsGetASuggestion) {
  CommandResult r = Lint(Object("lint_many_opt_ins"));
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  size_t unused = 0, suggested = 0;
  std::istringstream lines(r.out);
  for (std::string line; std::getline(lines, line);) {
    if (!Has(line, "[contract-unused-opt-in]")) continue;
    ++unused;
    if (Has(line, "(did you mean 'bpf_thp'?)")) ++suggested;
  }
  EXPECT_EQ(unused, 60u) << r.out;
  EXPECT_EQ(suggested, 50u) << r.out;
}

TEST(LintCli, ExperimentalWithOptInExitsZero) {
  CommandResult r = Lint(Object("lint_thp_opted_in"));
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_TRUE(Has(r.out, "note: [contract-opted-in] bpf_thp_ops: ")) << r.out;
  EXPECT_FALSE(Has(r.out, "error:")) << r.out;
}

TEST(LintCli, DeprecatedExitsFourNamingRemovalAndReplacement) {
  CommandResult r = Lint(Object("lint_deprecated"));
  EXPECT_EQ(r.exit_code, 4) << r.out << r.err;
  EXPECT_TRUE(Has(r.out, "warning: [contract-deprecated] bpf_kc_old_dispatch: ")) << r.out;
  EXPECT_TRUE(Has(r.out, "removed in 7.2")) << r.out;
  EXPECT_TRUE(Has(r.out, "use bpf_kc_new_dispatch instead")) << r.out;
}

// The line of the [[interface]] entry named `name` in lint.toml, and the
// line where the next entry (or the file) starts.
std::pair<int, int> EntryLines(const std::string& name) {
  std::ifstream in(kLintManifest);
  std::string line;
  int number = 0, header = 0, found = 0, end = 0;
  while (std::getline(in, line)) {
    ++number;
    if (line.rfind("[[interface]]", 0) == 0) {
      if (found != 0 && end == 0) end = number;
      header = number;
    }
    if (line == "name = \"" + name + "\"" && header != 0) found = header;
  }
  return {found, end == 0 ? number + 1 : end};
}

TEST(LintCli, WithdrawnExitsWithBit8NamingTheManifestEntrysFileAndLine) {
  CommandResult r = Lint(Object("lint_withdrawn"));
  EXPECT_EQ(r.exit_code & 8, 8) << r.out << r.err;
  EXPECT_TRUE(Has(r.out, "error: [contract-withdrawn] bpf_kc_gone: ")) << r.out;
  EXPECT_TRUE(Has(r.out, "withdrawn in 6.20")) << r.out;
  EXPECT_TRUE(Has(r.out, "use bpf_kc_replacement instead")) << r.out;
  auto [first, end] = EntryLines("bpf_kc_gone");
  ASSERT_GT(first, 0);
  std::smatch m;
  ASSERT_TRUE(std::regex_search(r.out, m, std::regex(R"(tests/manifests/lint\.toml:(\d+))")))
      << r.out;
  int line = std::stoi(m[1]);
  EXPECT_GE(line, first) << r.out;
  EXPECT_LT(line, end) << r.out;
}

TEST(LintCli, NoDefaultManifestsAndNoManifestLeavesOnlyAnUnknownNote) {
  // The stand-in installed manifests do govern by default...
  CommandResult by_default = Kcontract("lint " + Object("lint_deprecated"),
                                       /*default_has_lint_manifest=*/true);
  EXPECT_EQ(by_default.exit_code, 4) << by_default.out << by_default.err;
  // ...and not with --no-default-manifests.
  CommandResult r = Kcontract("lint --no-default-manifests " + Object("lint_deprecated"),
                              /*default_has_lint_manifest=*/true);
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_TRUE(Has(r.out, "lint_deprecated.o: note: [contract-unknown] bpf_kc_old_dispatch: "))
      << r.out;
  EXPECT_TRUE(Has(r.out, "unstable by default")) << r.out;
  EXPECT_TRUE(Has(r.out, "(0 errors, 0 warnings, 1 notes)")) << r.out;
}

TEST(LintCli, UnknownOptionSetsTheSeverityOfUnknownInterfaces) {
  std::string object = Object("lint_core");  // calls bpf_kc_unlisted
  EXPECT_EQ(Lint(object, "--unknown note").exit_code, 0);
  CommandResult warning = Lint(object, "--unknown warning");
  EXPECT_EQ(warning.exit_code, 4) << warning.out;
  EXPECT_TRUE(Has(warning.out, "warning: [contract-unknown] bpf_kc_unlisted")) << warning.out;
  EXPECT_EQ(Lint(object, "--unknown error").exit_code, 8);
  EXPECT_EQ(Lint(object, "--unknown fatal").exit_code, 2);
}

TEST(LintCli, ExitBitsOfSeveralObjectsCombine) {
  CommandResult r = Lint(Object("lint_deprecated") + " " + Object("lint_withdrawn"));
  EXPECT_EQ(r.exit_code, 12) << r.out << r.err;
}

TEST(LintCli, JsonCarriesFormatVersionOptInsAndFindings) {
  CommandResult r = Lint(Object("lint_thp_opted_in") + " " + Object("lint_thp"), "--json");
  ASSERT_EQ(r.exit_code, 8) << r.err;
  auto json = nlohmann::json::parse(r.out);
  EXPECT_EQ(json["format_version"], kLintJsonVersion);
  ASSERT_EQ(json["results"].size(), 2u);
  const auto& opted = json["results"][0];
  EXPECT_EQ(opted["opt_ins"], nlohmann::json::array({"bpf_thp"}));
  ASSERT_EQ(opted["findings"].size(), 1u);
  EXPECT_EQ(opted["findings"][0]["code"], "contract-opted-in");
  EXPECT_EQ(opted["findings"][0]["severity"], "note");
  EXPECT_EQ(opted["findings"][0]["subject"], "bpf_thp_ops");
  EXPECT_EQ(opted["findings"][0]["program"], "kc_exit, kc_get_order");
  const auto& bare = json["results"][1];
  EXPECT_EQ(bare["opt_ins"], nlohmann::json::array());
  EXPECT_EQ(bare["findings"][0]["code"], "contract-experimental");
  EXPECT_EQ(bare["findings"][0]["severity"], "error");
}

TEST(LintCli, MalformedOptInsAreWarningsOnStderr) {
  CommandResult r = Lint(Object("optin_malformed"));
  EXPECT_EQ(r.exit_code, 4) << r.out << r.err;
  EXPECT_TRUE(Has(r.err, "opt-in tag \"kcontract:optin=\" ")) << r.err;
  EXPECT_TRUE(Has(r.out, "[contract-unused-opt-in] bpf_thp")) << r.out;
}

TEST(LintCli, BadManifestOrObjectIsAToolError) {
  fs::path bad = ProcessScratch("lint_cli_test") / "bad.toml";
  std::ofstream(bad) << "format_version = 1\n[contract]\nname = \"bad\"\nowner = \"t\"\n"
                        "[[interface]]\nname = \"bpf_x\"\nkind = \"kfunc\"\n"
                        "stability = \"stabel\"\n";
  CommandResult r = Kcontract("lint " + Object("lint_deprecated") +
                              " --no-default-manifests --manifest " + ShellQuote(bad.string()));
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_TRUE(Has(r.err, bad.string() + ":8")) << r.err;
  EXPECT_EQ(r.out, "");
  CommandResult missing = Lint(ShellQuote("/nonexistent/kc.o"));
  EXPECT_EQ(missing.exit_code, 1) << missing.err;
}

// --- check: libbpf's findings plus the contract's ---------------------------

std::vector<std::string> LibbpfFindings(const nlohmann::json& result) {
  std::vector<std::string> out;
  for (const auto& f : result["findings"]) {
    std::string code = f["code"];
    if (code.rfind("contract-", 0) != 0) out.push_back(code + " " + std::string(f["subject"]));
  }
  return out;
}

TEST(CheckCli, AddsContractFindingsWithoutChangingLibbpfsPrediction) {
  if (!fs::exists("/sys/kernel/btf/vmlinux")) GTEST_SKIP() << "needs the running kernel's BTF";
  fs::path manifest = ProcessScratch("lint_cli_test") / "check.toml";
  std::ofstream(manifest) << "format_version = 1\n[contract]\nname = \"check\"\nowner = \"t\"\n"
                             "[[interface]]\nname = \"bpf_task_acquire\"\nkind = \"kfunc\"\n"
                             "stability = \"experimental\"\nopt_in = \"kc_task\"\n";
  std::string object = std::string(KCONTRACT_OBJECT_DIR) + "/show_all.o";
  std::string common = "check --json --kernel running --no-default-manifests " + ShellQuote(object);
  CommandResult plain = Kcontract(common);
  CommandResult with = Kcontract(common + " --manifest " + ShellQuote(manifest.string()));
  ASSERT_NE(plain.out, "") << plain.err;
  ASSERT_NE(with.out, "") << with.err;
  auto before = nlohmann::json::parse(plain.out)["results"][0];
  auto after = nlohmann::json::parse(with.out)["results"][0];
  EXPECT_EQ(after["outcome"], before["outcome"]);
  EXPECT_EQ(LibbpfFindings(after), LibbpfFindings(before));
  bool experimental = false;
  for (const auto& f : after["findings"]) {
    experimental |= f["code"] == "contract-experimental" && f["subject"] == "bpf_task_acquire" &&
                    f["severity"] == "error" && f["program"] == "on_switch";
  }
  EXPECT_TRUE(experimental) << with.out;
  EXPECT_EQ(with.exit_code & 8, 8);
  // Without contracts the kfuncs and the callback table are unknown: notes.
  int unknown = 0;
  for (const auto& f : before["findings"]) unknown += f["code"] == "contract-unknown";
  EXPECT_EQ(unknown, 3) << plain.out;  // bpf_task_acquire, bpf_task_release, tcp_congestion_ops
}

// A model kernel whose own BTF tags bpf_thp_ops "kcontract:experimental:
// optin=bpf_thp" (tests/model_kernels/thp_tagged_experimental.c): with no
// manifest at all, check enforces the kernel's word; the untagged kernel
// leaves the table unknown.
TEST(CheckCli, KernelsOwnStabilityTagsGovernWithoutManifests) {
  auto check = [](const std::string& object, const std::string& model) {
    CommandResult r = Kcontract("check " + Object(object) + " --json --no-default-manifests" +
                                " --kernel " + ShellQuote(testing::ModelKernelPath(model)));
    EXPECT_NE(r.out, "") << r.err;
    std::string codes;
    if (r.out.empty()) return codes;
    nlohmann::json json = nlohmann::json::parse(r.out);
    for (const auto& f : json["results"][0]["findings"]) {
      std::string code = f["code"];
      if (code.rfind("contract-", 0) == 0) codes += code + " " + std::string(f["subject"]) + ";";
    }
    return codes;
  };
  EXPECT_EQ(check("lint_thp", "thp_tagged_experimental"), "contract-experimental bpf_thp_ops;");
  EXPECT_EQ(check("lint_thp_opted_in", "thp_tagged_experimental"),
            "contract-opted-in bpf_thp_ops;");
  EXPECT_EQ(check("lint_thp", "thp_v9"), "contract-unknown bpf_thp_ops;");
}

}  // namespace
}  // namespace kcontract
