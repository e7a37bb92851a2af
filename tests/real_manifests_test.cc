// The manifests installed with kcontract (manifests/): they check clean,
// load without a warning (every command reads them by default), and their
// revisions are what the kernels they were generated from say, regenerated
// here with the writer: the hook manifests from the C model kernels
// (tests/model_kernels/), the real-kfunc manifest from the kernels in
// ../shared. No signature in them is text that nothing checks.
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "abi/manifest/contract_loader.h"
#include "abi/manifest/manifest_reader.h"
#include "abi/manifest/manifest_validation.h"
#include "abi/manifest/manifest_writer.h"
#include "abi/report/manifest_report.h"
#include "abi/revision/revision_matcher.h"
#include "btfdiff/base/text.h"
#include "btfdiff/source/kernel_source.h"
#include "tests/test_support.h"

namespace kcontract {
namespace {

namespace fs = std::filesystem;
using testing::ModelKernelPath;
using testing::SharedKernelDir;

fs::path ManifestDir() { return fs::path(KCONTRACT_SOURCE_DIR) / "manifests"; }

std::vector<std::string> ManifestFiles() {
  std::vector<std::string> files;
  for (const fs::directory_entry& entry : fs::directory_iterator(ManifestDir())) {
    if (entry.path().extension() == ".toml") files.push_back(entry.path().string());
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::string ManifestPath(const std::string& name) { return (ManifestDir() / name).string(); }

Contract ReadOrFail(const std::string& path) {
  ManifestReadResult read = ReadManifest(path, ContractOrigin::kInstalled);
  std::string diagnostics;
  for (const Diagnostic& d : read.diagnostics) diagnostics += FormatDiagnosticLine(d) + "\n";
  EXPECT_TRUE(read.ok()) << diagnostics;
  EXPECT_TRUE(read.diagnostics.empty()) << diagnostics;
  return read.ok() ? *read.contract : Contract{};
}

const Interface& Get(const Contract& contract, InterfaceKind kind, const std::string& name) {
  for (const Interface& interface : contract.interfaces) {
    if (interface.kind == kind && interface.name == name) return interface;
  }
  ADD_FAILURE() << contract.path << " has no " << InterfaceKindName(kind) << " " << name;
  static const Interface kMissing;
  return kMissing;
}

std::vector<std::string> RevisionNames(const Interface& interface) {
  std::vector<std::string> names;
  for (const Revision& revision : interface.revisions) names.push_back(revision.name);
  return names;
}

std::unique_ptr<KernelBtf> Load(const std::string& source) {
  absl::StatusOr<std::unique_ptr<KernelBtf>> kernel = LoadKernel(source);
  EXPECT_TRUE(kernel.ok()) << kernel.status();
  return kernel.ok() ? std::move(*kernel) : nullptr;
}

std::string ReadText(const std::string& path) {
  absl::StatusOr<std::string> text = ReadManifestText(path);
  EXPECT_TRUE(text.ok()) << text.status();
  return text.ok() ? *text : "";
}

// --- every installed manifest ----------------------------------------------

TEST(RealManifests, EveryInstalledManifestChecksClean) {
  std::vector<std::string> files = ManifestFiles();
  ASSERT_GE(files.size(), 5u);
  ManifestCheckResult result = CheckManifests(files);
  std::string out;
  for (const Diagnostic& d : result.diagnostics) out += FormatDiagnosticLine(d) + "\n";
  EXPECT_TRUE(result.diagnostics.empty()) << out;

  std::string args = "manifest check";
  for (const std::string& file : files) args += " " + testing::ShellQuote(file);
  testing::CommandResult cli = testing::RunCli(args);
  EXPECT_EQ(cli.exit_code, 0) << cli.out << cli.err;
}

// Every command reads them by default: a warning there would be printed by
// every command and set exit bit 4.
TEST(RealManifests, TheInstalledManifestsLoadWithoutAWarning) {
  ContractSources sources;
  sources.installed_dir = ManifestDir().string();
  std::vector<std::string> warnings;
  absl::StatusOr<ContractSet> set = LoadContracts(sources, &warnings);
  ASSERT_TRUE(set.ok()) << set.status();
  EXPECT_TRUE(warnings.empty()) << ::testing::PrintToString(warnings);
  EXPECT_EQ(set->contracts().size(), ManifestFiles().size());
}

// --- the hook manifests and the model kernels --------------------------------

// Each revision names the model it was generated from (first_seen is the
// model's file name): that model must give exactly the recorded signature.
void ExpectRevisionsAreTheModels(const std::string& file) {
  SCOPED_TRACE(file);
  Contract contract = ReadOrFail(ManifestPath(file));
  ASSERT_FALSE(contract.interfaces.empty());
  ContractSet set;
  set.Add(contract);
  size_t compared = 0;
  for (const Interface& interface : set.contracts().front()->interfaces) {
    ASSERT_FALSE(interface.revisions.empty()) << interface.name;
    for (const Revision& revision : interface.revisions) {
      SCOPED_TRACE(interface.name + " revision " + revision.name);
      std::string model = fs::path(revision.first_seen).stem().string();
      std::unique_ptr<KernelBtf> kernel = Load(ModelKernelPath(model));
      ASSERT_NE(kernel, nullptr) << revision.first_seen << " names no model kernel";
      InterfaceProbe probe = RevisionMatcher(*kernel).ProbeInterface(set, interface);
      ASSERT_TRUE(probe.present);
      EXPECT_EQ(probe.signature, revision.signature);
      EXPECT_EQ(probe.revision, revision.name);
      ++compared;
    }
  }
  EXPECT_GT(compared, 0u);
}

// Every model of the series: `manifest update` would add nothing, so each
// revision a model has is recorded (none is missing, none is stale).
void ExpectUpToDateWith(const std::string& file, const std::vector<std::string>& models) {
  std::string text = ReadText(ManifestPath(file));
  for (const std::string& model : models) {
    SCOPED_TRACE(file + " with " + model);
    std::unique_ptr<KernelBtf> kernel = Load(ModelKernelPath(model));
    ASSERT_NE(kernel, nullptr);
    absl::StatusOr<ManifestUpdate> update =
        UpdateManifestText(text, ManifestPath(file), *kernel, {});
    ASSERT_TRUE(update.ok()) << update.status();
    EXPECT_FALSE(update->changed()) << RenderManifestUpdate(*update, OutputFormat::kText);
  }
}

TEST(RealManifests, BpfThpRecordsTheSeriesRevisionsFromItsModels) {
  ExpectRevisionsAreTheModels("bpf-thp.toml");
  ExpectUpToDateWith("bpf-thp.toml", {"thp_rfc_v4", "thp_v9", "thp_rfc_v10", "thp_none"});
  Contract contract = ReadOrFail(ManifestPath("bpf-thp.toml"));
  const Interface& ops = Get(contract, InterfaceKind::kStructOps, "bpf_thp_ops");
  EXPECT_EQ(ops.stability, Stability::kExperimental);
  EXPECT_EQ(ops.OptInToken(), "bpf_thp");
  EXPECT_EQ(RevisionNames(ops), (std::vector<std::string>{"rfc-v4", "v9", "rfc-v10"}));
  // The seeds' two forms of the hook: get_suggested_order (RFC v4) and the
  // callback bpf_hook_thp_get_orders(vma, type, orders) calls (v9).
  ASSERT_EQ(ops.revisions[0].signature.size(), 1u);
  EXPECT_TRUE(Contains(ops.revisions[0].signature[0], "(*get_suggested_order)(struct mm_struct *"));
  const Interface& callback =
      Get(contract, InterfaceKind::kStructOpsMember, "bpf_thp_ops.thp_get_order");
  EXPECT_EQ(RevisionNames(callback), std::vector<std::string>{"v9"});
  EXPECT_EQ(callback.revisions.at(0).signature,
            Signature{"int (*thp_get_order)(struct vm_area_struct *, enum tva_type, unsigned long)"});
  EXPECT_TRUE(Contains(contract.notes, "it IS going away"));
  for (const Interface& interface : contract.interfaces) {
    EXPECT_EQ(interface.stability, Stability::kExperimental) << interface.name;
    EXPECT_EQ(interface.OptInToken(), "bpf_thp") << interface.name;
  }
}

TEST(RealManifests, MthpExtIsWithdrawnWithItsModelsRevision) {
  ExpectRevisionsAreTheModels("mthp-ext.toml");
  ExpectUpToDateWith("mthp-ext.toml", {"mthp_ext_v2"});
  Contract contract = ReadOrFail(ManifestPath("mthp-ext.toml"));
  EXPECT_EQ(Get(contract, InterfaceKind::kStructOps, "bpf_mthp_ops").stability,
            Stability::kWithdrawn);
  for (const Interface& interface : contract.interfaces) {
    EXPECT_EQ(interface.stability, Stability::kWithdrawn) << interface.name;
  }
  EXPECT_TRUE(Contains(contract.notes, "NACK and don't send this series again"));
}

TEST(RealManifests, BpfOomIsExperimentalWithItsModelsRevision) {
  ExpectRevisionsAreTheModels("bpf-oom.toml");
  ExpectUpToDateWith("bpf-oom.toml", {"bpf_oom_v2", "bpf_oom_v3"});
  Contract contract = ReadOrFail(ManifestPath("bpf-oom.toml"));
  const Interface& ops = Get(contract, InterfaceKind::kStructOps, "bpf_oom_ops");
  EXPECT_EQ(ops.stability, Stability::kExperimental);
  // v3 passes the struct_ops link instead of v2's bpf_oom_ctx, in second place.
  EXPECT_EQ(RevisionNames(ops), (std::vector<std::string>{"v2", "v3"}));
  ASSERT_EQ(ops.revisions[1].signature.size(), 2u);
  EXPECT_EQ(ops.revisions[1].signature[0],
            "int (*handle_out_of_memory)(struct oom_control *, struct bpf_struct_ops_link *)");
  // The kfuncs v3 kept as they were need no revision of their own.
  EXPECT_EQ(RevisionNames(Get(contract, InterfaceKind::kKfunc, "bpf_oom_kill_process")),
            (std::vector<std::string>{"v2"}));
  for (const Interface& interface : contract.interfaces) {
    EXPECT_EQ(interface.stability, Stability::kExperimental) << interface.name;
  }
}

TEST(RealManifests, SchedExtDeprecatesTheOldNamesForTheNewOnes) {
  ExpectRevisionsAreTheModels("sched-ext.toml");
  ExpectUpToDateWith("sched-ext.toml", {"sched_ext_6_12", "sched_ext_6_13", "sched_ext_new_only"});
  Contract contract = ReadOrFail(ManifestPath("sched-ext.toml"));
  const std::map<std::string, std::string> renamed = {
      {"scx_bpf_dispatch", "scx_bpf_dsq_insert"},
      {"scx_bpf_dispatch_vtime", "scx_bpf_dsq_insert_vtime"},
      {"scx_bpf_consume", "scx_bpf_dsq_move_to_local"},
  };
  for (const auto& [old_name, new_name] : renamed) {
    const Interface& old_entry = Get(contract, InterfaceKind::kKfunc, old_name);
    EXPECT_EQ(old_entry.stability, Stability::kDeprecated) << old_name;
    EXPECT_EQ(old_entry.replacement, new_name);
    EXPECT_EQ(old_entry.remove, "6.17") << "the old names went in 6.17 (sched_ext_6_13.c)";
    const Interface& new_entry = Get(contract, InterfaceKind::kKfunc, new_name);
    EXPECT_FALSE(new_entry.stability.has_value()) << new_name << ": no promise beyond upstream's";
    // The rename changed the name only: the same parameters.
    ASSERT_FALSE(old_entry.revisions.empty());
    ASSERT_FALSE(new_entry.revisions.empty());
    std::string old_sig = old_entry.revisions[0].signature.at(0);
    std::string new_sig = new_entry.revisions[0].signature.at(0);
    EXPECT_EQ(old_sig.substr(old_sig.find('(')), new_sig.substr(new_sig.find('(')));
  }
}

// The conntrack and xfrm kfuncs, and the two structs callers fill for them:
// up to date with every shared kernel, and what each recorded.
TEST(RealManifests, ConntrackXfrmRecordsTheSharedKernelsRevisions) {
  const std::vector<std::string> kernels = {"debian-6.1.0-50-amd64", "debian-6.12.111-amd64",
                                            "host-6.18.44"};
  for (const std::string& name : kernels) KC_REQUIRE_PATH(SharedKernelDir(name));
  const std::string path = ManifestPath("conntrack-xfrm.toml");
  const std::string text = ReadText(path);
  for (const std::string& name : kernels) {
    SCOPED_TRACE(name);
    std::unique_ptr<KernelBtf> kernel = Load(SharedKernelDir(name).string());
    ASSERT_NE(kernel, nullptr);
    absl::StatusOr<ManifestUpdate> update = UpdateManifestText(text, path, *kernel, {});
    ASSERT_TRUE(update.ok()) << update.status();
    EXPECT_FALSE(update->changed()) << RenderManifestUpdate(*update, OutputFormat::kText);
  }
  Contract contract = ReadOrFail(path);
  for (const Interface& interface : contract.interfaces) {
    EXPECT_FALSE(interface.stability.has_value()) << interface.name << ": upstream promises none";
    if (interface.kind == InterfaceKind::kKfunc) {
      EXPECT_EQ(interface.revisions.size(), 1u) << interface.name << ": no prototype changed";
    }
  }
  EXPECT_EQ(RevisionNames(Get(contract, InterfaceKind::kKernelType, "struct bpf_ct_opts")),
            (std::vector<std::string>{"6.1.0-50-amd64", "6.12.111+deb12-amd64"}));
  for (const char* xfrm : {"bpf_xdp_get_xfrm_state", "bpf_xdp_xfrm_state_release"}) {
    EXPECT_EQ(RevisionNames(Get(contract, InterfaceKind::kKfunc, xfrm)),
              (std::vector<std::string>{"6.12.111+deb12-amd64"}))
        << xfrm << " is not in 6.1";
  }
  EXPECT_EQ(Get(contract, InterfaceKind::kKfunc, "bpf_xdp_ct_lookup").module, "nf_conntrack");
  EXPECT_EQ(Get(contract, InterfaceKind::kKfunc, "bpf_ct_set_nat_info").module, "nf_nat");
}

// --- the real kfuncs of ../shared --------------------------------------------

// The committed manifest is what init 6.1 + update 6.12 + update 6.18
// gives now, field for field in every revision.
TEST(RealManifests, KernelKfuncsIsWhatTheSharedKernelsGiveToday) {
  const std::vector<std::string> kernels = {"debian-6.1.0-50-amd64", "debian-6.12.111-amd64",
                                            "host-6.18.44"};
  for (const std::string& name : kernels) KC_REQUIRE_PATH(SharedKernelDir(name));
  std::string path = ManifestPath("kernel-kfuncs.toml");
  std::string committed_text = ReadText(path);
  Contract committed = ReadOrFail(path);

  std::string text;
  for (size_t i = 0; i < kernels.size(); ++i) {
    std::unique_ptr<KernelBtf> kernel = Load(SharedKernelDir(kernels[i]).string());
    ASSERT_NE(kernel, nullptr);
    if (i == 0) {
      ManifestInitOptions options;
      options.contract_name = "kernel-kfuncs";
      options.match = {"*"};
      absl::StatusOr<std::string> rendered = RenderNewManifest(*kernel, options);
      ASSERT_TRUE(rendered.ok()) << rendered.status();
      text = *rendered;
    } else {
      ManifestUpdateOptions options;
      options.match = {"*"};
      options.add_new = true;
      absl::StatusOr<ManifestUpdate> update = UpdateManifestText(text, path, *kernel, options);
      ASSERT_TRUE(update.ok()) << update.status();
      text = update->text;
    }
    // And the committed file is up to date with each kernel.
    ManifestUpdateOptions options;
    options.match = {"*"};
    options.add_new = true;
    absl::StatusOr<ManifestUpdate> committed_update =
        UpdateManifestText(committed_text, path, *kernel, options);
    ASSERT_TRUE(committed_update.ok()) << committed_update.status();
    EXPECT_FALSE(committed_update->changed()) << kernels[i];
  }
  ManifestReadResult regenerated = ParseManifest(text, path, ContractOrigin::kInstalled);
  ASSERT_TRUE(regenerated.ok());
  const std::vector<Interface>& want = regenerated.contract->interfaces;
  ASSERT_EQ(committed.interfaces.size(), want.size());
  size_t with_several = 0;
  for (size_t i = 0; i < want.size(); ++i) {
    const Interface& is = committed.interfaces[i];
    SCOPED_TRACE(is.name);
    EXPECT_EQ(is.name, want[i].name);
    EXPECT_EQ(is.kind, want[i].kind);
    EXPECT_EQ(is.module, want[i].module);
    EXPECT_FALSE(is.stability.has_value()) << "no promise: unstable by default";
    ASSERT_EQ(is.revisions.size(), want[i].revisions.size());
    for (size_t r = 0; r < is.revisions.size(); ++r) {
      EXPECT_EQ(is.revisions[r].name, want[i].revisions[r].name);
      EXPECT_EQ(is.revisions[r].first_seen, want[i].revisions[r].first_seen);
      EXPECT_EQ(is.revisions[r].signature, want[i].revisions[r].signature);
    }
    with_several += is.revisions.size() > 1;
  }
  // Real prototype changes between the three kernels are recorded.
  EXPECT_GE(with_several, 2u);
  EXPECT_EQ(RevisionNames(Get(committed, InterfaceKind::kKfunc, "bpf_verify_pkcs7_signature")),
            (std::vector<std::string>{"6.1.0-50-amd64", "6.12.111+deb12-amd64"}));
  EXPECT_EQ(RevisionNames(Get(committed, InterfaceKind::kKfunc, "bbr_main")),
            (std::vector<std::string>{"6.1.0-50-amd64", "6.12.111+deb12-amd64"}));
  // Kilobytes, not megabytes: it is read by every command.
  EXPECT_LT(fs::file_size(path), 256u * 1024);
}

}  // namespace
}  // namespace kcontract
