// The corpus under each libbpf a loader may link: the system's 1.1.2 and the
// upstream releases 1.3.0, 1.5.0 and 1.7.0 built from ../shared/libbpf
// (kc_libbpf_oracle_1_3, _1_5, _1_7; tests/oracle/README.md). Every corpus
// object x {6.1, 6.12, 6.18, running} through each release's oracle:
//   (a) each object's declared class per release (its Expect-libbpf-V
//       lines, else the nearest older release's) holds, and so does its
//       load result on the running kernel (on the 6.18 machine the corpus
//       describes);
//   (b) 1.1.2's verdicts are those recorded before the other releases came
//       (tests/golden/oracle_libbpf_1_1.tsv: class, verifier answer, CO-RE
//       poisoned count; KC_UPDATE_GOLDEN=1 rewrites it);
//   (c) the pairs on which the releases differ are printed as a table (the
//       one in tests/oracle/README.md, "Verdicts by libbpf version").
// And the sched_ext-style scheduler on the sched_ext model kernels, where
// the releases part most.
#include <sys/utsname.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "tests/oracle/oracle_table.h"
#include "tests/test_support.h"

namespace kcontract::oracle {
namespace {

namespace fs = std::filesystem;

// "1.1" stands for the system's libbpf (Debian 12: 1.1.2).
constexpr char kSystem[] = "1.1";

struct Releases {
  std::vector<std::string> versions;  // "1.1" first, then the upstream ones
  std::string why_not;                // why there are no upstream ones
};

Releases AvailableReleases() {
  Releases r;
  r.versions.push_back(kSystem);
  for (const std::string& v : OracleLibbpfVersions(&r.why_not)) r.versions.push_back(v);
  return r;
}

std::string Label(const std::string& version) { return version == kSystem ? "1.1.2" : version; }

bool OnTheCorpusMachine() {
  struct utsname uts;
  uname(&uts);
  return std::string(uts.release).rfind("6.18", 0) == 0;
}

// Every corpus object x kernel, per release, computed once per process.
struct VersionRun {
  std::vector<CorpusEntry> corpus;
  std::vector<OracleKernel> kernels;
  std::vector<std::string> versions;
  std::map<std::string, std::vector<OracleResult>> results;  // version -> object-major
  std::string skip;
};

const VersionRun& RunAll() {
  static const VersionRun run = [] {
    VersionRun v;
    Releases releases = AvailableReleases();
    if (releases.versions.size() == 1) {
      v.skip = "no upstream libbpf oracle: " + releases.why_not;
      return v;
    }
    std::string why;
    v.kernels = SharedOracleKernels(&why);
    if (v.kernels.empty()) {
      v.skip = why;
      return v;
    }
    v.corpus = LoadCorpus();
    v.versions = releases.versions;
    for (const std::string& version : v.versions) {
      OracleOptions options;
      if (version != kSystem) options.libbpf = version;
      OracleStats stats;
      v.results[version] = RunOracle(ObjectPaths(v.corpus), v.kernels, options, &stats);
      std::printf("libbpf %s: %d oracle runs, %d cached\n", Label(version).c_str(), stats.ran,
                  stats.cached);
    }
    return v;
  }();
  return run;
}

#define KC_NEED_RUN(run)                    \
  do {                                      \
    if (!(run).skip.empty()) GTEST_SKIP() << (run).skip; \
  } while (0)

TEST(LibbpfVersionsOracle, EachReleaseRunsItsOwnLibbpf) {
  const VersionRun& run = RunAll();
  KC_NEED_RUN(run);
  std::string why;
  OracleLibbpfVersions(&why);
  EXPECT_EQ(run.versions.size(), 4u) << "releases missing: " << why;
  for (const std::string& version : run.versions) {
    for (const OracleResult& r : run.results.at(version)) {
      SCOPED_TRACE(r.object + " on " + r.kernel + " with libbpf " + Label(version));
      ASSERT_TRUE(r.ok) << r.error;
      EXPECT_EQ(r.libbpf, version) << r.json;
      EXPECT_EQ(r.mode, r.kernel == "running" ? "running" : "namespace") << r.json;
      // bpf_object__prepare exists from 1.6; the oracle calls it on every
      // object that opened. (1.7 prepares a big-endian object, and refuses
      // it only when loading: open_big_endian.)
      if (version != "1.7") {
        EXPECT_EQ(r.prepare, "n/a") << r.json;
      } else if (r.prepare == "n/a") {
        EXPECT_EQ(r.cls, "open_failed") << r.json;
      }
    }
  }
}

// (a) What each source says about itself, per release.
TEST(LibbpfVersionsOracle, CorpusMatchesEachReleasesExpectations) {
  const VersionRun& run = RunAll();
  KC_NEED_RUN(run);
  const bool check_loads = OnTheCorpusMachine();
  if (!check_loads) std::printf("running kernel is not 6.18: load results not checked\n");
  for (const std::string& version : run.versions) {
    const std::vector<OracleResult>& results = run.results.at(version);
    ASSERT_EQ(results.size(), run.corpus.size() * run.kernels.size());
    for (size_t i = 0; i < run.corpus.size(); ++i) {
      const CorpusEntry& entry = run.corpus[i];
      for (size_t k = 0; k < run.kernels.size(); ++k) {
        const OracleResult& r = results[i * run.kernels.size() + k];
        const std::string& kernel = run.kernels[k].name;
        SCOPED_TRACE(entry.name + " on " + kernel + " with libbpf " + Label(version));
        ASSERT_TRUE(r.ok) << r.error;
        const std::string expected = ExpectedClass(entry, version, kernel);
        ASSERT_FALSE(expected.empty()) << "no Expect line names " << kernel << " in "
                                       << entry.source;
        EXPECT_EQ(r.cls, expected) << r.json;
        if (run.kernels[k].running && check_loads) {
          EXPECT_EQ(r.load, ExpectedLoad(entry, version, "running")) << r.json;
        }
      }
    }
  }
}

// One line of the golden file: object, kernel, class, verifier, poisoned.
std::string GoldenLine(const OracleResult& r) {
  std::ostringstream out;
  out << r.object << '\t' << r.kernel << '\t' << r.cls << '\t' << r.verifier << '\t'
      << r.poisoned;
  return out.str();
}

// (b) 1.1.2 as it was before the upstream releases' oracles.
TEST(LibbpfVersionsOracle, Libbpf112VerdictsAreUnchanged) {
  const VersionRun& run = RunAll();
  KC_NEED_RUN(run);
  const fs::path golden = fs::path(KCONTRACT_GOLDEN_DIR) / "oracle_libbpf_1_1.tsv";
  const std::vector<OracleResult>& results = run.results.at(kSystem);
  if (std::getenv("KC_UPDATE_GOLDEN") != nullptr) {
    std::string text;
    for (const OracleResult& r : results) text += GoldenLine(r) + "\n";
    testing::WriteFileOrDie(golden, ByteView(reinterpret_cast<const uint8_t*>(text.data()),
                                             text.size()));
  }
  std::map<std::pair<std::string, std::string>, const OracleResult*> by_pair;
  for (const OracleResult& r : results) by_pair[{r.object, r.kernel}] = &r;
  // The verifier answers (foreign kernels' too: the running kernel verifies
  // what was relocated for them) are this machine's: compared on it only.
  const bool same_machine = OnTheCorpusMachine();
  std::ifstream in(golden);
  ASSERT_TRUE(in) << golden;
  std::string line;
  std::set<std::pair<std::string, std::string>> seen;
  int compared = 0;
  while (std::getline(in, line)) {
    std::vector<std::string> f;
    std::istringstream fields(line);
    for (std::string field; std::getline(fields, field, '\t');) f.push_back(field);
    ASSERT_EQ(f.size(), 5u) << line;
    seen.insert({f[0], f[1]});
    auto it = by_pair.find({f[0], f[1]});
    if (it == by_pair.end()) {
      ADD_FAILURE() << f[0] << " on " << f[1] << " is in " << golden << " but not in the corpus";
      continue;
    }
    const OracleResult& r = *it->second;
    ++compared;
    EXPECT_EQ(r.cls, f[2]) << f[0] << " on " << f[1] << ": " << r.json;
    EXPECT_EQ(std::to_string(r.poisoned), f[4]) << f[0] << " on " << f[1] << ": " << r.json;
    if (same_machine) {
      EXPECT_EQ(r.verifier, f[3]) << f[0] << " on " << f[1] << ": " << r.json;
    }
  }
  int newer = 0;
  for (const OracleResult& r : results) newer += seen.count({r.object, r.kernel}) == 0;
  std::printf("libbpf 1.1.2: %d pairs as recorded in %s; %d pairs of newer objects "
              "(their headers' Expect lines hold them)\n",
              compared, golden.filename().c_str(), newer);
  EXPECT_GT(compared, 0);
}

// A cell of the differences table: the class, and the whole load's answer
// where it is known and not the class itself.
std::string Cell(const OracleResult& r) {
  std::string answer = r.verifier.rfind("n/a", 0) == 0 ? "n/a" : r.verifier;
  std::string cell = r.cls;
  if (answer != r.cls) cell += " / " + answer;
  if (r.kfunc_poisoned > 0) cell += " (" + std::to_string(r.kfunc_poisoned) + " kfunc call" +
                                    (r.kfunc_poisoned > 1 ? "s" : "") + " poisoned)";
  return cell;
}

// A Markdown table's head: `columns`, then one column per release.
std::string TableHead(const std::vector<std::string>& columns,
                      const std::vector<std::string>& versions) {
  std::string head = "|";
  std::string rule = "|";
  for (const std::string& column : columns) {
    head += " " + column + " |";
    rule += "---|";
  }
  for (const std::string& version : versions) {
    head += " " + Label(version) + " |";
    rule += "---|";
  }
  return head + "\n" + rule + "\n";
}

// (c) Where the releases part, as a Markdown table.
TEST(LibbpfVersionsOracle, PrintsTheDifferencesBetweenReleases) {
  const VersionRun& run = RunAll();
  KC_NEED_RUN(run);
  std::string table = TableHead({"object", "kernel"}, run.versions);
  int rows = 0;
  const size_t pairs = run.corpus.size() * run.kernels.size();
  for (size_t p = 0; p < pairs; ++p) {
    std::set<std::string> verdicts;  // class and whole-load answer, per release
    for (const std::string& version : run.versions) {
      const OracleResult& r = run.results.at(version)[p];
      verdicts.insert(r.cls + "|" + r.verifier);
    }
    if (verdicts.size() == 1) continue;
    const OracleResult& first = run.results.at(kSystem)[p];
    std::string object = first.object.substr(0, first.object.find(".bpf.o"));
    table += "| " + object + " | " + first.kernel + " |";
    for (const std::string& version : run.versions) table += " " + Cell(run.results.at(version)[p]) + " |";
    table += "\n";
    ++rows;
  }
  std::printf("%s%d of %zu object x kernel pairs differ between libbpf releases\n",
              table.c_str(), rows, pairs);
  // The corpus holds objects written for each version-dependent feature.
  EXPECT_GE(rows, 10);
}

// sched_ext_style_scheduler where sched_ext exists: the model kernels of
// tests/model_kernels (6.12's kfunc names, 6.13's both, only the new ones).
TEST(LibbpfVersionsOracle, SchedExtStyleSchedulerOnModelKernels) {
  Releases releases = AvailableReleases();
  if (releases.versions.size() == 1) GTEST_SKIP() << "no upstream libbpf oracle: " << releases.why_not;
  std::string why;
  if (SharedOracleKernels(&why).empty()) GTEST_SKIP() << why;
  fs::path object;
  for (const CorpusEntry& e : LoadCorpus())
    if (e.name == "sched_ext_style_scheduler") object = e.object;
  ASSERT_FALSE(object.empty());
  std::vector<OracleKernel> models;
  for (const char* name : {"sched_ext_6_12", "sched_ext_6_13", "sched_ext_new_only"})
    models.push_back({name, testing::ModelKernelPath(name), {}, false});
  // 1.1.2 ignores .struct_ops.link (its programs bound to nothing, which
  // every kernel refuses) and knows no struct_ops.s; 1.3 maps the ops but
  // refuses the zero member the kernel lacks; 1.4+ skips it.
  const std::map<std::string, std::string> expected = {{"1.1", "passed_relocation"},
                                                       {"1.3", "struct_ops_failed"},
                                                       {"1.5", "passed_relocation"},
                                                       {"1.7", "passed_relocation"}};
  std::string table = TableHead({"model kernel"}, releases.versions);
  std::map<std::string, std::vector<OracleResult>> by_version;
  for (const std::string& version : releases.versions) {
    OracleOptions options;
    if (version != kSystem) options.libbpf = version;
    by_version[version] = RunOracle({object}, models, options);
  }
  for (size_t k = 0; k < models.size(); ++k) {
    table += "| " + models[k].name + " |";
    for (const std::string& version : releases.versions) {
      const OracleResult& r = by_version[version][k];
      SCOPED_TRACE(models[k].name + " with libbpf " + Label(version));
      ASSERT_TRUE(r.ok) << r.error;
      if (expected.count(version)) {
        EXPECT_EQ(r.cls, expected.at(version)) << r.json;
      }
      std::string unresolved;
      for (const std::string& d : r.detail) {
        auto end = d.find("' (weak): not resolved");
        if (d.rfind("extern '", 0) == 0 && end != std::string::npos)
          unresolved += (unresolved.empty() ? "" : ", ") + d.substr(8, end - 8);
      }
      table += " " + Cell(r) + (unresolved.empty() ? "" : "; unresolved: " + unresolved) + " |";
    }
    table += "\n";
  }
  std::printf("%s", table.c_str());
}

}  // namespace
}  // namespace kcontract::oracle
