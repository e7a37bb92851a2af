// `kcontract manifest init|update|check` through the executable: exit
// status bits, atomic and non-clobbering output, the summary, and check's
// compiler lines and JSON. Kernels are the model kernels (always built).
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>

#include "absl/strings/str_format.h"
#include "btfdiff/base/text.h"
#include "tests/test_support.h"

namespace kcontract {
namespace {

namespace fs = std::filesystem;
using testing::CommandResult;
using testing::ModelKernelPath;
using testing::RunCli;
using testing::ShellQuote;

fs::path Scratch() { return testing::ProcessScratch("manifest_cli_test"); }

std::string Read(const fs::path& path) {
  Bytes bytes = testing::ReadFileOrDie(path);
  return std::string(bytes.begin(), bytes.end());
}

void Write(const fs::path& path, const std::string& text) {
  testing::WriteFileOrDie(path, ByteView(reinterpret_cast<const uint8_t*>(text.data()),
                                         text.size()));
}

std::string Kernel(const std::string& model) { return ShellQuote(ModelKernelPath(model)); }

// No file but the named one in the directory: nothing half-written left.
bool OnlyFile(const fs::path& dir, const fs::path& file) {
  size_t count = 0;
  for (const auto& entry : fs::directory_iterator(dir)) {
    ++count;
    if (entry.path() != file) return false;
  }
  return count == 1;
}

TEST(ManifestCli, InitPrintsAManifestThatChecksClean) {
  CommandResult init = RunCli("manifest init --kernel " + Kernel("thp_v9") +
                              " --match bpf_thp_ops --name bpf-thp --stability experimental");
  ASSERT_EQ(init.exit_code, 0) << init.err;
  EXPECT_TRUE(Contains(init.out, "\n[[interface]]\nname = \"bpf_thp_ops\"\n")) << init.out;
  EXPECT_TRUE(Contains(init.out, "\nstability = \"experimental\"\n")) << init.out;
  fs::path file = Scratch() / "printed.toml";
  Write(file, init.out);
  CommandResult check = RunCli("manifest check " + ShellQuote(file.string()));
  EXPECT_EQ(check.exit_code, 0) << check.out << check.err;
  EXPECT_TRUE(Contains(check.out, "1 manifest: 0 errors, 0 warnings, 0 notes")) << check.out;
}

TEST(ManifestCli, InitOutputIsWrittenOnceAndNeverClobbered) {
  fs::path dir = Scratch() / "init";
  fs::create_directories(dir);
  fs::path file = dir / "bpf-thp.toml";
  std::string args = "manifest init --kernel " + Kernel("thp_rfc_v4") +
                     " --match bpf_thp_ops -o " + ShellQuote(file.string());
  CommandResult first = RunCli(args);
  ASSERT_EQ(first.exit_code, 0) << first.err;
  EXPECT_TRUE(first.out.empty()) << first.out;
  std::string written = Read(file);
  EXPECT_TRUE(Contains(written, "name = \"bpf-thp\"")) << "the contract is named after the file";
  EXPECT_TRUE(OnlyFile(dir, file));

  // A second init must not overwrite what may by now hold a person's work.
  Write(file, written + "# edited by a person\n");
  CommandResult again = RunCli("manifest init --kernel " + Kernel("thp_v9") +
                               " --match bpf_thp_ops -o " + ShellQuote(file.string()));
  EXPECT_EQ(again.exit_code, 1) << again.err;
  EXPECT_TRUE(Contains(again.err, file.string())) << again.err;
  EXPECT_TRUE(Contains(again.err, "--force")) << again.err;
  EXPECT_EQ(Read(file), written + "# edited by a person\n");

  CommandResult forced = RunCli("manifest init --kernel " + Kernel("thp_v9") +
                                " --match bpf_thp_ops --force -o " + ShellQuote(file.string()));
  EXPECT_EQ(forced.exit_code, 0) << forced.err;
  EXPECT_TRUE(Contains(Read(file), "from the kernel thp_v9.btf"));
  EXPECT_TRUE(OnlyFile(dir, file));
}

TEST(ManifestCli, InitFailuresLeaveNoFile) {
  fs::path dir = Scratch() / "init-fail";
  fs::create_directories(dir);
  fs::path file = dir / "m.toml";
  CommandResult unmatched = RunCli("manifest init --kernel " + Kernel("thp_v9") +
                                   " --match 'nothing_*' -o " + ShellQuote(file.string()));
  EXPECT_EQ(unmatched.exit_code, 1) << unmatched.err;
  EXPECT_TRUE(Contains(unmatched.err, "'nothing_*'")) << unmatched.err;
  EXPECT_FALSE(fs::exists(file));

  CommandResult bad_kernel = RunCli("manifest init --kernel /nonexistent/vmlinux --match '*' -o " +
                                    ShellQuote(file.string()));
  EXPECT_EQ(bad_kernel.exit_code, 1) << bad_kernel.err;
  EXPECT_FALSE(fs::exists(file));
  EXPECT_TRUE(fs::is_empty(dir));
}

TEST(ManifestCli, InitUsageErrors) {
  EXPECT_EQ(RunCli("manifest init --kernel " + Kernel("thp_v9")).exit_code, 2)
      << "--match is required";
  EXPECT_EQ(RunCli("manifest init --kernel " + Kernel("thp_v9") + " --match '*'").exit_code, 2)
      << "no --name and no -o to name the contract after";
  EXPECT_EQ(RunCli("manifest init --kernel " + Kernel("thp_v9") +
                   " --match '*' --name t --stability deprecated")
                .exit_code,
            2)
      << "deprecated needs 'remove' and 'use', written by a person";
  EXPECT_EQ(RunCli("manifest").exit_code, 2);
  EXPECT_EQ(RunCli("manifest update --kernel " + Kernel("thp_v9") + " --add-new m.toml").exit_code,
            2)
      << "--add-new adds what --match selects";
}

TEST(ManifestCli, UpdateWritesInPlaceAndDryRunSaysWhetherItWould) {
  fs::path dir = Scratch() / "update";
  fs::create_directories(dir);
  fs::path file = dir / "bpf-thp.toml";
  ASSERT_EQ(RunCli("manifest init --kernel " + Kernel("thp_rfc_v4") +
                   " --match bpf_thp_ops --revision rfc-v4 -o " + ShellQuote(file.string()))
                .exit_code,
            0);
  std::string before = Read(file);

  CommandResult dry = RunCli("manifest update --dry-run --kernel " + Kernel("thp_v9") +
                             " --revision v9 " + ShellQuote(file.string()));
  EXPECT_EQ(dry.exit_code, 4) << "it would change: " << dry.err;
  EXPECT_EQ(Read(file), before) << "a dry run writes nothing";
  EXPECT_EQ(dry.out.substr(0, before.size()), before);
  EXPECT_TRUE(Contains(dry.out, "\nname = \"v9\"\n")) << dry.out;
  EXPECT_TRUE(Contains(dry.err, "struct_ops bpf_thp_ops: revision 'v9' added")) << dry.err;

  CommandResult update = RunCli("manifest update --kernel " + Kernel("thp_v9") + " --revision v9 " +
                                ShellQuote(file.string()));
  EXPECT_EQ(update.exit_code, 0) << update.err;
  EXPECT_TRUE(Contains(update.out, "struct_ops bpf_thp_ops: revision 'v9' added")) << update.out;
  EXPECT_TRUE(Contains(update.out, "1 revision added")) << update.out;
  EXPECT_EQ(Read(file), dry.out) << "the file is what the dry run printed";
  EXPECT_TRUE(OnlyFile(dir, file));

  CommandResult dry_again = RunCli("manifest update --dry-run --kernel " + Kernel("thp_v9") +
                                   " " + ShellQuote(file.string()));
  EXPECT_EQ(dry_again.exit_code, 0) << "up to date: " << dry_again.err;

  CommandResult json = RunCli("-j manifest update --kernel " + Kernel("thp_none") + " " +
                              ShellQuote(file.string()));
  ASSERT_EQ(json.exit_code, 0) << json.err;
  nlohmann::json j = nlohmann::json::parse(json.out);
  EXPECT_EQ(j["changed"], false);
  EXPECT_EQ(j["absent"], 1);
  EXPECT_EQ(j["interfaces"][0]["outcome"], "absent");
}

TEST(ManifestCli, UpdateOfABadManifestNamesTheMistakeAndChangesNothing) {
  fs::path file = Scratch() / "bad-update.toml";
  std::string text = "format_version = 1\n[contract]\nname = \"t\"\n[[interface]]\n"
                     "name = \"bpf_thp_ops\"\nkind = \"struct_ops\"\nstabilty = \"stable\"\n";
  Write(file, text);
  CommandResult update =
      RunCli("manifest update --kernel " + Kernel("thp_v9") + " " + ShellQuote(file.string()));
  EXPECT_EQ(update.exit_code, 1) << update.err;
  EXPECT_TRUE(Contains(update.err, file.string() + ":7:1: error: unknown key 'stabilty'"))
      << update.err;
  EXPECT_EQ(Read(file), text);
}

TEST(ManifestCli, CheckExitBitsFollowTheWorstFinding) {
  fs::path dir = Scratch() / "check";
  fs::create_directories(dir);
  auto head = [](const std::string& name) {
    return "format_version = 1\n[contract]\nname = \"" + name + "\"\n[[interface]]\n";
  };
  fs::path clean = dir / "clean.toml";
  Write(clean, head("clean") + "name = \"a\"\nkind = \"kfunc\"\n");
  fs::path warned = dir / "warned.toml";
  Write(warned, head("warned") +
                    "name = \"b\"\nkind = \"kfunc\"\nlinks = [\"not a url\"]\n");
  fs::path broken = dir / "broken.toml";
  Write(broken, head("broken") + "name = \"c\"\nkind = \"kfunk\"\n");

  CommandResult ok = RunCli("manifest check " + ShellQuote(clean.string()));
  EXPECT_EQ(ok.exit_code, 0) << ok.out;
  CommandResult warn =
      RunCli("manifest check " + ShellQuote(clean.string()) + " " + ShellQuote(warned.string()));
  EXPECT_EQ(warn.exit_code, 4) << warn.out;
  EXPECT_TRUE(Contains(warn.out, warned.string() + ":7:9: warning: link 'not a url'")) << warn.out;
  CommandResult error = RunCli("manifest check " + ShellQuote(warned.string()) + " " +
                               ShellQuote(broken.string()));
  EXPECT_EQ(error.exit_code, 8) << error.out;
  EXPECT_TRUE(Contains(error.out, broken.string() + ":6:8: error: unknown kind 'kfunk'"))
      << error.out;
  EXPECT_TRUE(Contains(error.out, "2 manifests: 1 error, 1 warning, 0 notes")) << error.out;
  EXPECT_EQ(RunCli("manifest check").exit_code, 2) << "no file given";
  CommandResult missing = RunCli("manifest check /nonexistent/m.toml");
  EXPECT_EQ(missing.exit_code, 8) << missing.out;
  EXPECT_TRUE(Contains(missing.out, "/nonexistent/m.toml: error:")) << missing.out;
}

TEST(ManifestCli, CheckFindsConflictsBetweenManifests) {
  fs::path dir = Scratch() / "cross";
  fs::create_directories(dir);
  fs::path upstream = dir / "upstream.toml";
  Write(upstream,
        "format_version = 1\n[contract]\nname = \"upstream\"\n"
        "[[interface]]\nname = \"bpf_thp_ops\"\nkind = \"struct_ops\"\n"  // line 4
        "stability = \"experimental\"\n"
        "[[interface]]\nname = \"old_kfunc\"\nkind = \"kfunc\"\n"
        "stability = \"deprecated\"\nremove = \"7.1\"\nuse = \"new_kfunc\"\n");
  fs::path distro = dir / "distro.toml";
  Write(distro,
        "format_version = 1\n[contract]\nname = \"upstream\"\n"
        "[[interface]]\nname = \"bpf_thp_ops\"\nkind = \"struct_ops\"\n"  // line 4
        "stability = \"withdrawn\"\n");
  CommandResult check =
      RunCli("manifest check " + ShellQuote(upstream.string()) + " " + ShellQuote(distro.string()));
  EXPECT_EQ(check.exit_code, 4) << check.out;
  EXPECT_TRUE(Contains(check.out, distro.string() +
                                      ":4:1: warning: struct_ops bpf_thp_ops is withdrawn here "
                                      "but experimental at " +
                                      upstream.string() + ":4:1"))
      << check.out;
  EXPECT_TRUE(Contains(check.out, "contract 'upstream' is also declared")) << check.out;
  EXPECT_TRUE(Contains(check.out, upstream.string() + ":8:1: note: kfunc old_kfunc names "
                                                      "'new_kfunc' as its replacement"))
      << check.out;

  CommandResult json = RunCli("--json manifest check " + ShellQuote(upstream.string()) + " " +
                              ShellQuote(distro.string()));
  EXPECT_EQ(json.exit_code, 4);
  nlohmann::json j = nlohmann::json::parse(json.out);
  EXPECT_EQ(j["format_version"], 1);
  EXPECT_EQ(j["files"], (nlohmann::json{upstream.string(), distro.string()}));
  EXPECT_EQ(j["errors"], 0);
  EXPECT_EQ(j["warnings"], 2);
  EXPECT_EQ(j["notes"], 1);
  bool found = false;
  for (const nlohmann::json& d : j["diagnostics"]) {
    if (d["severity"] == "warning" && d["file"] == distro.string() && d["line"] == 4 &&
        d["column"] == 1) {
      found = Contains(d["message"].get<std::string>(), "withdrawn here");
    }
  }
  EXPECT_TRUE(found) << json.out;
}

}  // namespace
}  // namespace kcontract
