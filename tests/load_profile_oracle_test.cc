// Load profiles against real libbpf 1.1.2: for each profile of
// tests/profiles/ the oracle (tests/oracle) does what the profile says a
// loader does (bpf_program__set_autoload(prog, false),
// bpf_program__set_attach_target(prog, 0, target)) between open and load,
// and `check` with the same profile must predict what libbpf then does, on
// every shared kernel (through the oracle's mount namespace) and, with the
// real load, on the running kernel.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>

#include "abi/libbpf/libbpf_check.h"
#include "abi/object/bpf_object.h"
#include "abi/policy/finding_policy.h"
#include "abi/prepared/prepared_check.h"
#include "abi/profile/apply_profile.h"
#include "absl/strings/str_format.h"
#include "btfdiff/base/file_bytes.h"
#include "btfdiff/source/kernel_source.h"
#include "tests/oracle/oracle_table.h"
#include "tests/oracle/oracle_verdict.h"
#include "tests/test_support.h"

namespace kcontract {
namespace {

using oracle::LoadOracleKernel;
using oracle::OracleClassFor;
using oracle::RealVerdict;
using oracle::VerdictWord;

// An object, a profile and the same changes as oracle arguments.
struct Scenario {
  std::string object;   // a path
  std::string profile;  // tests/profiles/<profile>.toml; "" for none
  std::vector<std::string> oracle_args;
};

const std::string kProfileTp = std::string(KC_PROFILE_DIR) + "/profile_tp.o";
// Reads mm_struct.lru_gen behind `const volatile bool use_lru_gen = true`.
const std::string kGuardRodata = std::string(KC_CORPUS_DIR) + "/guard_rodata_on.bpf.o";

const Scenario kScenarios[] = {
    {kProfileTp, "", {}},
    {kProfileTp, "tp_off", {"--autoload-off", "on_missing", "--autoload-off", "on_bare"}},
    {kProfileTp, "tp_off_missing_only", {"--autoload-off", "on_missing"}},
    {kProfileTp, "tp_retarget",
     {"--attach", "on_missing=sched_wakeup", "--attach", "on_bare=sched_process_exec"}},
    {kProfileTp, "tp_retarget_missing",
     {"--autoload-off", "on_bare", "--attach", "on_missing=kc_still_missing"}},
    {kGuardRodata, "", {}},
    {kGuardRodata, "guard_rodata_off", {"--rodata", "use_lru_gen=0"}},
};

TEST(LoadProfileAgreesWithLibbpf, OnEveryProfileAndKernel) {
  std::string why;
  std::vector<oracle::OracleKernel> kernels = oracle::SharedOracleKernels(&why);
  if (kernels.empty()) GTEST_SKIP() << why;
  int agree = 0, total = 0, load_agree = 0, load_total = 0;
  int verdict_agree = 0, verdict_total = 0;
  std::string table;
  for (const Scenario& scenario : kScenarios) {
    const std::filesystem::path object_path = scenario.object;
    auto objects = ReadBpfObjects(object_path.string());
    ASSERT_TRUE(objects.ok()) << objects.status();
    const BpfObject& object = *objects->front();
    std::vector<LoadProfile> profiles;
    if (!scenario.profile.empty()) {
      LoadProfileSet set = ReadLoadProfiles(
          {std::string(KC_PROFILE_SOURCE_DIR) + "/" + scenario.profile + ".toml"});
      ASSERT_FALSE(set.has_errors());
      profiles = set.profiles;
    }
    AppliedProfile applied = MatchProfile(profiles, object);
    ASSERT_EQ(applied.entry != nullptr, !scenario.profile.empty());
    oracle::OracleOptions options;
    options.extra_args = scenario.oracle_args;
    std::vector<oracle::OracleResult> results = oracle::RunOracle({object_path}, kernels, options);
    ASSERT_EQ(results.size(), kernels.size());
    for (size_t i = 0; i < kernels.size(); ++i) {
      const oracle::OracleKernel& k = kernels[i];
      const oracle::OracleResult& oracle = results[i];
      ASSERT_TRUE(oracle.ok) << oracle.error;
      std::unique_ptr<KernelBtf> kernel = LoadOracleKernel(k);
      ASSERT_NE(kernel, nullptr);
      CheckTarget target(*kernel);
      ObjectCheck check = CheckPrepared(object, target, ContractSet{}, applied).check;
      JudgeCheck(CheckPolicy{}, &check);
      std::string predicted = OracleClassFor(check.findings);
      bool same = predicted == oracle.cls;
      ++total;
      agree += same;
      std::string verdict =
          check.verdict == LoadStage::kNone ? "loads" : std::string(LoadStageName(check.verdict));
      // The verdict against the whole real load (libbpf's refusal, else the
      // verifier on the programs libbpf relocated for that kernel).
      std::string real = RealVerdict(oracle);
      if (!real.empty()) {
        ++verdict_total;
        verdict_agree += verdict == real;
        EXPECT_EQ(verdict, real) << scenario.profile << " on " << k.name
                                 << ": the real load gave " << oracle.verifier;
      }
      // The outcome word and the exit bit agree: errors exactly when it fails.
      EXPECT_EQ(check.verdict == LoadStage::kNone,
                CountDiagnostics(check.findings).errors == 0);
      std::string load = "n/a";
      if (k.running && oracle.load != "n/a") {
        load = oracle.load;
        bool predicted_loadable = check.verdict == LoadStage::kNone;
        bool loaded = oracle.load == "loaded";
        ++load_total;
        load_agree += predicted_loadable == loaded;
        EXPECT_EQ(predicted_loadable, loaded)
            << scenario.profile << ": real load on the running kernel was " << oracle.load;
      }
      table += absl::StrFormat(
          "%-20s %-20s %-8s kcontract=%-19s %-10s libbpf=%-19s real=%-10s load=%-15s %s\n",
          object_path.filename().string(), scenario.profile.empty() ? "(none)" : scenario.profile,
          k.name, predicted, verdict, oracle.cls, real.empty() ? "n/a" : real, load,
          same && (real.empty() || real == verdict) ? "agree" : "DISAGREE");
      if (!same) {
        std::string findings;
        for (const Finding& f : check.findings) findings += "  " + f.code + " " + f.message + "\n";
        std::string detail;
        for (const std::string& line : oracle.detail) detail += "  " + line + "\n";
        ADD_FAILURE() << scenario.profile << " on " << k.name << ": kcontract predicts "
                      << predicted << ", libbpf did " << oracle.cls << "\nfindings:\n"
                      << findings << "libbpf log:\n" << detail;
      }
    }
  }
  std::printf("%s%d of %d profile x kernel pairs agree with libbpf\n", table.c_str(), agree,
              total);
  std::printf("%d of %d verdicts agree with the real load (libbpf + verifier)\n", verdict_agree,
              verdict_total);
  std::printf("%d of %d real loads on the running kernel agree\n", load_agree, load_total);
  EXPECT_EQ(agree, total);
  EXPECT_EQ(verdict_agree, verdict_total);
  EXPECT_GT(verdict_total, 0);
  EXPECT_GT(load_total, 0);
}

}  // namespace
}  // namespace kcontract
