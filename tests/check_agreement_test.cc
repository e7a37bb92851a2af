// The point of the pre-load check: its prediction for every corpus object on
// every kernel must agree with what real libbpf 1.1.2 does (the oracle in
// tests/oracle runs libbpf itself, with the kernel's BTF bind-mounted over
// /sys/kernel/btf/vmlinux so externs resolve against that kernel too).
#include <gtest/gtest.h>

#include <algorithm>
#include <map>

#include "abi/libbpf/libbpf_check.h"
#include "abi/libbpf/open_rules.h"
#include "abi/object/bpf_object.h"
#include "abi/policy/finding_policy.h"
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

TEST(CheckAgreesWithLibbpf, OnEveryCorpusObjectAndKernel) {
  std::string why;
  std::vector<oracle::OracleKernel> kernels = oracle::SharedOracleKernels(&why);
  if (kernels.empty()) GTEST_SKIP() << why;
  std::vector<oracle::CorpusEntry> corpus = oracle::LoadCorpus();
  ASSERT_GE(corpus.size(), 40u);
  std::vector<oracle::OracleResult> results =
      oracle::RunOracle(oracle::ObjectPaths(corpus), kernels);
  std::map<std::pair<std::string, std::string>, const oracle::OracleResult*> by_pair;
  for (const auto& r : results) by_pair[{r.object, r.kernel}] = &r;

  int agree = 0;
  int total = 0;
  int load_agree = 0;
  int load_total = 0;
  int verdict_agree = 0;
  int verdict_total = 0;
  int verdict_unjudged = 0;
  std::string table;
  std::string load_table;
  std::string verdict_table;
  for (const oracle::OracleKernel& k : kernels) {
    std::unique_ptr<KernelBtf> kernel = LoadOracleKernel(k);
    ASSERT_NE(kernel, nullptr);
    CheckTarget target(*kernel);
    for (const oracle::CorpusEntry& entry : corpus) {
      auto objects = ReadBpfObjects(entry.object.string());
      ASSERT_TRUE(objects.ok()) << objects.status();
      ASSERT_EQ(objects->size(), 1u);
      ObjectCheck check = CheckObject(*objects->front(), target);
      JudgeCheck(CheckPolicy{}, &check);
      const oracle::OracleResult* oracle =
          by_pair[{entry.object.filename().string(), k.name}];
      ASSERT_NE(oracle, nullptr) << entry.name << " on " << k.name;
      ASSERT_TRUE(oracle->ok) << oracle->error;
      std::string predicted = OracleClassFor(check.findings);
      bool same = predicted == oracle->cls;
      ++total;
      agree += same;
      table += absl::StrFormat("%-36s %-8s kcontract=%-22s libbpf=%-22s %s\n", entry.name,
                               k.name, predicted, oracle->cls, same ? "agree" : "DISAGREE");
      if (k.running && oracle->load != "n/a") {
        // The real verifier: kcontract's errors must be exactly the loads
        // that fail. EPERM is this machine's policy for fentry/lsm, not the
        // object's fault.
        bool predicted_loadable = check.verdict == LoadStage::kNone;
        bool loaded = oracle->load == "loaded" || oracle->load == "eperm";
        ++load_total;
        load_agree += predicted_loadable == loaded;
        load_table += absl::StrFormat("%-36s kcontract=%-10s kernel=%s\n", entry.name,
                                      predicted_loadable ? "loads" : "fails", oracle->load);
        EXPECT_EQ(predicted_loadable, loaded)
            << entry.name << ": real load on the running kernel was " << oracle->load;
      }
      // The verdict against the whole real load, on every kernel the oracle
      // can judge; and against what the source says it should be.
      const std::string verdict = VerdictWord(check.verdict);
      const std::string real = RealVerdict(*oracle);
      if (real.empty()) {
        ++verdict_unjudged;
      } else {
        ++verdict_total;
        verdict_agree += verdict == real;
        verdict_table += absl::StrFormat("%-36s %-8s kcontract=%-12s real=%-12s %s\n", entry.name,
                                         k.name, verdict, real,
                                         verdict == real ? "agree" : "DISAGREE");
        EXPECT_EQ(verdict, real) << entry.name << " on " << k.name
                                 << ": the real load gave " << oracle->verifier;
      }
      if (auto it = entry.expect_verdict.find(k.name); it != entry.expect_verdict.end()) {
        EXPECT_EQ(verdict, it->second) << entry.name << " on " << k.name
                                       << ": its source's Expect-verdict line";
      }
      if (!same) {
        std::string findings;
        for (const Finding& f : check.findings) findings += "  " + f.code + " " + f.message + "\n";
        std::string detail;
        for (const std::string& line : oracle->detail) detail += "  " + line + "\n";
        ADD_FAILURE() << entry.name << " on " << k.name << ": kcontract predicts " << predicted
                      << ", libbpf did " << oracle->cls << "\nkcontract findings:\n"
                      << findings << "libbpf log:\n" << detail;
      }
    }
  }
  std::printf("%s%d of %d object x kernel pairs agree\n", table.c_str(), agree, total);
  std::printf("%s%d of %d real loads on the running kernel agree\n", load_table.c_str(),
              load_agree, load_total);
  std::printf("%s%d of %d verdicts agree with the real load (%d pairs the oracle cannot judge)\n",
              verdict_table.c_str(), verdict_agree, verdict_total, verdict_unjudged);
}

}  // namespace
}  // namespace kcontract
