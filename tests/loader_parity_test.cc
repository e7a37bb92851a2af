// The loader helper and `check` are one judgement: for every corpus object
// on every kernel, the helper refuses exactly what `check` says will not
// load, with check's own message for the error that stops it; what libbpf
// cannot even open never reaches the helper, and check says so.
#include <gtest/gtest.h>

#include <bpf/libbpf.h>
#include <cstdlib>

#include "abi/loader/loader.h"
#include "absl/strings/str_cat.h"
#include "tests/oracle/oracle_table.h"
#include "tests/test_support.h"

namespace kcontract {
namespace {

using testing::RunCli;
using testing::ShellQuote;

// An object libbpf opened, closed on scope exit.
struct OpenedObject {
  explicit OpenedObject(const std::string& path) {
    LIBBPF_OPTS(bpf_object_open_opts, opts);
    obj = bpf_object__open_file(path.c_str(), &opts);
  }
  ~OpenedObject() { bpf_object__close(obj); }
  bpf_object* obj = nullptr;
};

int Silent(libbpf_print_level, const char*, va_list) { return 0; }

TEST(LoaderParity, TheHelperRefusesExactlyWhatCheckSaysWillNotLoad) {
  const std::filesystem::path btf618 = testing::SharedKernelDir("host-6.18.44") / "vmlinux.btf";
  KC_REQUIRE_PATH(btf618);
  // Both sides read the repository's manifests, not whatever is installed.
  setenv("KCONTRACT_MANIFEST_DIR", KCONTRACT_SOURCE_DIR "/manifests", 1);
  libbpf_print_fn_t previous = libbpf_set_print(Silent);
  std::vector<oracle::CorpusEntry> corpus = oracle::LoadCorpus();
  ASSERT_GE(corpus.size(), 40u);
  int refused = 0;
  int prepared = 0;
  // The shared kernels as the oracle reads them (6.1 and 6.12 extracted to
  // raw BTF once, so that kernels older than 6.4 are covered), else 6.18.
  std::string why;
  std::vector<std::string> kernels;
  for (const oracle::OracleKernel& k : oracle::SharedOracleKernels(&why))
    kernels.push_back(k.running ? "running" : k.btf.string());
  if (kernels.empty()) kernels = {"running", btf618.string()};
  for (const std::string& kernel : kernels) {
    for (const oracle::CorpusEntry& entry : corpus) {
      const std::string path = entry.object.string();
      testing::CommandResult check =
          RunCli("check " + ShellQuote(path) + " --kernel " + ShellQuote(kernel));
      ASSERT_EQ(check.exit_code & 1, 0) << entry.name << ": " << check.err;
      const bool check_fails = (check.exit_code & 8) != 0;
      OpenedObject opened(path);
      if (opened.obj == nullptr) {
        EXPECT_NE(check.out.find(": fails at open ("), std::string::npos)
            << entry.name << ": libbpf cannot open it, check says:\n" << check.out;
        continue;
      }
      LoaderOptions options;
      options.kernel = kernel;
      absl::StatusOr<Preparation> preparation = PrepareObjectFile(opened.obj, path, options);
      ASSERT_TRUE(preparation.ok() ||
                  preparation.status().code() == absl::StatusCode::kFailedPrecondition)
          << entry.name << ": " << preparation.status();
      EXPECT_EQ(!preparation.ok(), check_fails)
          << entry.name << " on " << kernel << ": check exits " << check.exit_code
          << ", the helper says " << preparation.status() << "\n" << check.out;
      if (preparation.ok()) {
        ++prepared;
        continue;
      }
      ++refused;
      // "OBJ cannot run on K: [code] subject: message (and N more errors...)"
      std::string refusal(preparation.status().message());
      const std::string more = " (and ";
      if (size_t at = refusal.find(" errors: run kcontract check)"); at != std::string::npos)
        refusal.erase(refusal.rfind(more, at));
      size_t reason = refusal.find(": [");
      ASSERT_NE(reason, std::string::npos) << refusal;
      EXPECT_NE(check.out.find(absl::StrCat(path, ": error: ", refusal.substr(reason + 2))),
                std::string::npos)
          << entry.name << " on " << kernel << ": the helper says\n  " << refusal
          << "\ncheck says\n" << check.out;
    }
  }
  libbpf_set_print(previous);
  EXPECT_GT(refused, 10);
  EXPECT_GT(prepared, 10);
  std::printf("the helper refused %d object x kernel pairs and prepared %d, as check says\n",
              refused, prepared);
}

}  // namespace
}  // namespace kcontract
