// `kcontract probe` end to end: a manifest whose revisions are generated
// from the BPF-THP model kernels' own BTF, probed against each model.
#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "absl/strings/str_format.h"
#include "btfdiff/base/text.h"
#include "btfdiff/inventory/struct_ops_inventory.h"
#include "btfdiff/model/signature.h"
#include "btfdiff/source/kernel_source.h"
#include "tests/test_support.h"

namespace kcontract {
namespace {

using ::kcontract::testing::ModelKernelPath;
using ::kcontract::testing::RunCli;
using ::kcontract::testing::ShellQuote;

Signature ThpOpsSignature(const std::string& model) {
  absl::StatusOr<std::unique_ptr<KernelBtf>> kernel = LoadKernel(ModelKernelPath(model));
  EXPECT_TRUE(kernel.ok()) << kernel.status();
  if (!kernel.ok()) return {};
  for (const StructOpsType& type : CollectStructOps(**kernel)) {
    if (type.name == "bpf_thp_ops") return StructOpsSignature(*(*kernel)->vmlinux, type.id);
  }
  ADD_FAILURE() << model << " has no bpf_thp_ops";
  return {};
}

std::string TomlString(const std::string& text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

std::string TomlRevision(const std::string& name, const Signature& signature) {
  std::string out = absl::StrFormat("\n[[interface.revision]]\nname = %s\nsignature = [\n",
                                    TomlString(name));
  for (const std::string& line : signature) out += "  " + TomlString(line) + ",\n";
  return out + "]\n";
}

// The BPF-THP contract with revisions rfc-v4 and v9 (not rfc-v10); the
// interface header is on line 6.
class ProbeCliTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    std::string text =
        "format_version = 1\n"
        "[contract]\n"
        "name = \"bpf-thp\"\n"
        "\n"
        "\n"
        "[[interface]]\n"
        "name = \"bpf_thp_ops\"\n"
        "kind = \"struct_ops\"\n"
        "stability = \"experimental\"\n"
        "opt_in = \"bpf_thp\"\n";
    text += TomlRevision("rfc-v4", ThpOpsSignature("thp_rfc_v4"));
    text += TomlRevision("v9", ThpOpsSignature("thp_v9"));
    *manifest_ = (testing::ProcessScratch("probe_cli") / "bpf-thp.toml").string();
    testing::WriteFileOrDie(*manifest_,
                            ByteView(reinterpret_cast<const uint8_t*>(text.data()), text.size()));
  }

  static testing::CommandResult Probe(const std::string& model, const std::string& flags = "") {
    return RunCli(absl::StrFormat("probe %s --kernel %s --manifest %s --no-default-manifests",
                                  flags, ShellQuote(ModelKernelPath(model)),
                                  ShellQuote(*manifest_)));
  }

  static inline std::string* manifest_ = new std::string();

