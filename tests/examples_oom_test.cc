// Example oom_policy (examples/oom_policy/): one object implementing BPF OOM
// v2 and v3 (tests/model_kernels/bpf_oom_v2.c, bpf_oom_v3.c), prepared by the
// loader helper and judged by `kcontract check` on each model kernel, and
// refused, with the contract's words, on the real kernels, none of which has
// BPF OOM. Real libbpf 1.1.2 sees each model kernel as the running one
// (tests/loader_probe.c) and agrees with the prediction.
#include <bpf/libbpf.h>
#include <gtest/gtest.h>

#include <cerrno>
#include <filesystem>
#include <regex>
#include <string>
#include <utility>
#include <vector>

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

using Names = std::vector<std::string>;

std::string OomObject() { return Example("oom_policy", "oom_policy"); }

// "OBJECT cannot run on KERNEL: struct_ops bpf_oom_ops is not in this
// kernel; ..." as a regex: KERNEL is the release a real kernel names, the
// manifest's line and column are left open.
std::regex AbsentRefusal() {
  std::string head =
      std::regex_replace(OomObject() + " cannot run on ", std::regex(R"([.+()\[\]])"), R"(\$&)");
  return std::regex(head +
                    R"([^:]+: struct_ops bpf_oom_ops is not in this kernel; the object implements )"
                    R"(revisions v2, v3; contract: experimental, opt-in "bpf_oom" \(contract )"
                    R"(bpf-oom, .*/manifests/bpf-oom\.toml:\d+:\d+\))");
}

// The running kernel and the shared ones there are: none has BPF OOM.
std::vector<std::string> RealKernels() {
  std::vector<std::string> kernels = {"running"};
  for (const char* dir : {"debian-6.1.0-50-amd64", "debian-6.12.111-amd64", "host-6.18.44"}) {
    if (std::filesystem::exists(SharedKernelDir(dir))) {
      kernels.push_back(SharedKernelDir(dir).string());
    }
  }
  return kernels;
}

TEST(OomPolicyExample, OneObjectServesV2AndV3) {
  const std::string object = OomObject();
  const Bytes before = ReadFileOrDie(object);

  Prepared v2 = PrepareWithCApi(object, ModelKernelPath("bpf_oom_v2"));
  EXPECT_EQ(v2.err, 0) << v2.message;
  EXPECT_EQ(v2.message, object + " prepared for " + ModelKernelPath("bpf_oom_v2") +
                            ": bpf_oom_ops revision v2 (map oom_policy_v2)");
  EXPECT_EQ(v2.created_maps, Names{"oom_policy_v2"});
  EXPECT_EQ(v2.left_out_maps, Names{"oom_policy_v3"});
  EXPECT_EQ(v2.loaded_programs, (Names{"oom_handle_v2", "oom_offline_v2"}));
  EXPECT_EQ(v2.left_out_programs, Names{"oom_handle_v3"});

  Prepared v3 = PrepareWithCApi(object, ModelKernelPath("bpf_oom_v3"));
  EXPECT_EQ(v3.err, 0) << v3.message;
  EXPECT_EQ(v3.message, object + " prepared for " + ModelKernelPath("bpf_oom_v3") +
                            ": bpf_oom_ops revision v3 (map oom_policy_v3)");
  EXPECT_EQ(v3.created_maps, Names{"oom_policy_v3"});
  EXPECT_EQ(v3.left_out_maps, Names{"oom_policy_v2"});
  EXPECT_EQ(v3.loaded_programs, Names{"oom_handle_v3"});
  EXPECT_EQ(v3.left_out_programs, (Names{"oom_handle_v2", "oom_offline_v2"}));
  EXPECT_EQ(ReadFileOrDie(object), before) << "the object changed while being prepared";
}

