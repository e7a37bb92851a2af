// The examples (examples/): one object per policy, byte for byte, prepared
// by the loader helper and judged by `kcontract check` on every kernel it
// supports, and refused, with the contract's words, where it cannot run.
// Example 2 (task_kfuncs) really loads into the running kernel and runs.
#include <gtest/gtest.h>
#include <unistd.h>

#include <bpf/libbpf.h>

#include <iostream>
#include <regex>
#include <string>
#include <vector>

#include "abi/libbpf/libbpf_check.h"
#include "abi/manifest/contract_loader.h"
#include "abi/revision/revision_plan.h"
#include "btfdiff/source/kernel_source.h"
#include "shims/kcontract_loader.h"
#include "tests/example_support.h"
#include "tests/test_support.h"

namespace kcontract {
namespace {

using testing::CanLoadBpfPrograms;
using testing::CommandResult;
using testing::Example;
using testing::ExampleTool;
using testing::ModelKernelPath;
using testing::Prepared;
using testing::PrepareWithCApi;
using testing::ReadFileOrDie;
using testing::RunCli;
using testing::RunCommand;
using testing::SharedKernelDir;
using testing::ShellQuote;

std::string Tool(const std::string& name) { return ExampleTool(name); }

using Names = std::vector<std::string>;

// --- example 1: the THP order policy ---------------------------------------

TEST(ThpPolicyExample, OneObjectServesBothRevisionsAndIsRefusedWhereTheHookIsGoneOrAbsent) {
  const std::string object = Example("thp_policy", "thp_policy");
  const Bytes before = ReadFileOrDie(object);

  Prepared a = PrepareWithCApi(object, ModelKernelPath("thp_rfc_v4"));
  EXPECT_EQ(a.err, 0) << a.message;
  EXPECT_EQ(a.message, object + " prepared for " + ModelKernelPath("thp_rfc_v4") +
                           ": bpf_thp_ops revision rfc-v4 (map thp_policy_rfc_v4)");
  EXPECT_EQ(a.created_maps, Names{"thp_policy_rfc_v4"});
  EXPECT_EQ(a.left_out_maps, Names{"thp_policy_v9"});
  EXPECT_EQ(a.loaded_programs, Names{"thp_order_rfc_v4"});
  EXPECT_EQ(a.left_out_programs, Names{"thp_order_v9"});

  Prepared b = PrepareWithCApi(object, ModelKernelPath("thp_v9"));
  EXPECT_EQ(b.err, 0) << b.message;
  EXPECT_EQ(b.created_maps, Names{"thp_policy_v9"});
  EXPECT_EQ(b.left_out_maps, Names{"thp_policy_rfc_v4"});
  EXPECT_EQ(b.loaded_programs, Names{"thp_order_v9"});
  EXPECT_EQ(b.left_out_programs, Names{"thp_order_rfc_v4"});

  // Withdrawn: the kernel still has revision v9, its own BTF says it is gone.
  Prepared withdrawn = PrepareWithCApi(object, ModelKernelPath("thp_withdrawn"));
  EXPECT_EQ(withdrawn.err, -EOPNOTSUPP);
  EXPECT_EQ(withdrawn.message,
            object + " cannot run on " + ModelKernelPath("thp_withdrawn") +
                ": struct_ops bpf_thp_ops is withdrawn; the object implements revisions rfc-v4, "
                "v9; the kernel has revision v9; contract: withdrawn since 7.1 (btf:" +
                ModelKernelPath("thp_withdrawn") + ")");
  // Refused: nothing was changed.
  EXPECT_EQ(withdrawn.created_maps, (Names{"thp_policy_rfc_v4", "thp_policy_v9"}));

  // Absent: the revisions the object supports and the manifest's word.
  Prepared none = PrepareWithCApi(object, ModelKernelPath("thp_none"));
  EXPECT_EQ(none.err, -EOPNOTSUPP);
  std::regex absent(std::regex_replace(object + " cannot run on " + ModelKernelPath("thp_none"),
                                       std::regex(R"([.+])"), R"(\$&)") +
                    R"(: struct_ops bpf_thp_ops is not in this kernel; the object implements )"
                    R"(revisions rfc-v4, v9; contract: experimental, opt-in "bpf_thp" \(contract )"
                    R"(bpf-thp, .*/manifests/bpf-thp\.toml:\d+:\d+\))");
  EXPECT_TRUE(std::regex_match(none.message, absent)) << none.message;

  std::cout << "refusal (withdrawn): " << withdrawn.message << "\n"
            << "refusal (absent):    " << none.message << "\n";
  EXPECT_EQ(ReadFileOrDie(object), before) << "the object changed while being prepared";
}

TEST(ThpPolicyExample, CheckPassesOnBothRevisionsAndFailsWhereItCannotRun) {
  const std::string object = Example("thp_policy", "thp_policy");
  const Bytes before = ReadFileOrDie(object);
  struct Case {
    const char* kernel;
    int exit_code;
    std::string expected;
  };
  const std::vector<Case> cases = {
      {"thp_rfc_v4", 0,
       "note: [revision-selected] bpf_thp_ops: the kernel has revision rfc-v4: map "
       "thp_policy_rfc_v4 is created; left out: map thp_policy_v9 (v9) and program thp_order_v9"},
      {"thp_v9", 0,
       "note: [revision-selected] bpf_thp_ops: the kernel has revision v9: map thp_policy_v9 is "
       "created; left out: map thp_policy_rfc_v4 (rfc-v4) and program thp_order_rfc_v4"},
      {"thp_withdrawn", 8,
       "error: [revision-refused] bpf_thp_ops: struct_ops bpf_thp_ops is withdrawn;"},
      {"thp_none", 8,
       "error: [revision-refused] bpf_thp_ops: struct_ops bpf_thp_ops is not in this kernel;"},
  };
  for (const Case& c : cases) {
    CommandResult r =
        RunCli("check " + ShellQuote(object) + " --kernel " + ShellQuote(ModelKernelPath(c.kernel)));
    EXPECT_EQ(r.exit_code, c.exit_code) << c.kernel << "\n" << r.out << r.err;
    EXPECT_NE(r.out.find(object + ": " + c.expected), std::string::npos)
        << c.kernel << "\n" << r.out;
    if (c.exit_code == 0) {
      EXPECT_NE(r.out.find(": loads (0 errors, 0 warnings"), std::string::npos) << r.out;
    }
  }
  EXPECT_EQ(ReadFileOrDie(object), before);
}

// The generic C loader's dry run: what an operator sees.
TEST(ThpPolicyExample, KcLoadShowsWhatEachKernelGets) {
  const std::string object = Example("thp_policy", "thp_policy");
  CommandResult v9 = RunCommand(ShellQuote(Tool("kc_load")) + " --kernel " +
                                ShellQuote(ModelKernelPath("thp_v9")) + " " + ShellQuote(object));
  EXPECT_EQ(v9.exit_code, 0) << v9.err;
  EXPECT_NE(v9.out.find("map thp_policy_rfc_v4: left out\nmap thp_policy_v9: create\n"
                        "program thp_order_rfc_v4: left out\nprogram thp_order_v9: load\n"),
            std::string::npos)
      << v9.out;
  CommandResult none = RunCommand(ShellQuote(Tool("kc_load")) + " --kernel " +
                                  ShellQuote(ModelKernelPath("thp_none")) + " " + ShellQuote(object));
  EXPECT_EQ(none.exit_code, 8);
  EXPECT_NE(none.err.find("struct_ops bpf_thp_ops is not in this kernel"), std::string::npos)
      << none.err;
}

// libbpf 1.1.2 itself, seeing each model kernel as the running one: the
// prepared object passes its struct_ops and relocation passes on both
// revisions, the unprepared one does not, and the helper refuses where the
// hook is withdrawn or absent, before libbpf says anything.
TEST(ThpPolicyExample, Libbpf112AcceptsThePreparedObjectOnEachRevision) {
  std::string why;
  if (!CanLoadBpfPrograms(&why)) GTEST_SKIP() << why;
  const std::string object = Example("thp_policy", "thp_policy");
  auto probe = [&](const char* model, bool prepare) {
    return RunCommand(ShellQuote(KC_LOADER_PROBE) + " --btf " +
                      ShellQuote(ModelKernelPath(model)) + " --object " + ShellQuote(object) +
                      (prepare ? "" : " --no-prepare"));
  };
  CommandResult first = probe("thp_v9", true);
  if (first.exit_code == 77) GTEST_SKIP() << first.err;
  for (const char* model : {"thp_rfc_v4", "thp_v9"}) {
    CommandResult prepared = probe(model, true);
    EXPECT_EQ(prepared.exit_code, 0) << prepared.out << prepared.err;
    EXPECT_NE(prepared.out.find("class: past_libbpf\n"), std::string::npos)
        << model << "\n" << prepared.out << prepared.err;
    // What the helper spares libbpf before 1.4 (measured as libbpf.so.1:
    // 1.1.2 and 1.3.0 fail the unprepared object, 1.5.0 and 1.7.0 pass it).
    if (libbpf_major_version() == 1 && libbpf_minor_version() < 4) {
      CommandResult unprepared = probe(model, false);
      EXPECT_NE(unprepared.out.find("class: struct_ops_failed\n"), std::string::npos)
          << model << "\n" << unprepared.out << unprepared.err;
      EXPECT_NE(unprepared.err.find("struct_ops init_kern"), std::string::npos) << unprepared.err;
    }
  }
  for (const char* model : {"thp_withdrawn", "thp_none"}) {
    CommandResult refused = probe(model, true);
    EXPECT_EQ(refused.exit_code, 8) << refused.out << refused.err;
    EXPECT_NE(refused.out.find("refused: " + object + " cannot run on "), std::string::npos)
        << refused.out;
    EXPECT_EQ(refused.out.find("class:"), std::string::npos) << refused.out;
  }
}

// --- example 2: real kfuncs, loaded here ------------------------------------

TEST(TaskKfuncsExample, LoadsIntoTheRunningKernelAndRunsWithItsKfuncs) {
  std::string why;
  if (!CanLoadBpfPrograms(&why)) GTEST_SKIP() << why;
  const std::string object = Example("task_kfuncs", "task_kfuncs");
  // What the running kernel should give, from the plan itself.
  auto kernel = LoadKernel(kRunningKernel);
  ASSERT_TRUE(kernel.ok()) << kernel.status();
  auto objects = ReadBpfObjects(object);
  ASSERT_TRUE(objects.ok()) << objects.status();
  CheckTarget target(**kernel);
  RevisionPlan plan = PlanRevisions(*objects->front(), target, ContractSet());
  if (plan.refused()) GTEST_SKIP() << "the running kernel cannot run it: " << plan.RefusalMessage();
  ASSERT_EQ(plan.kfunc_slots.size(), 2u);
  std::string lookup = plan.kfunc_slots[0].chosen == 0 ? "bpf_task_from_vpid" : "bpf_task_from_pid";
  std::string length = plan.kfunc_slots[1].chosen == 0 ? "bpf_strnlen" : "loop";

  CommandResult r = RunCommand(ShellQuote(Tool("task_kfuncs")) + " --object " +
                               ShellQuote(object) + " --pid " + std::to_string(getpid()));
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  std::string pid = std::to_string(getpid());
  std::string expected = "pid " + pid + " tgid " + pid + " comm examples_test comm_len 13 lookup " +
                         lookup + " length " + length + "\n";
  EXPECT_NE(r.out.find(expected), std::string::npos) << r.out;
  EXPECT_NE(r.out.find(object + " prepared for " + (*kernel)->release + ": task_lookup: "),
            std::string::npos)
      << r.out;
  std::cout << r.out;
}

TEST(TaskKfuncsExample, CheckShowsWhatEachSharedKernelGetsOrWhyItCannotRun) {
  for (const char* dir : {"debian-6.1.0-50-amd64", "debian-6.12.111-amd64", "host-6.18.44"}) {
    KC_REQUIRE_PATH(SharedKernelDir(dir));
  }
  const std::string object = Example("task_kfuncs", "task_kfuncs");
  auto check = [&](const char* dir) {
    return RunCli("check " + ShellQuote(object) + " --kernel " +
                  ShellQuote(SharedKernelDir(dir).string()));
  };
  CommandResult v61 = check("debian-6.1.0-50-amd64");
  EXPECT_EQ(v61.exit_code & 8, 8) << v61.out;
  EXPECT_NE(v61.out.find(
                object + ": error: [revision-refused] task_lookup: kfunc choice task_lookup: the "
                         "object needs one of bpf_task_from_vpid&bpf_task_release, "
                         "bpf_task_from_pid&bpf_task_release; bpf_task_from_vpid&bpf_task_release: "
                         "bpf_task_from_vpid is not in the kernel, bpf_task_release is not in the "
                         "kernel; bpf_task_from_pid&bpf_task_release: bpf_task_from_pid is not in "
                         "the kernel, bpf_task_release is not in the kernel\n"),
            std::string::npos)
      << v61.out;

  CommandResult v612 = check("debian-6.12.111-amd64");
  EXPECT_EQ(v612.exit_code, 0) << v612.out;
  EXPECT_NE(v612.out.find(object + ": note: [kfunc-choice] task_lookup: uses "
                                   "bpf_task_from_pid&bpf_task_release (candidate 2 of 2); not: "
                                   "bpf_task_from_vpid&bpf_task_release: bpf_task_from_vpid is "
                                   "not in the kernel\n"),
            std::string::npos)
      << v612.out;
  EXPECT_NE(v612.out.find("[kfunc-choice] comm_length: none of bpf_strnlen: the object runs "
                          "without them"),
            std::string::npos)
      << v612.out;

  CommandResult v618 = check("host-6.18.44");
  EXPECT_EQ(v618.exit_code, 0) << v618.out;
  EXPECT_NE(v618.out.find("[kfunc-choice] task_lookup: uses bpf_task_from_vpid&bpf_task_release "
                          "(candidate 1 of 2)\n"),
            std::string::npos)
      << v618.out;
  EXPECT_NE(v618.out.find("[kfunc-choice] comm_length: uses bpf_strnlen (candidate 1 of 1)\n"),
            std::string::npos)
      << v618.out;
}

// --- example 3: sched_ext's renames -----------------------------------------

TEST(ScxRenameExample, UsesTheNewNameWhereItExistsAndWarnsOnlyWhereTheOldOneIsUsed) {
  const std::string object = Example("scx_rename", "scx_rename");
  auto check = [&](const char* model) {
    return RunCli("check " + ShellQuote(object) + " --kernel " + ShellQuote(ModelKernelPath(model)));
  };
  CommandResult old_only = check("sched_ext_6_12");
  EXPECT_EQ(old_only.exit_code, 4) << old_only.out;
  EXPECT_NE(old_only.out.find("[kfunc-choice] dsq_insert: uses scx_bpf_dispatch (candidate 2 of 2)"),
            std::string::npos)
      << old_only.out;
  EXPECT_NE(old_only.out.find(object + ": warning: [contract-deprecated] scx_bpf_dispatch: kfunc "
                                       "scx_bpf_dispatch is deprecated"),
            std::string::npos)
      << old_only.out;
  EXPECT_NE(old_only.out.find(object + ": warning: [contract-deprecated] scx_bpf_consume:"),
            std::string::npos);

  for (const char* model : {"sched_ext_6_13", "sched_ext_6_13_tagged", "sched_ext_new_only"}) {
    CommandResult r = check(model);
    EXPECT_EQ(r.exit_code, 0) << model << "\n" << r.out;
    EXPECT_NE(r.out.find("[kfunc-choice] dsq_insert: uses scx_bpf_dsq_insert (candidate 1 of 2)"),
              std::string::npos)
        << r.out;
    EXPECT_NE(r.out.find("[kfunc-choice] move_to_local: uses scx_bpf_dsq_move_to_local "
                         "(candidate 1 of 2)"),
              std::string::npos)
        << r.out;
    EXPECT_EQ(r.out.find("warning: [contract-deprecated]"), std::string::npos) << r.out;
  }
  // Both names there: the deprecation is still said, as a note.
  CommandResult both = check("sched_ext_6_13");
  EXPECT_NE(both.out.find("note: [contract-deprecated] scx_bpf_dispatch: kfunc scx_bpf_dispatch "
                          "is deprecated"),
            std::string::npos)
      << both.out;
  EXPECT_NE(both.out.find("not called on " + ModelKernelPath("sched_ext_6_13") +
                          ": the object's kfunc slots chose another candidate"),
            std::string::npos)
      << both.out;
}

TEST(ScxRenameExample, TheLoaderWritesEachKernelsChoice) {
  const std::string object = Example("scx_rename", "scx_rename");
  const std::vector<std::pair<const char*, std::string>> cases = {
      {"sched_ext_6_12", "dsq_insert: scx_bpf_dispatch; move_to_local: scx_bpf_consume"},
      {"sched_ext_6_13", "dsq_insert: scx_bpf_dsq_insert; move_to_local: scx_bpf_dsq_move_to_local"},
      {"sched_ext_new_only",
       "dsq_insert: scx_bpf_dsq_insert; move_to_local: scx_bpf_dsq_move_to_local"},
  };
  for (const auto& [model, choice] : cases) {
    Prepared p = PrepareWithCApi(object, ModelKernelPath(model));
    EXPECT_EQ(p.err, 0) << p.message;
    EXPECT_EQ(p.message, object + " prepared for " + ModelKernelPath(model) + ": " + choice);
    EXPECT_EQ(p.created_maps, Names{"scx_rename_ops"});
  }
  Prepared none = PrepareWithCApi(object, ModelKernelPath("thp_none"));
  EXPECT_EQ(none.err, -EOPNOTSUPP);
  EXPECT_NE(none.message.find("kfunc choice dsq_insert: the object needs one of "
                              "scx_bpf_dsq_insert, scx_bpf_dispatch;"),
            std::string::npos)
      << none.message;
}

}  // namespace
}  // namespace kcontract