 public:
  static const std::string* Manifest() { return manifest_; }
};

TEST_F(ProbeCliTest, JsonNamesTheRevisionAndTheGoverningEntry) {
  testing::CommandResult run = Probe("thp_v9", "--json");
  ASSERT_EQ(run.exit_code, 0) << run.err << run.out;
  nlohmann::json j = nlohmann::json::parse(run.out);
  EXPECT_EQ(j["format_version"], 1);
  EXPECT_EQ(j["tool"], "kcontract");
  EXPECT_TRUE(j["version"].is_string());
  EXPECT_EQ(j["kernel"]["source"], ModelKernelPath("thp_v9"));
  ASSERT_EQ(j["interfaces"].size(), 1u);
  const nlohmann::json& ops = j["interfaces"][0];
  EXPECT_EQ(ops["kind"], "struct_ops");
  EXPECT_EQ(ops["name"], "bpf_thp_ops");
  EXPECT_EQ(ops["present"], true);
  EXPECT_EQ(ops["module"], nullptr);
  EXPECT_EQ(ops["stability"], "experimental");
  EXPECT_EQ(ops["match"], "recorded");
  EXPECT_EQ(ops["revision"], "v9");
  EXPECT_EQ(ops["signature"].get<Signature>(), ThpOpsSignature("thp_v9"));
  EXPECT_EQ(ops["governed_by"], *manifest_ + ":6:1");
  EXPECT_EQ(ops["origin"], "given");
  EXPECT_EQ(ops["withdrawn_but_present"], false);
}

TEST_F(ProbeCliTest, TextIsOneLinePerInterface) {
  testing::CommandResult run = Probe("thp_rfc_v4");
  ASSERT_EQ(run.exit_code, 0) << run.err << run.out;
  std::vector<std::string_view> lines = SplitView(run.out, '\n', /*skip_empty=*/true);
  ASSERT_EQ(lines.size(), 3u) << run.out;  // kernel, header, the interface
  EXPECT_EQ(lines[0], "kernel " + ModelKernelPath("thp_rfc_v4"));
  std::vector<std::string_view> fields = SplitView(lines[2], ' ', /*skip_empty=*/true);
  std::vector<std::string_view> expected = {"struct_ops", "bpf_thp_ops", "experimental",
                                            "rfc-v4", "vmlinux"};
  ASSERT_EQ(fields.size(), expected.size() + 1) << lines[2];
  for (size_t i = 0; i < expected.size(); ++i) EXPECT_EQ(fields[i], expected[i]) << lines[2];
  EXPECT_EQ(fields.back(), *manifest_ + ":6:1");
}

TEST_F(ProbeCliTest, AnUnrecordedRevisionIsShownAndSetsBit4) {
  testing::CommandResult run = Probe("thp_rfc_v10");
  EXPECT_EQ(run.exit_code, 4) << run.err << run.out;
  EXPECT_TRUE(Contains(run.out, " unrecorded ")) << run.out;
  for (const std::string& line : ThpOpsSignature("thp_rfc_v10")) {
    EXPECT_TRUE(Contains(run.out, "\n\t" + line + "\n")) << line << "\n" << run.out;
  }
  EXPECT_TRUE(Contains(run.out, "warning: struct_ops bpf_thp_ops: ")) << run.out;
}

TEST_F(ProbeCliTest, AnAbsentInterfaceIsNoWarning) {
  testing::CommandResult run = Probe("thp_none", "--all");
  EXPECT_EQ(run.exit_code, 0) << run.err << run.out;
  EXPECT_TRUE(Contains(run.out, " absent ")) << run.out;
}

TEST_F(ProbeCliTest, AbsentInterfacesAreCountedOnOneLineUnlessAll) {
  // Issue 16: the default lists what the kernel has; the rest is one line.
  testing::CommandResult run = Probe("thp_none");
  EXPECT_EQ(run.exit_code, 0) << run.err << run.out;
  EXPECT_EQ(run.out, "kernel " + ModelKernelPath("thp_none") +
                         "\n1 of the 1 interfaces the contracts name are absent from this kernel "
                         "(--all lists them)\n");
  testing::CommandResult all = Probe("thp_none", "-a");
  EXPECT_EQ(all.exit_code, 0) << all.err << all.out;
  std::vector<std::string_view> lines = SplitView(all.out, '\n', /*skip_empty=*/true);
  ASSERT_EQ(lines.size(), 3u) << all.out;  // kernel, header, the absent interface
  EXPECT_TRUE(Contains(std::string(lines[2]), " absent ")) << all.out;
  // JSON lists every interface, as before.
  testing::CommandResult json = Probe("thp_none", "--json");
  EXPECT_EQ(nlohmann::json::parse(json.out)["interfaces"].size(), 1u) << json.out;
}

// The test's manifest installed (KCONTRACT_MANIFEST_DIR) rather than given.
testing::CommandResult ProbeInstalled(const std::string& model, const std::string& flags = "") {
  std::string dir = std::filesystem::path(*ProbeCliTest::Manifest()).parent_path().string();
  return testing::RunCommand(absl::StrFormat("KCONTRACT_MANIFEST_DIR=%s %s probe %s --kernel %s",
                                             ShellQuote(dir), KCONTRACT_CLI, flags,
                                             ShellQuote(ModelKernelPath(model))));
}

TEST_F(ProbeCliTest, TheKernelsWithdrawnTagGovernsOverAnInstalledManifestAndSetsBit4) {
  testing::CommandResult run = ProbeInstalled("thp_withdrawn", "--json");
  EXPECT_EQ(run.exit_code, 4) << run.err << run.out;
  EXPECT_EQ(run.err, "") << "no warning: bit 4 is the withdrawn interface's";
  nlohmann::json j = nlohmann::json::parse(run.out, nullptr, /*allow_exceptions=*/false);
  ASSERT_FALSE(j.is_discarded()) << run.out;
  ASSERT_EQ(j["interfaces"].size(), 1u) << run.out;
  const nlohmann::json& ops = j["interfaces"][0];
  EXPECT_EQ(ops["stability"], "withdrawn");
  EXPECT_EQ(ops["origin"], "kernel-btf");
  EXPECT_EQ(ops["governed_by"], "btf:" + ModelKernelPath("thp_withdrawn"));
  EXPECT_EQ(ops["revision"], "v9") << "recorded by the installed manifest";
  EXPECT_EQ(ops["withdrawn_but_present"], true);

  testing::CommandResult text = ProbeInstalled("thp_withdrawn");
  EXPECT_EQ(text.exit_code, 4) << text.err << text.out;
  EXPECT_TRUE(Contains(text.out, "warning: struct_ops bpf_thp_ops is withdrawn (btf:"))
      << text.out;
  // The same installed manifest on the untagged v9 kernel: all well.
  EXPECT_EQ(ProbeInstalled("thp_v9").exit_code, 0);
}

TEST_F(ProbeCliTest, InstalledManifestsAreNamedRelativeToTheirDirectory) {
  testing::CommandResult text = ProbeInstalled("thp_v9");
  ASSERT_EQ(text.exit_code, 0) << text.err << text.out;
  std::vector<std::string_view> lines = SplitView(text.out, '\n', /*skip_empty=*/true);
  ASSERT_EQ(lines.size(), 3u) << text.out;
  EXPECT_TRUE(lines[2].ends_with("  bpf-thp.toml:6:1")) << text.out;
  EXPECT_FALSE(Contains(text.out, *Manifest())) << text.out;
  // JSON keeps the path as read.
  nlohmann::json j = nlohmann::json::parse(ProbeInstalled("thp_v9", "--json").out);
  EXPECT_EQ(j["interfaces"][0]["governed_by"], *Manifest() + ":6:1");
}

TEST_F(ProbeCliTest, AGivenManifestGovernsOverTheKernelsTag) {
  testing::CommandResult run = Probe("thp_withdrawn", "--json");
  EXPECT_EQ(run.exit_code, 0) << run.err << run.out;
  nlohmann::json j = nlohmann::json::parse(run.out, nullptr, /*allow_exceptions=*/false);
  ASSERT_FALSE(j.is_discarded()) << run.out;
  ASSERT_EQ(j["interfaces"].size(), 1u) << run.out;
  const nlohmann::json& ops = j["interfaces"][0];
  EXPECT_EQ(ops["stability"], "experimental");
  EXPECT_EQ(ops["origin"], "given");
  EXPECT_EQ(ops["revision"], "v9");
  EXPECT_EQ(ops["withdrawn_but_present"], false);
}

TEST_F(ProbeCliTest, BadInputIsAToolError) {
  testing::CommandResult no_kernel = RunCli("probe --kernel /nonexistent/vmlinux");
  EXPECT_EQ(no_kernel.exit_code, 1) << no_kernel.err;
  EXPECT_TRUE(Contains(no_kernel.err, "/nonexistent/vmlinux")) << no_kernel.err;

  std::string bad = (testing::ProcessScratch("probe_cli") / "bad.toml").string();
  std::string text = "format_version = 1\n[contract]\nname = \"x\"\n[[interface]]\nkind = 3\n";
  testing::WriteFileOrDie(bad,
                          ByteView(reinterpret_cast<const uint8_t*>(text.data()), text.size()));
  testing::CommandResult bad_manifest = RunCli(absl::StrFormat(
      "probe --kernel %s --manifest %s", ShellQuote(ModelKernelPath("thp_v9")), ShellQuote(bad)));
  EXPECT_EQ(bad_manifest.exit_code, 1) << bad_manifest.err;
  EXPECT_TRUE(Contains(bad_manifest.err, bad)) << bad_manifest.err;
}

}  // namespace
}  // namespace kcontract