// None of the real kernels has BPF OOM (it never merged): the helper refuses
// before libbpf says anything, and says why in one line.
TEST(OomPolicyExample, TheLoaderRefusesEveryRealKernel) {
  const std::string object = OomObject();
  const std::vector<std::string> kernels = RealKernels();
  for (const std::string& kernel : kernels) {
    Prepared p = PrepareWithCApi(object, kernel);
    EXPECT_EQ(p.err, -EOPNOTSUPP) << kernel;
    EXPECT_TRUE(std::regex_match(p.message, AbsentRefusal())) << p.message;
    // Refused: nothing was changed.
    EXPECT_EQ(p.created_maps, (Names{"oom_policy_v2", "oom_policy_v3"})) << kernel;
  }
}

TEST(OomPolicyExample, CheckLoadsOnEachRevisionAndRefusesTheRealKernels) {
  const std::string object = OomObject();
  for (const char* model : {"bpf_oom_v2", "bpf_oom_v3"}) {
    CommandResult r =
        RunCli("check " + ShellQuote(object) + " --kernel " + ShellQuote(ModelKernelPath(model)));
    EXPECT_EQ(r.exit_code, 0) << model << "\n" << r.out << r.err;
    EXPECT_NE(r.out.find(": loads (0 errors, 0 warnings, 4 notes)"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("note: [contract-opted-in] bpf_oom_ops: struct_ops bpf_oom_ops is "
                         "experimental (contract bpf-oom, "),
              std::string::npos)
        << r.out;
  }
  const std::vector<std::pair<const char*, std::string>> selected = {
      {"bpf_oom_v2", "v2: map oom_policy_v2 is created; left out: map oom_policy_v3 (v3) and "
                     "program oom_handle_v3\n"},
      {"bpf_oom_v3", "v3: map oom_policy_v3 is created; left out: map oom_policy_v2 (v2) and "
                     "program oom_handle_v2, oom_offline_v2\n"}};
  for (const auto& [model, choice] : selected) {
    CommandResult r =
        RunCli("check " + ShellQuote(object) + " --kernel " + ShellQuote(ModelKernelPath(model)));
    EXPECT_NE(r.out.find(object + ": note: [revision-selected] bpf_oom_ops: the kernel has "
                                  "revision " + choice),
              std::string::npos)
        << r.out;
  }

  const std::vector<std::string> kernels = RealKernels();
  for (const std::string& kernel : kernels) {
    CommandResult r = RunCli("check " + ShellQuote(object) + " --kernel " + ShellQuote(kernel));
    EXPECT_EQ(r.exit_code & 8, 8) << kernel << "\n" << r.out;
    // The refusal comes first after the release line ("libbpf 1.1.2
    // (linked)"), before what libbpf would then trip over.
    ASSERT_EQ(r.out.rfind("libbpf ", 0), 0u) << r.out;
    const std::string findings = r.out.substr(r.out.find('\n') + 1);
    std::string first = findings.substr(0, findings.find('\n'));
    EXPECT_EQ(first, object + ": error: [revision-refused] bpf_oom_ops: struct_ops bpf_oom_ops is "
                              "not in this kernel; the object implements revisions v2, v3; "
                              "contract: experimental, opt-in \"bpf_oom\" (contract bpf-oom, " +
                         first.substr(first.find("(contract bpf-oom, ") + 19))
        << kernel;
    EXPECT_NE(r.out.find(": fails at extern ("), std::string::npos) << kernel << "\n" << r.out;
  }
}

TEST(OomPolicyExample, KcLoadShowsWhatEachRevisionGetsAndMarksTheHandlersSleepable) {
  const std::string object = OomObject();
  auto dry_run = [&](const char* model) {
    return RunCommand(ShellQuote(ExampleTool("kc_load")) + " --kernel " +
                      ShellQuote(ModelKernelPath(model)) +
                      " --sleepable oom_handle_v2 --sleepable oom_handle_v3 " + ShellQuote(object));
  };
  CommandResult v2 = dry_run("bpf_oom_v2");
  EXPECT_EQ(v2.exit_code, 0) << v2.err;
  EXPECT_NE(v2.out.find("map oom_policy_v2: create\nmap oom_policy_v3: left out\n"
                        "program oom_handle_v2: load (sleepable)\nprogram oom_offline_v2: load\n"
                        "program oom_handle_v3: left out\n"),
            std::string::npos)
      << v2.out;
  CommandResult v3 = dry_run("bpf_oom_v3");
  EXPECT_EQ(v3.exit_code, 0) << v3.err;
  EXPECT_NE(v3.out.find("program oom_handle_v2: left out\nprogram oom_offline_v2: left out\n"
                        "program oom_handle_v3: load (sleepable)\n"),
            std::string::npos)
      << v3.out;
  CommandResult running = RunCommand(ShellQuote(ExampleTool("kc_load")) + " --dry-run " +
                                     ShellQuote(object));
  EXPECT_EQ(running.exit_code, 8) << running.out;
  EXPECT_NE(running.err.find("struct_ops bpf_oom_ops is not in this kernel"), std::string::npos)
      << running.err;
}

// libbpf 1.1.2 itself, seeing each model kernel as the running one: the
// prepared object passes its struct_ops, extern and CO-RE passes on both
// revisions, as `check` predicts (the running kernel then refuses the
// programs, whose type ids are the model's). Unprepared, v2's table stops
// libbpf on v3 (handle_cgroup_offline is gone); on v2, v3's table passes
// libbpf (its members' names exist there), which is why the helper, not
// libbpf, must choose: the kernel would run v3's callback with v2's
// arguments but for the poisoned read the verifier would meet first.
TEST(OomPolicyExample, Libbpf112AcceptsThePreparedObjectOnEachRevision) {
  std::string why;
  if (!CanLoadBpfPrograms(&why)) GTEST_SKIP() << why;
  const std::string object = OomObject();
  auto probe = [&](const std::string& btf, bool prepare) {
    return RunCommand(ShellQuote(KC_LOADER_PROBE) + " --btf " + ShellQuote(btf) + " --object " +
                      ShellQuote(object) + (prepare ? "" : " --no-prepare"));
  };
  CommandResult first = probe(ModelKernelPath("bpf_oom_v2"), true);
  if (first.exit_code == 77) GTEST_SKIP() << first.err;
  for (const char* model : {"bpf_oom_v2", "bpf_oom_v3"}) {
    CommandResult prepared = probe(ModelKernelPath(model), true);
    EXPECT_EQ(prepared.exit_code, 0) << prepared.out << prepared.err;
    EXPECT_NE(prepared.out.find(std::string("bpf_oom_ops revision ") + (model + 8)),
              std::string::npos)
        << prepared.out;
    EXPECT_NE(prepared.out.find("class: past_libbpf\n"), std::string::npos)
        << model << "\n" << prepared.out << prepared.err;
  }
  // What the helper spares libbpf before 1.4 (measured as libbpf.so.1:
  // 1.1.2 and 1.3.0 fail the unprepared object on v3, 1.5.0 and 1.7.0 pass it).
  if (libbpf_major_version() == 1 && libbpf_minor_version() < 4) {
    CommandResult v3_unprepared = probe(ModelKernelPath("bpf_oom_v3"), false);
    EXPECT_NE(v3_unprepared.out.find("class: struct_ops_failed\n"), std::string::npos)
        << v3_unprepared.out << v3_unprepared.err;
    EXPECT_NE(v3_unprepared.err.find("struct_ops init_kern oom_policy_v2: Cannot find member "
                                     "handle_cgroup_offline in kernel BTF"),
              std::string::npos)
        << v3_unprepared.err;
  }
  CommandResult v2_unprepared = probe(ModelKernelPath("bpf_oom_v2"), false);
  EXPECT_NE(v2_unprepared.out.find("class: past_libbpf\n"), std::string::npos)
      << v2_unprepared.out << v2_unprepared.err;

  // A kernel without BPF OOM: the helper refuses before libbpf.
  std::string host = (SharedKernelDir("host-6.18.44") / "vmlinux.btf").string();
  if (std::filesystem::exists(host)) {
    CommandResult refused = probe(host, true);
    EXPECT_EQ(refused.exit_code, 8) << refused.out << refused.err;
    EXPECT_NE(refused.out.find("refused: " + object + " cannot run on "), std::string::npos)
        << refused.out;
    EXPECT_EQ(refused.out.find("class:"), std::string::npos) << refused.out;
  }
}

}  // namespace
}  // namespace kcontract
