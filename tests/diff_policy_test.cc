// The diff policy with contracts given as lookups: breaking a stable
// promise fails (exit bit 8); breaking an experimental, deprecated or
// unknown interface is reported (bit 4), not failed; an interface that a
// contract withdrew but the new kernel still offers warns.
#include "abi/policy/diff_policy.h"

#include <map>
#include <string>
#include <utility>

#include "abi/report/diff_report.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"

namespace kcontract {
namespace {

// A lookup from a fixed table, as manifests would give it.
StabilityLookup Table(std::map<std::pair<InterfaceKind, std::string>, Stability> entries) {
  return [entries = std::move(entries)](InterfaceKind kind,
                                        std::string_view name) -> std::optional<Stability> {
    auto it = entries.find({kind, std::string(name)});
    if (it == entries.end()) return std::nullopt;
    return it->second;
  };
}

AbiChange KfuncRemoved(const std::string& name) {
  AbiChange change;
  change.kind = ChangeKind::kKfuncRemoved;
  change.subject_kind = SubjectKind::kKfunc;
  change.subject = name;
  change.sides = kSideCaller;
  change.compatibility = Compatibility::kBreaking;
  change.reason = "callers' extern no longer resolves";
  return change;
}

KernelDiff OneChange(AbiChange change) {
  KernelDiff diff;
  diff.old_kernel = "old";
  diff.new_kernel = "new";
  diff.changes.push_back(std::move(change));
  return diff;
}

TEST(DiffPolicy, BreakingAStablePromiseIsAnErrorWithExitBitEight) {
  KernelDiff diff = OneChange(KfuncRemoved("bpf_stable"));
  DiffVerdict verdict =
      JudgeDiff(diff, Table({{{InterfaceKind::kKfunc, "bpf_stable"}, Stability::kStable}}));
  ASSERT_EQ(verdict.changes.size(), 1u);
  EXPECT_EQ(verdict.changes[0].severity, Severity::kError);
  EXPECT_EQ(verdict.changes[0].stability, Stability::kStable);
  EXPECT_EQ(verdict.changes[0].governed_by, "kfunc bpf_stable");
  EXPECT_EQ(verdict.errors, 1);
  EXPECT_EQ(verdict.ExitBits(), kDiffExitBrokenPromise | kDiffExitChanges);
}

TEST(DiffPolicy, BreakingAnExperimentalInterfaceIsReportedNotFailed) {
  KernelDiff diff = OneChange(KfuncRemoved("bpf_thp_get_order"));
  DiffVerdict verdict = JudgeDiff(
      diff, Table({{{InterfaceKind::kKfunc, "bpf_thp_get_order"}, Stability::kExperimental}}));
  EXPECT_EQ(verdict.changes[0].severity, Severity::kWarning);
  EXPECT_EQ(verdict.errors, 0);
  EXPECT_EQ(verdict.ExitBits(), kDiffExitChanges);
}

TEST(DiffPolicy, BreakingDeprecatedOrUnknownInterfacesWarns) {
  KernelDiff diff = OneChange(KfuncRemoved("bpf_old"));
  EXPECT_EQ(JudgeDiff(diff, Table({{{InterfaceKind::kKfunc, "bpf_old"}, Stability::kDeprecated}}))
                .changes[0]
                .severity,
            Severity::kWarning);
  DiffVerdict unknown = JudgeDiff(diff, NoContracts());
  EXPECT_EQ(unknown.changes[0].severity, Severity::kWarning);
  EXPECT_FALSE(unknown.changes[0].stability.has_value());
  EXPECT_EQ(unknown.ExitBits(), kDiffExitChanges);
}

TEST(DiffPolicy, CompatibleChangesAreNotesAndStillCountAsChanges) {
  AbiChange added = KfuncRemoved("bpf_new");
  added.kind = ChangeKind::kKfuncAdded;
  added.compatibility = Compatibility::kCompatible;
  DiffVerdict verdict = JudgeDiff(
      OneChange(added), Table({{{InterfaceKind::kKfunc, "bpf_new"}, Stability::kStable}}));
  EXPECT_EQ(verdict.changes[0].severity, Severity::kNote);
  EXPECT_EQ(verdict.ExitBits(), kDiffExitChanges);
  EXPECT_EQ(JudgeDiff(KernelDiff{}, NoContracts()).ExitBits(), 0);
}

TEST(DiffPolicy, NeedsReviewWarnsUnlessTheInterfaceIsWithdrawn) {
  // Issue 16: a change someone must look at is a warning, with or without a
  // contract; only a withdrawn interface is owed nothing.
  AbiChange review = KfuncRemoved("bpf_x");
  review.compatibility = Compatibility::kNeedsReview;
  EXPECT_EQ(JudgeDiff(OneChange(review),
                      Table({{{InterfaceKind::kKfunc, "bpf_x"}, Stability::kStable}}))
                .changes[0]
                .severity,
            Severity::kWarning);
  DiffVerdict unstable = JudgeDiff(OneChange(review), NoContracts());
  EXPECT_EQ(unstable.changes[0].severity, Severity::kWarning);
  EXPECT_EQ(unstable.warning_count, 1);
  EXPECT_EQ(unstable.notes, 0);
  EXPECT_EQ(JudgeDiff(OneChange(review),
                      Table({{{InterfaceKind::kKfunc, "bpf_x"}, Stability::kWithdrawn}}))
                .changes[0]
                .severity,
            Severity::kNote);
}

TEST(DiffPolicy, KernelSelfTestsAreInternal) {
  EXPECT_TRUE(IsKernelSelfTest("bpf_kfunc_call_test1", std::nullopt));
  EXPECT_TRUE(IsKernelSelfTest("bpf_kfunc_call_memb_acquire", std::nullopt));
  EXPECT_TRUE(IsKernelSelfTest("bpf_kfunc_anything", std::string("bpf_testmod")));
  EXPECT_FALSE(IsKernelSelfTest("bpf_task_acquire", std::nullopt));
  EXPECT_FALSE(IsKernelSelfTest("bpf_kfunc_anything", std::string("nf_conntrack")));
}

KernelDiff SelfTestDiff() {
  KernelDiff diff;
  diff.changes = {KfuncRemoved("bpf_kfunc_call_test1"), KfuncRemoved("bpf_task_gone")};
  AbiChange testmod = KfuncRemoved("bpf_testmod_only");
  testmod.module = "bpf_testmod";
  diff.changes.push_back(testmod);
  // A type only self-tests reach, and one a real kfunc reaches too.
  AbiChange only_tests;
  only_tests.kind = ChangeKind::kTypeMemberRemoved;
  only_tests.subject_kind = SubjectKind::kType;
  only_tests.subject = "struct prog_test_ref_kfunc";
  only_tests.compatibility = Compatibility::kBreaking;
  only_tests.reached_from = {{SubjectKind::kKfunc, "bpf_kfunc_call_test1"},
                             {SubjectKind::kKfunc, "bpf_testmod_only"}};
  diff.changes.push_back(only_tests);
  AbiChange shared = only_tests;
  shared.subject = "struct sock";
  shared.reached_from.push_back({SubjectKind::kKfunc, "bpf_task_gone"});
  diff.changes.push_back(shared);
  return diff;
}

TEST(DiffPolicy, InternalChangesAreNotesApartUnlessIncluded) {
  KernelDiff diff = SelfTestDiff();
  DiffVerdict verdict = JudgeDiff(diff, NoContracts());
  std::vector<DiffGroup> groups;
  std::vector<Severity> severities;
  for (const JudgedChange& judged : verdict.changes) {
    groups.push_back(judged.group);
    severities.push_back(judged.severity);
  }
  EXPECT_EQ(groups, (std::vector<DiffGroup>{DiffGroup::kInternal, DiffGroup::kAbi,
                                            DiffGroup::kInternal, DiffGroup::kInternal,
                                            DiffGroup::kAbi}));
  EXPECT_EQ(severities, (std::vector<Severity>{Severity::kNote, Severity::kWarning,
                                               Severity::kNote, Severity::kNote,
                                               Severity::kWarning}));
  EXPECT_EQ(verdict.internal, 3);
  EXPECT_EQ(verdict.warning_count, 2);

  DiffJudgeOptions include;
  include.include_internal = true;
  DiffVerdict included = JudgeDiff(diff, NoContracts(), include);
  EXPECT_EQ(included.internal, 3);
  EXPECT_EQ(included.warning_count, 5);
  EXPECT_EQ(included.changes[0].group, DiffGroup::kInternal);
}

TEST(DiffPolicy, AManifestMarksInterfacesInternal) {
  KernelDiff diff;
  diff.changes = {KfuncRemoved("bpf_debug_dump"), KfuncRemoved("bpf_task_gone")};
  DiffJudgeOptions options;
  options.internal = [](InterfaceKind kind, std::string_view name) {
    return kind == InterfaceKind::kKfunc && name == "bpf_debug_dump";
  };
  DiffVerdict verdict = JudgeDiff(diff, NoContracts(), options);
  EXPECT_EQ(verdict.changes[0].group, DiffGroup::kInternal);
  EXPECT_EQ(verdict.changes[0].severity, Severity::kNote);
  EXPECT_EQ(verdict.changes[1].group, DiffGroup::kAbi);
  EXPECT_EQ(verdict.internal, 1);
}

TEST(DiffPolicy, ConfigCausedChangesAreGroupedAndJudgedAsTheRest) {
  KernelDiff diff;
  AbiChange config = KfuncRemoved("bpf_ct_release");
  config.config_cause = "CONFIG_NF_CONNTRACK m -> n";
  diff.changes = {config};
  DiffVerdict verdict = JudgeDiff(diff, NoContracts());
  EXPECT_EQ(verdict.changes[0].group, DiffGroup::kConfig);
  EXPECT_EQ(verdict.changes[0].severity, Severity::kWarning);
  EXPECT_EQ(verdict.config, 1);
}

TEST(DiffPolicy, WithdrawnButStillPresentWarns) {
  KernelDiff diff;
  diff.new_kernel = "6.18.44";
  diff.new_interfaces = {{SubjectKind::kKfunc, "bpf_gone"}, {SubjectKind::kKfunc, "bpf_kept"},
                         {SubjectKind::kStructOps, "bpf_thp_ops"}};
  diff.new_struct_ops_members = {"bpf_thp_ops.get_order"};
  DiffVerdict verdict = JudgeDiff(
      diff, Table({{{InterfaceKind::kKfunc, "bpf_gone"}, Stability::kWithdrawn},
                   {{InterfaceKind::kKfunc, "bpf_kept"}, Stability::kStable},
                   {{InterfaceKind::kStructOpsMember, "bpf_thp_ops.get_order"},
                    Stability::kWithdrawn}}));
  ASSERT_EQ(verdict.warnings.size(), 2u);
  EXPECT_EQ(verdict.warnings[0].subject, "bpf_gone");
  EXPECT_EQ(verdict.warnings[0].message,
            "kfunc bpf_gone is withdrawn by contract but 6.18.44 still offers it");
  EXPECT_EQ(verdict.warnings[1].kind, InterfaceKind::kStructOpsMember);
  EXPECT_EQ(verdict.warning_count, 2);
  EXPECT_EQ(verdict.ExitBits(), kDiffExitChanges);
}

TEST(DiffPolicy, RemovingAWithdrawnInterfaceIsANote) {
  DiffVerdict verdict =
      JudgeDiff(OneChange(KfuncRemoved("bpf_gone")),
                Table({{{InterfaceKind::kKfunc, "bpf_gone"}, Stability::kWithdrawn}}));
  EXPECT_EQ(verdict.changes[0].severity, Severity::kNote);
  EXPECT_EQ(verdict.ExitBits(), kDiffExitChanges);
}

AbiChange TypeMemberRemoved(std::vector<InterfaceRef> from) {
  AbiChange change;
  change.kind = ChangeKind::kTypeMemberRemoved;
  change.subject_kind = SubjectKind::kType;
  change.subject = "struct sock";
  change.item = "member sk_bind2_node";
  change.compatibility = Compatibility::kBreaking;
  change.sides = kSideCaller;
  change.reached_from = std::move(from);
  return change;
}

// A type reached from a stable kfunc carries that kfunc's promise: its
// layout is part of what the kfunc hands out.
TEST(DiffPolicy, TypesTakeTheStrongestPromiseOfTheInterfacesReachingThem) {
  AbiChange change = TypeMemberRemoved(
      {{SubjectKind::kKfunc, "bpf_experimental"}, {SubjectKind::kKfunc, "bpf_stable"}});
  DiffVerdict verdict = JudgeDiff(
      OneChange(change), Table({{{InterfaceKind::kKfunc, "bpf_experimental"},
                                 Stability::kExperimental},
                                {{InterfaceKind::kKfunc, "bpf_stable"}, Stability::kStable}}));
  EXPECT_EQ(verdict.changes[0].severity, Severity::kError);
  EXPECT_EQ(verdict.changes[0].governed_by, "kfunc bpf_stable");
  // The type's own entry, when a contract has one, speaks for it.
  DiffVerdict own = JudgeDiff(
      OneChange(change), Table({{{InterfaceKind::kKernelType, "struct sock"},
                                 Stability::kExperimental},
                                {{InterfaceKind::kKfunc, "bpf_stable"}, Stability::kStable}}));
  EXPECT_EQ(own.changes[0].severity, Severity::kWarning);
  EXPECT_EQ(own.changes[0].governed_by, "kernel_type struct sock");
}

TEST(DiffPolicy, StructOpsMembersAnswerForThemselvesBeforeTheirType) {
  AbiChange change;
  change.kind = ChangeKind::kStructOpsMemberRemoved;
  change.subject_kind = SubjectKind::kStructOps;
  change.subject = "bpf_thp_ops";
  change.member = "get_order";
  change.compatibility = Compatibility::kBreaking;
  StabilityLookup lookup =
      Table({{{InterfaceKind::kStructOps, "bpf_thp_ops"}, Stability::kStable},
             {{InterfaceKind::kStructOpsMember, "bpf_thp_ops.get_order"},
              Stability::kExperimental}});
  DiffVerdict verdict = JudgeDiff(OneChange(change), lookup);
  EXPECT_EQ(verdict.changes[0].severity, Severity::kWarning);
  EXPECT_EQ(verdict.changes[0].governed_by, "struct_ops_member bpf_thp_ops.get_order");
  change.member = "other";
  EXPECT_EQ(JudgeDiff(OneChange(change), lookup).changes[0].severity, Severity::kError);
}

TEST(DiffPolicy, ReportsShowStabilityAndWithdrawnWarnings) {
  KernelDiff diff = OneChange(KfuncRemoved("bpf_stable"));
  diff.new_interfaces = {{SubjectKind::kKfunc, "bpf_gone"}};
  DiffVerdict verdict =
      JudgeDiff(diff, Table({{{InterfaceKind::kKfunc, "bpf_stable"}, Stability::kStable},
                             {{InterfaceKind::kKfunc, "bpf_gone"}, Stability::kWithdrawn}}));
  std::string text = RenderDiff(diff, verdict, OutputFormat::kText);
  EXPECT_NE(text.find("1 breaking, 0 needs review, 0 compatible; 1 errors, 1 warnings, 0 notes"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("warning: kfunc bpf_gone is withdrawn by contract but new still offers it"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("error: kfunc bpf_stable: removed [breaking, caller, stable: kfunc "
                      "bpf_stable]"),
            std::string::npos)
      << text;
  nlohmann::json json = nlohmann::json::parse(RenderDiff(diff, verdict, OutputFormat::kJson));
  EXPECT_EQ(json["changes"][0]["severity"], "error");
  EXPECT_EQ(json["changes"][0]["stability"], "stable");
  EXPECT_EQ(json["warnings"][0]["name"], "bpf_gone");
}

}  // namespace
}  // namespace kcontract
