// `kcontract check --libbpf V --json`, as a user runs it, against libbpf V
// itself (the oracle of tests/oracle built on that release), on every corpus
// object x {6.1, 6.12, 6.18, running}, for V in 1.1 (the system's 1.1.2),
// 1.3, 1.5 and 1.7: in the style of check_agreement_test, which does the
// same for 1.1.2 through the library.
//   - the oracle class of check's findings (OracleClassFor) is libbpf V's;
//   - check's verdict is the whole real load's (RealVerdict), wherever the
//     oracle can judge it;
//   - on the running kernel, "loads" is exactly the loads that succeed.
// The kernels are given as the oracle sees them: raw BTF with its config
// beside it (a directory holding vmlinux.btf and config-*), and `running`.
#include <sys/utsname.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "abi/finding/finding.h"
#include "abi/libbpf/struct_ops_rules.h"
#include "absl/strings/str_format.h"
#include "tests/oracle/oracle_table.h"
#include "tests/oracle/oracle_verdict.h"
#include "tests/test_support.h"

namespace kcontract {
namespace {

namespace fs = std::filesystem;
using oracle::OracleClassFor;
using oracle::RealVerdict;

constexpr char kSystem[] = "1.1";

// Whether this kcontract's check takes --libbpf; "" when it does, else why not.
std::string CheckLacksLibbpfOption() {
  testing::CommandResult help = testing::RunCli("check --help");
  if (help.out.find("--libbpf") != std::string::npos) return "";
  return "kcontract check has no --libbpf yet";
}

LoadEffect EffectNamed(const std::string& name) {
  for (LoadEffect e : {LoadEffect::kNone, LoadEffect::kLibbpfRejects, LoadEffect::kRejectedIfReached,
                       LoadEffect::kVerifierMay, LoadEffect::kVerifierRejects}) {
    if (LoadEffectName(e) == name) return e;
  }
  ADD_FAILURE() << "unknown effect in check's JSON: " << name;
  return LoadEffect::kNone;
}

LoadStage StageNamed(const std::string& name) {
  for (int s = 0; s <= static_cast<int>(LoadStage::kNone); ++s) {
    if (LoadStageName(static_cast<LoadStage>(s)) == name) return static_cast<LoadStage>(s);
  }
  ADD_FAILURE() << "unknown stage in check's JSON: " << name;
  return LoadStage::kNone;
}

// The findings of one JSON result, as far as OracleClassFor reads them.
std::vector<Finding> FindingsOf(const nlohmann::json& result) {
  std::vector<Finding> findings;
  for (const auto& j : result.value("findings", nlohmann::json::array())) {
    Finding f;
    f.code = j.value("code", "");
    f.effect = EffectNamed(j.value("effect", "none"));
    f.stage = StageNamed(j.value("stage", "none"));
    findings.push_back(std::move(f));
  }
  return findings;
}

// A kernel as `check` is given it: the oracle's raw BTF and config, in a
// directory of their own (or "running").
std::string CheckKernelSource(const oracle::OracleKernel& k) {
  if (k.running) return "running";
  const fs::path dir = testing::ProcessScratch("check_libbpf_agreement") / ("kernel-" + k.name);
  fs::create_directories(dir);
  std::error_code ec;
  fs::create_symlink(fs::absolute(k.btf), dir / "vmlinux.btf", ec);
  if (!k.config.empty()) fs::create_symlink(fs::absolute(k.config), dir / k.config.filename(), ec);
  return dir.string();
}

class CheckLibbpfAgreement : public ::testing::TestWithParam<std::string> {};

TEST_P(CheckLibbpfAgreement, OnEveryCorpusObjectAndKernel) {
  const std::string version = GetParam();
  if (std::string why = CheckLacksLibbpfOption(); !why.empty()) GTEST_SKIP() << why;
  std::string why;
  std::vector<oracle::OracleKernel> kernels = oracle::SharedOracleKernels(&why);
  if (kernels.empty()) GTEST_SKIP() << why;
  oracle::OracleOptions options;
  if (version != kSystem) {
    std::vector<std::string> built = oracle::OracleLibbpfVersions(&why);
    if (std::find(built.begin(), built.end(), version) == built.end())
      GTEST_SKIP() << "no libbpf " << version << " oracle: " << why;
    options.libbpf = version;
  }
  std::vector<oracle::CorpusEntry> corpus = oracle::LoadCorpus();
  ASSERT_GE(corpus.size(), 40u);
  std::vector<oracle::OracleResult> results =
      oracle::RunOracle(oracle::ObjectPaths(corpus), kernels, options);
  std::map<std::pair<std::string, std::string>, const oracle::OracleResult*> by_pair;
  for (const auto& r : results) by_pair[{r.object, r.kernel}] = &r;

  std::string objects;
  for (const auto& e : corpus) objects += " " + testing::ShellQuote(e.object.string());
  int agree = 0, total = 0, verdict_agree = 0, verdict_total = 0, load_agree = 0, load_total = 0;
  int unjudged = 0;
  std::string table;
  for (const oracle::OracleKernel& k : kernels) {
    testing::CommandResult run =
        testing::RunCli("check --no-default-manifests --libbpf " + version + " -j --kernel " +
                        testing::ShellQuote(CheckKernelSource(k)) + objects);
    ASSERT_EQ(run.exit_code & 1, 0) << "kcontract check failed on " << k.name << ": " << run.err;
    auto doc = nlohmann::json::parse(run.out, nullptr, /*allow_exceptions=*/false);
    ASSERT_FALSE(doc.is_discarded()) << run.out.substr(0, 400);
    ASSERT_EQ(doc["results"].size(), corpus.size()) << k.name;
    for (size_t i = 0; i < corpus.size(); ++i) {
      const nlohmann::json& result = doc["results"][i];
      const oracle::CorpusEntry& entry = corpus[i];
      ASSERT_EQ(fs::path(result.value("object", "")).filename(), entry.object.filename());
      const oracle::OracleResult* o = by_pair[{entry.object.filename().string(), k.name}];
      ASSERT_NE(o, nullptr);
      ASSERT_TRUE(o->ok) << o->error;
      std::vector<Finding> findings = FindingsOf(result);
      // The oracle creates a foreign kernel's maps on the running kernel,
      // which takes BPF_F_LINK: a kernel before 6.4 refusing the flag is
      // what it cannot see (struct_ops_link_tcp on 6.1). Counted apart.
      if (!k.running && std::any_of(findings.begin(), findings.end(), [](const Finding& f) {
            return f.code == kStructOpsLinkCode;
          })) {
        ++unjudged;
        continue;
      }
      const std::string predicted = OracleClassFor(findings);
      const std::string verdict = result.value("verdict", "");
      const bool same = predicted == o->cls;
      ++total;
      agree += same;
      if (!same) {
        table += absl::StrFormat("%-34s %-8s kcontract=%-20s libbpf %s=%s\n", entry.name, k.name,
                                 predicted, version, o->cls);
        ADD_FAILURE() << entry.name << " on " << k.name << ": check --libbpf " << version
                      << " predicts " << predicted << ", libbpf " << version << " did "
                      << o->cls << "\n" << o->json;
      }
      if (const std::string real = RealVerdict(*o); !real.empty()) {
        ++verdict_total;
        verdict_agree += verdict == real;
        EXPECT_EQ(verdict, real) << entry.name << " on " << k.name << ": the real load gave "
                                 << o->verifier;
      }
      if (k.running && o->load != "n/a") {
        ++load_total;
        const bool loaded = o->load == "loaded" || o->load == "eperm";
        load_agree += (verdict == "loads") == loaded;
      }
    }
  }
  std::printf("%slibbpf %s: %d of %d object x kernel classes agree; %d of %d verdicts agree "
              "with the real load; %d of %d running-kernel loads; %d pairs the oracle cannot "
              "judge (a map flag a foreign kernel refuses)\n",
              table.c_str(), version.c_str(), agree, total, verdict_agree, verdict_total,
              load_agree, load_total, unjudged);
}

INSTANTIATE_TEST_SUITE_P(Releases, CheckLibbpfAgreement,
                         ::testing::Values(std::string(kSystem), std::string("1.3"),
                                           std::string("1.5"), std::string("1.7")),
                         [](const ::testing::TestParamInfo<std::string>& info) {
                           std::string name = "libbpf_" + info.param;
                           std::replace(name.begin(), name.end(), '.', '_');
                           return name;
                         });

}  // namespace
}  // namespace kcontract
