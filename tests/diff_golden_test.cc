// `kcontract diff` on pairs of C models compiled to BTF (tests/diff/<name>.0.c
// and .1.c): the report of each pair is compared with tests/diff/<name>.expected
// (and <name>.expected.json where one exists). KC_UPDATE_GOLDEN=1 rewrites
// them instead; review the diff of the expected files before committing.
// Also the command line on model BTF: exit bits, JSON, and bad input.
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <string>

#include "abi/policy/diff_policy.h"
#include "abi/report/diff_report.h"
#include "btfdiff/diff/kernel_diff.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "tests/diff_models.h"
#include "tests/test_support.h"

namespace kcontract {
namespace {

namespace fs = std::filesystem;
using testing::DiffModelNames;
using testing::LoadModelKernel;
using testing::ModelKernel;
using testing::ModelRawBtf;
using testing::RunCli;
using testing::ShellQuote;

bool Updating() {
  const char* update = std::getenv("KC_UPDATE_GOLDEN");
  return update != nullptr && std::string(update) == "1";
}

std::string ReadText(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

void WriteText(const fs::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
}

KernelDiff DiffModel(const std::string& name, const DiffOptions& options = {}) {
  ModelKernel old_model = LoadModelKernel(name, 0);
  ModelKernel new_model = LoadModelKernel(name, 1);
  return DiffInventories(old_model.inventory, new_model.inventory, options);
}

std::string Render(const KernelDiff& diff, OutputFormat format) {
  return RenderDiff(diff, JudgeDiff(diff, NoContracts()), format);
}

// The JSON without the tool's version, which changes with every release.
nlohmann::json Comparable(const std::string& text) {
  nlohmann::json json = nlohmann::json::parse(text);
  json.erase("version");
  return json;
}

TEST(DiffGolden, ThereAreModelPairs) {
  std::vector<std::string> names = DiffModelNames();
  EXPECT_GE(names.size(), 4u);
  for (const std::string& name : names) {
    EXPECT_TRUE(fs::exists(fs::path(KC_DIFF_SOURCE_DIR) / (name + ".1.c"))) << name;
  }
}

TEST(DiffGolden, TextReportsMatchExpectedFiles) {
  for (const std::string& name : DiffModelNames()) {
    SCOPED_TRACE(name);
    std::string text = Render(DiffModel(name), OutputFormat::kText);
    fs::path expected = fs::path(KC_DIFF_SOURCE_DIR) / (name + ".expected");
    if (Updating()) {
      WriteText(expected, text);
      continue;
    }
    ASSERT_TRUE(fs::exists(expected)) << "run with KC_UPDATE_GOLDEN=1 to create " << expected;
    EXPECT_EQ(text, ReadText(expected));
  }
}

TEST(DiffGolden, JsonReportsMatchExpectedFiles) {
  int compared = 0;
  for (const std::string& name : DiffModelNames()) {
    SCOPED_TRACE(name);
    fs::path expected = fs::path(KC_DIFF_SOURCE_DIR) / (name + ".expected.json");
    if (!fs::exists(expected)) continue;
    std::string json = Render(DiffModel(name), OutputFormat::kJson);
    ++compared;
    if (Updating()) {
      WriteText(expected, json);
      continue;
    }
    EXPECT_EQ(Comparable(json), Comparable(ReadText(expected)));
  }
  EXPECT_GE(compared, 1);
}

// The models exist to cover the change model: every kind of change and
// every compatibility appears in at least one of them.
TEST(DiffGolden, ModelsCoverEveryChangeKindAndCompatibility) {
  std::set<ChangeKind> kinds;
  std::set<Compatibility> compatibilities;
  for (const std::string& name : DiffModelNames()) {
    for (const AbiChange& change : DiffModel(name).changes) {
      kinds.insert(change.kind);
      compatibilities.insert(change.compatibility);
    }
  }
  for (int k = 0; k <= static_cast<int>(ChangeKind::kEnumeratorValueChanged); ++k) {
    EXPECT_TRUE(kinds.contains(static_cast<ChangeKind>(k)))
        << "no model shows " << ChangeKindName(static_cast<ChangeKind>(k));
  }
  EXPECT_EQ(compatibilities.size(), 3u);
}

// The change of `kind` to `subject`'s `item`; any kind when not given.
const AbiChange* FindChange(const KernelDiff& diff, std::string_view subject,
                            std::string_view item, std::optional<ChangeKind> kind = {}) {
  for (const AbiChange& change : diff.changes) {
    if (change.subject == subject && change.item == item && (!kind || change.kind == *kind)) {
      return &change;
    }
  }
  return nullptr;
}

TEST(DiffGolden, TypedefOnlyRenamesAreCompatible) {
  KernelDiff kfuncs = DiffModel("kfuncs");
  const AbiChange* arg = FindChange(kfuncs, "kf_typedef_rename", "argument 1 'flags'");
  ASSERT_NE(arg, nullptr);
  EXPECT_EQ(arg->compatibility, Compatibility::kCompatible);
  EXPECT_NE(arg->reason.find("typedef-only"), std::string::npos) << arg->reason;
  KernelDiff types = DiffModel("types");
  const AbiChange* member = FindChange(types, "struct obj", "member renamed_typedef",
                                       ChangeKind::kTypeMemberRetyped);
  ASSERT_NE(member, nullptr);
  EXPECT_EQ(member->kind, ChangeKind::kTypeMemberRetyped);
  EXPECT_EQ(member->compatibility, Compatibility::kCompatible);
}

TEST(DiffGolden, TrailingMembersAreCompatibleButProgramMemoryGrowthBreaks) {
  KernelDiff types = DiffModel("types");
  const AbiChange* appended =
      FindChange(types, "struct obj", "member appended", ChangeKind::kTypeMemberAdded);
  ASSERT_NE(appended, nullptr);
  EXPECT_EQ(appended->compatibility, Compatibility::kCompatible);
  EXPECT_NE(appended->reason.find("after the old end"), std::string::npos);
  // struct args is memory the caller provides: its growth is the caller's
  // problem; struct sized_args comes with its size in a __sz argument.
  const AbiChange* args = FindChange(types, "struct args", "size");
  ASSERT_NE(args, nullptr);
  EXPECT_EQ(args->compatibility, Compatibility::kBreaking);
  const AbiChange* sized = FindChange(types, "struct sized_args", "size");
  ASSERT_NE(sized, nullptr);
  EXPECT_EQ(sized->compatibility, Compatibility::kCompatible);
  const AbiChange* object = FindChange(types, "struct obj", "size");
  ASSERT_NE(object, nullptr);
  EXPECT_EQ(object->compatibility, Compatibility::kCompatible);
}

// Memory programs lay out themselves (caller_memory.{0,1}.c): judged by
// bytes, not names; a __sz argument makes growth at the end compatible on
// the condition, said in the report, that the kernel still takes the old
// size.
TEST(DiffGolden, CallerSizedMemoryIsJudgedByItsSizeArgumentAndItsBytes) {
  KernelDiff diff = DiffModel("caller_memory");
  auto judged = [&](std::string_view subject, std::string_view item,
                    std::optional<ChangeKind> kind = {}) -> const AbiChange& {
    static const AbiChange none;
    const AbiChange* change = FindChange(diff, subject, item, kind);
    EXPECT_NE(change, nullptr) << subject << " " << item;
    return change != nullptr ? *change : none;
  };
  const AbiChange& size = judged("struct kc_ct_opts", "size");
  EXPECT_EQ(size.compatibility, Compatibility::kCompatible);
  EXPECT_TRUE(size.conditional);
  EXPECT_NE(size.reason.find("in kc_ct_lookup's opts__sz: a program built for 12 bytes passes 12"),
            std::string::npos)
      << size.reason;
  EXPECT_NE(size.reason.find("(the kernels' KC_CT_OPTS_SZ 12 -> 16)"), std::string::npos);
  const AbiChange& zone = judged("struct kc_ct_opts", "member ct_zone_id");
  EXPECT_EQ(zone.compatibility, Compatibility::kCompatible);
  EXPECT_NE(zone.reason.find("reserved in the old layout (u8 reserved[2])"), std::string::npos);
  const AbiChange& reserved =
      judged("struct kc_ct_opts", "member reserved", ChangeKind::kTypeMemberMoved);
  EXPECT_EQ(reserved.compatibility, Compatibility::kCompatible);
  EXPECT_FALSE(reserved.conditional);
  // A member callers set that moves breaks them: no CO-RE for their memory.
  EXPECT_EQ(judged("struct kc_moved_opts", "member flags", ChangeKind::kTypeMemberMoved)
                .compatibility,
            Compatibility::kBreaking);
  EXPECT_EQ(judged("struct kc_hole_opts", "member subkind").compatibility,
            Compatibility::kNeedsReview);
  EXPECT_EQ(judged("struct kc_big_opts", "size").compatibility, Compatibility::kNeedsReview);
  EXPECT_EQ(judged("struct kc_plain_args", "size").compatibility, Compatibility::kBreaking);
  // The text says why even where compatible, when it is on a condition.
  std::string text = Render(diff, OutputFormat::kText);
  EXPECT_NE(text.find("  note: size: 12 bytes -> 16 bytes [compatible]\n    why: callers pass the "
                      "size of struct kc_ct_opts in kc_ct_lookup's opts__sz"),
            std::string::npos)
      << text;
  EXPECT_EQ(text.find("member reserved moved: offset 10 -> offset 13 [compatible]\n    why"),
            std::string::npos)
      << text;
}

TEST(DiffGolden, TypesBeyondThePointerBoundAreNotReported) {
  KernelDiff bounded = DiffModel("types");
  EXPECT_EQ(FindChange(bounded, "struct far", "member y"), nullptr);
  DiffOptions deeper;
  deeper.max_pointer_hops = 2;
  KernelDiff deep = DiffModel("types", deeper);
  const AbiChange* far = FindChange(deep, "struct far", "member y");
  ASSERT_NE(far, nullptr);
  EXPECT_EQ(far->path, "kt_use argument 1 > struct obj.far");
}

TEST(DiffGolden, CyclicTypesTerminateAndReportEachTypeOnce) {
  DiffOptions unbounded;
  unbounded.max_pointer_hops = 1000;
  KernelDiff diff = DiffModel("cycles", unbounded);
  std::map<std::string, int> reports;
  for (const AbiChange& change : diff.changes) ++reports[change.subject + " " + change.item];
  EXPECT_EQ(reports["struct b size"], 1);
  EXPECT_EQ(reports["struct b member sibling"], 1);
  EXPECT_EQ(reports["struct node member value"], 1);
  // Reached through every kfunc once the bound is lifted: a from kc_pair
  // and, through holder's pointer, kc_hold; b also through a's.
  const AbiChange* added = FindChange(diff, "struct a", "member added");
  ASSERT_NE(added, nullptr);
  std::vector<std::string> from;
  for (const InterfaceRef& ref : added->reached_from) from.push_back(ref.name);
  EXPECT_EQ(from, (std::vector<std::string>{"kc_hold", "kc_pair"}));
}

TEST(DiffGolden, IdenticalKernelsHaveNoChanges) {
  for (const std::string& name : DiffModelNames()) {
    SCOPED_TRACE(name);
    ModelKernel a = LoadModelKernel(name, 1);
    ModelKernel b = LoadModelKernel(name, 1);
    KernelDiff diff = DiffInventories(a.inventory, b.inventory);
    EXPECT_TRUE(diff.changes.empty()) << Render(diff, OutputFormat::kText);
    EXPECT_EQ(JudgeDiff(diff, NoContracts()).ExitBits(), 0);
  }
}

// --- the command line -------------------------------------------------------

const fs::path& Scratch() { return testing::ProcessScratch("diff_golden_test"); }

fs::path WriteModelBtf(const std::string& name, int side) {
  fs::path path = Scratch() / (name + "." + std::to_string(side) + ".btf");
  testing::WriteFileOrDie(path, ModelRawBtf(name, side));
  return path;
}

std::string DiffArgs(const fs::path& old_btf, const fs::path& new_btf) {
  return "diff --kernel " + ShellQuote(old_btf.string()) + " --kernel " +
         ShellQuote(new_btf.string());
}

int LineCount(const std::string& text) {
  return static_cast<int>(std::count(text.begin(), text.end(), '\n'));
}

TEST(DiffCli, ReportsChangesWithExitBitFour) {
  fs::path old_btf = WriteModelBtf("struct_ops", 0);
  fs::path new_btf = WriteModelBtf("struct_ops", 1);
  testing::CommandResult result = RunCli(DiffArgs(old_btf, new_btf));
  EXPECT_EQ(result.exit_code, 4) << result.err;
  EXPECT_EQ(result.out.rfind("kcontract diff " + old_btf.string() + " -> " + new_btf.string(), 0),
            0u)
      << result.out;
  EXPECT_NE(result.out.find("struct_ops gone_ops: removed [breaking, implementer]"),
            std::string::npos)
      << result.out;
}

fs::path WriteManifest(const std::string& name, const std::string& interfaces) {
  fs::path path = Scratch() / (name + ".toml");
  std::string text = "format_version = 1\n[contract]\nname = \"" + name + "\"\n" + interfaces;
  testing::WriteFileOrDie(path, Bytes(text.begin(), text.end()));
  return path;
}

std::string ManifestArgs(const fs::path& manifest) {
  return " --no-default-manifests --manifest " + ShellQuote(manifest.string());
}

TEST(DiffCli, BreakingAStablePromiseSetsBitEight) {
  fs::path old_btf = WriteModelBtf("kfuncs", 0);
  fs::path new_btf = WriteModelBtf("kfuncs", 1);
  fs::path manifest = WriteManifest(
      "stable", "[[interface]]\nname = \"kf_arg_count\"\nkind = \"kfunc\"\n"
                "stability = \"stable\"\n");
  testing::CommandResult result = RunCli(DiffArgs(old_btf, new_btf) + ManifestArgs(manifest));
  EXPECT_EQ(result.exit_code, 8 | 4) << result.err;
  EXPECT_NE(result.out.find("error: kfunc kf_arg_count: arguments 2 -> 3"), std::string::npos)
      << result.out;
}

TEST(DiffCli, BreakingAnExperimentalInterfaceIsReportedNotFailed) {
  fs::path old_btf = WriteModelBtf("kfuncs", 0);
  fs::path new_btf = WriteModelBtf("kfuncs", 1);
  fs::path manifest = WriteManifest(
      "experimental", "[[interface]]\nname = \"kf_arg_count\"\nkind = \"kfunc\"\n"
                      "stability = \"experimental\"\n");
  testing::CommandResult result = RunCli(DiffArgs(old_btf, new_btf) + ManifestArgs(manifest));
  EXPECT_EQ(result.exit_code, 4) << result.err;
  EXPECT_NE(result.out.find("warning: kfunc kf_arg_count: arguments 2 -> 3"), std::string::npos)
      << result.out;
}

TEST(DiffCli, AnInvalidManifestIsNamedWithItsLine) {
  fs::path btf = WriteModelBtf("kfuncs", 1);
  fs::path manifest = WriteManifest("bad", "[[interface]]\nname = \"x\"\nkind = \"kfnc\"\n");
  testing::CommandResult result = RunCli(DiffArgs(btf, btf) + ManifestArgs(manifest));
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_NE(result.err.find(manifest.string() + ":6:"), std::string::npos) << result.err;
}

TEST(DiffCli, JsonHasAVersionedSchema) {
  fs::path old_btf = WriteModelBtf("types", 0);
  fs::path new_btf = WriteModelBtf("types", 1);
  testing::CommandResult result = RunCli("--format json " + DiffArgs(old_btf, new_btf));
  ASSERT_EQ(result.exit_code, 4) << result.err;
  nlohmann::json json = nlohmann::json::parse(result.out);
  EXPECT_EQ(json["format_version"], kDiffJsonVersion);
  EXPECT_EQ(json["tool"], "kcontract");
  EXPECT_TRUE(json["version"].is_string());
  EXPECT_EQ(json["changes"].size(), DiffModel("types").changes.size());
  EXPECT_EQ(json["summary"]["types"]["changed"], 6);
}

TEST(DiffCli, SameKernelTwiceExitsZero) {
  fs::path btf = WriteModelBtf("kfuncs", 1);
  testing::CommandResult result = RunCli(DiffArgs(btf, btf));
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_NE(result.out.find("kfuncs: +0 -0 ~0: 0 breaking, 0 needs review, 0 compatible\n"
                            "struct_ops: +0 -0 ~0: 0 breaking, 0 needs review, 0 compatible\n"
                            "types: ~0: 0 breaking, 0 needs review, 0 compatible\n"),
            std::string::npos)
      << result.out;
}

TEST(DiffCli, OneKernelIsAUsageError) {
  fs::path btf = WriteModelBtf("kfuncs", 0);
  testing::CommandResult result = RunCli("diff --kernel " + ShellQuote(btf.string()));
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_EQ(LineCount(result.err), 1) << result.err;
  EXPECT_NE(result.err.find("exactly two kernels"), std::string::npos) << result.err;
  EXPECT_TRUE(result.out.empty());
}

TEST(DiffCli, MissingFileIsNamedOnOneLine) {
  fs::path btf = WriteModelBtf("kfuncs", 0);
  fs::path missing = Scratch() / "no-such-kernel.btf";
  testing::CommandResult result = RunCli(DiffArgs(btf, missing));
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_EQ(LineCount(result.err), 1) << result.err;
  EXPECT_NE(result.err.find(missing.string()), std::string::npos) << result.err;
  EXPECT_TRUE(result.out.empty());
}

TEST(DiffCli, CorruptFileIsNamedOnOneLine) {
  fs::path btf = WriteModelBtf("kfuncs", 0);
  Bytes raw = ModelRawBtf("kfuncs", 1);
  raw.resize(raw.size() / 2);  // a BTF header promising more than there is
  fs::path corrupt = Scratch() / "truncated.btf";
  testing::WriteFileOrDie(corrupt, raw);
  testing::CommandResult result = RunCli(DiffArgs(corrupt, btf));
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_EQ(LineCount(result.err), 1) << result.err;
  EXPECT_NE(result.err.find(corrupt.string()), std::string::npos) << result.err;
  EXPECT_TRUE(result.out.empty());
}

TEST(DiffCli, BpfObjectIsNotAKernel) {
  fs::path btf = WriteModelBtf("kfuncs", 0);
  fs::path object = testing::DiffModelObject("kfuncs", 1);
  testing::CommandResult result = RunCli(DiffArgs(btf, object));
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_EQ(LineCount(result.err), 1) << result.err;
  EXPECT_NE(result.err.find(object.string()), std::string::npos) << result.err;
}

}  // namespace
}  // namespace kcontract
