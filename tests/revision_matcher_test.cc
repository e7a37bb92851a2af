// Which revision a kernel provides. Every recorded revision is generated
// from a kernel's own BTF through the signature functions, as `manifest
// update` would record it, never typed by hand: from the BPF-THP model
// kernels (tests/model_kernels/) and from the real Debian 6.1 and 6.12
// kernels in ../shared.
#include "abi/revision/revision_matcher.h"

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "abi/contract/contract.h"
#include "abi/contract/stability_tags.h"
#include "abi/report/probe_report.h"
#include "btfdiff/base/text.h"
#include "btfdiff/inventory/kfunc_inventory.h"
#include "btfdiff/inventory/lazy_inventory.h"
#include "btfdiff/inventory/struct_ops_inventory.h"
#include "btfdiff/model/name_index.h"
#include "btfdiff/source/kernel_source.h"
#include "tests/test_support.h"

namespace kcontract {
namespace {

using ::kcontract::testing::ModelKernelPath;

std::unique_ptr<KernelBtf> Load(const std::string& source) {
  absl::StatusOr<std::unique_ptr<KernelBtf>> kernel = LoadKernel(source);
  EXPECT_TRUE(kernel.ok()) << kernel.status();
  return kernel.ok() ? std::move(*kernel) : nullptr;
}

const Btf& BlobOf(const KernelBtf& kernel, const std::optional<std::string>& module) {
  return module ? *kernel.FindModule(*module)->btf : *kernel.vmlinux;
}

// Signatures as a kernel's BTF gives them; empty when it lacks the interface.
Signature TableSignature(const KernelBtf& kernel, const std::string& table) {
  for (const StructOpsType& type : CollectStructOps(kernel)) {
    if (type.name == table) return StructOpsSignature(BlobOf(kernel, type.module), type.id);
  }
  return {};
}

Signature MemberSignature(const KernelBtf& kernel, const std::string& table,
                          const std::string& member) {
  for (const StructOpsType& type : CollectStructOps(kernel)) {
    if (type.name == table) {
      return StructOpsMemberSignature(BlobOf(kernel, type.module), type.id, member);
    }
  }
  return {};
}

Signature KfuncSignatureIn(const KernelBtf& kernel, const std::string& name) {
  KfuncSet kfuncs = CollectKfuncs(kernel);
  const Kfunc* kfunc = kfuncs.Find(name);
  return kfunc ? KfuncSignature(BlobOf(kernel, kfunc->module), kfunc->id) : Signature{};
}

Signature TypeSignature(const KernelBtf& kernel, TypeId id) {
  return KernelTypeSignature(*kernel.vmlinux, id);
}

TypeId StructId(const KernelBtf& kernel, const char* name) {
  int id = btf__find_by_name_kind(kernel.vmlinux->libbpf(), name, BTF_KIND_STRUCT);
  EXPECT_GT(id, 0) << name;
  return TypeId{static_cast<uint32_t>(id > 0 ? id : 0)};
}

Revision MakeRevision(const std::string& name, Signature signature, const std::string& from) {
  EXPECT_FALSE(signature.empty()) << "revision " << name << " from " << from;
  Revision revision;
  revision.name = name;
  revision.signature = std::move(signature);
  revision.first_seen = from;
  revision.location = SourceLocation{"bpf-thp.toml", 10, 1};
  return revision;
}

Interface MakeInterface(InterfaceKind kind, const std::string& name,
                        std::optional<Stability> level, int line) {
  Interface interface;
  interface.kind = kind;
  interface.name = name;
  interface.stability = level;
  interface.location = SourceLocation{"bpf-thp.toml", line, 1};
  interface.contract = "bpf-thp";
  return interface;
}

// The BPF-THP contract as installed: bpf_thp_ops with the revisions of RFC
// v4 and v9, v9's callback, RFC v4's kfunc, and mm_struct as every model
// without the RFC v10 series has it.
class ThpModelsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    for (const char* name : {"thp_rfc_v4", "thp_v9", "thp_rfc_v10", "thp_none", "thp_withdrawn",
                             "thp_tagged_experimental", "bpf_oom_v2"}) {
      (*kernels_)[name] = Load(ModelKernelPath(name));
    }
  }
  static void TearDownTestSuite() { kernels_->clear(); }

  void SetUp() override {
    for (const auto& [name, kernel] : *kernels_) ASSERT_NE(kernel, nullptr) << name;
  }

  static const KernelBtf& Kernel(const std::string& name) { return *kernels_->at(name); }

  static Contract InstalledThpContract() {
    const KernelBtf& rfc_v4 = Kernel("thp_rfc_v4");
    const KernelBtf& v9 = Kernel("thp_v9");
    const KernelBtf& none = Kernel("thp_none");
    Contract contract;
    contract.name = "bpf-thp";
    contract.path = "bpf-thp.toml";
    contract.origin = ContractOrigin::kInstalled;

    Interface ops = MakeInterface(InterfaceKind::kStructOps, "bpf_thp_ops",
                                  Stability::kExperimental, 5);
    ops.revisions.push_back(
        MakeRevision("rfc-v4", TableSignature(rfc_v4, "bpf_thp_ops"), "thp_rfc_v4"));
    ops.revisions.push_back(MakeRevision("v9", TableSignature(v9, "bpf_thp_ops"), "thp_v9"));
    contract.interfaces.push_back(std::move(ops));

    Interface member = MakeInterface(InterfaceKind::kStructOpsMember,
                                     "bpf_thp_ops.thp_get_order", Stability::kExperimental, 20);
    member.revisions.push_back(
        MakeRevision("v9", MemberSignature(v9, "bpf_thp_ops", "thp_get_order"), "thp_v9"));
    contract.interfaces.push_back(std::move(member));

    Interface kfunc =
        MakeInterface(InterfaceKind::kKfunc, "bpf_mm_get_task", Stability::kExperimental, 30);
    kfunc.revisions.push_back(
        MakeRevision("rfc-v4", KfuncSignatureIn(rfc_v4, "bpf_mm_get_task"), "thp_rfc_v4"));
    contract.interfaces.push_back(std::move(kfunc));

    Interface mm = MakeInterface(InterfaceKind::kKernelType, "struct mm_struct", std::nullopt, 40);
    mm.revisions.push_back(
        MakeRevision("base", TypeSignature(none, StructId(none, "mm_struct")), "thp_none"));
    contract.interfaces.push_back(std::move(mm));
    return contract;
  }

  static ContractSet InstalledSet() {
    ContractSet set;
    set.Add(InstalledThpContract());
    return set;
  }

  static const InterfaceProbe& Get(const ProbeResult& result, InterfaceKind kind,
                                   const std::string& name) {
    for (const InterfaceProbe& probe : result.interfaces) {
      if (probe.kind == kind && probe.name == name) return probe;
    }
    ADD_FAILURE() << "no probe of " << InterfaceKindName(kind) << " " << name;
    static const InterfaceProbe kMissing;
    return kMissing;
  }

  static inline std::map<std::string, std::unique_ptr<KernelBtf>>* kernels_ =
      new std::map<std::string, std::unique_ptr<KernelBtf>>();
};

TEST_F(ThpModelsTest, TheRevisionsOfTheModelsDiffer) {
  // Otherwise naming the right revision would prove nothing.
  std::set<Signature> tables;
  for (const char* name : {"thp_rfc_v4", "thp_v9", "thp_rfc_v10"}) {
    Signature signature = TableSignature(Kernel(name), "bpf_thp_ops");
    ASSERT_FALSE(signature.empty()) << name;
    EXPECT_TRUE(tables.insert(signature).second) << name << " repeats another revision";
  }
}

TEST_F(ThpModelsTest, EachModelKernelIsNamedByItsOwnRevision) {
  ContractSet set = InstalledSet();
  const std::map<std::string, std::string> expected = {{"thp_rfc_v4", "rfc-v4"},
                                                       {"thp_v9", "v9"}};
  for (const auto& [model, revision] : expected) {
    ProbeResult result = ProbeKernel(set, Kernel(model));
    const InterfaceProbe& ops = Get(result, InterfaceKind::kStructOps, "bpf_thp_ops");
    EXPECT_TRUE(ops.present) << model;
    EXPECT_EQ(ops.module, std::nullopt) << model;
    EXPECT_EQ(ops.match, RevisionMatch::kRecorded) << model;
    EXPECT_EQ(ops.revision, revision) << model;
    EXPECT_EQ(ops.revision_location.file, "bpf-thp.toml") << model;
    EXPECT_EQ(ops.signature, TableSignature(Kernel(model), "bpf_thp_ops")) << model;
    EXPECT_EQ(ops.stability, Stability::kExperimental) << model;
    EXPECT_EQ(FormatLocation(ops.governed_by), "bpf-thp.toml:5:1") << model;
    EXPECT_EQ(ops.origin, ContractOrigin::kInstalled) << model;
    EXPECT_FALSE(ops.withdrawn_but_present()) << model;
    EXPECT_EQ(result.CountUnrecorded(), 0u) << model;
  }
}

TEST_F(ThpModelsTest, MembersKfuncsAndTypesFollowTheirOwnRevisions) {
  ContractSet set = InstalledSet();
  ProbeResult rfc_v4 = ProbeKernel(set, Kernel("thp_rfc_v4"));
  EXPECT_EQ(Get(rfc_v4, InterfaceKind::kKfunc, "bpf_mm_get_task").revision, "rfc-v4");
  EXPECT_EQ(Get(rfc_v4, InterfaceKind::kStructOpsMember, "bpf_thp_ops.thp_get_order").match,
            RevisionMatch::kAbsent)
      << "RFC v4's table has get_suggested_order, not thp_get_order";
  EXPECT_EQ(Get(rfc_v4, InterfaceKind::kKernelType, "struct mm_struct").revision, "base");

  ProbeResult v9 = ProbeKernel(set, Kernel("thp_v9"));
  EXPECT_EQ(Get(v9, InterfaceKind::kKfunc, "bpf_mm_get_task").match, RevisionMatch::kAbsent);
  EXPECT_EQ(Get(v9, InterfaceKind::kStructOpsMember, "bpf_thp_ops.thp_get_order").revision, "v9");
  EXPECT_EQ(Get(v9, InterfaceKind::kKernelType, "struct mm_struct").revision, "base");
}

TEST_F(ThpModelsTest, KernelTypesAreFoundByTheirCNames) {
  // Revisions of kernel types as a kernel without any hook has them; BPF OOM
  // v2 adds members to oom_control and mem_cgroup and a value to
  // oom_constraint, and leaves the typedefs alone.
  const KernelBtf& none = Kernel("thp_none");
  const char* names[] = {"struct oom_control", "struct mem_cgroup", "enum oom_constraint",
                         "nodemask_t", "pid_t", "struct task_struct"};
  const KernelNameIndex& index = none.names();
  Contract contract;
  contract.path = "types.toml";
  for (const char* name : names) {
    std::optional<NamedType> found = index.FindKernelType(name);
    ASSERT_TRUE(found.has_value()) << name;
    Interface interface = MakeInterface(InterfaceKind::kKernelType, name, std::nullopt, 1);
    interface.revisions.push_back(
        MakeRevision("base", KernelTypeSignature(*found->btf, found->id), "thp_none"));
    contract.interfaces.push_back(std::move(interface));
  }
  ContractSet set;
  set.Add(std::move(contract));

  ProbeResult v9 = ProbeKernel(set, Kernel("thp_v9"));
  for (const char* name : names) {
    EXPECT_EQ(Get(v9, InterfaceKind::kKernelType, name).revision, "base") << name;
  }
  ProbeResult oom = ProbeKernel(set, Kernel("bpf_oom_v2"));
  for (const char* name : {"struct oom_control", "struct mem_cgroup", "enum oom_constraint"}) {
    const InterfaceProbe& probe = Get(oom, InterfaceKind::kKernelType, name);
    EXPECT_EQ(probe.match, RevisionMatch::kUnrecorded) << name;
    EXPECT_EQ(probe.signature.size(),
              set.Find(InterfaceKind::kKernelType, name)->revisions[0].signature.size() +
                  (std::string(name) == "struct oom_control" ? 3 : 1))
        << name << ": " << ::testing::PrintToString(probe.signature);
  }
  for (const char* name : {"nodemask_t", "pid_t", "struct task_struct"}) {
    EXPECT_EQ(Get(oom, InterfaceKind::kKernelType, name).revision, "base") << name;
  }
  // A bare name finds the struct of that name when no typedef has it.
  ASSERT_TRUE(index.FindKernelType("task_struct").has_value());
  EXPECT_EQ(index.FindKernelType("task_struct")->id,
            index.FindKernelType("struct task_struct")->id);
  EXPECT_FALSE(index.FindKernelType("struct pid_t").has_value()) << "pid_t is a typedef";
  EXPECT_FALSE(index.FindKernelType("struct no_such_type").has_value());
}

TEST_F(ThpModelsTest, AKernelWithoutTheHookHasItAbsent) {
  ProbeResult result = ProbeKernel(InstalledSet(), Kernel("thp_none"));
  for (const auto& [kind, name] : std::vector<std::pair<InterfaceKind, std::string>>{
           {InterfaceKind::kStructOps, "bpf_thp_ops"},
           {InterfaceKind::kStructOpsMember, "bpf_thp_ops.thp_get_order"},
           {InterfaceKind::kKfunc, "bpf_mm_get_task"}}) {
    const InterfaceProbe& probe = Get(result, kind, name);
    EXPECT_FALSE(probe.present) << name;
    EXPECT_EQ(probe.match, RevisionMatch::kAbsent) << name;
    EXPECT_TRUE(probe.signature.empty()) << name;
    EXPECT_EQ(probe.stability, Stability::kExperimental) << name << ": the contract still says";
  }
  EXPECT_TRUE(Get(result, InterfaceKind::kKernelType, "struct mm_struct").present);
}

TEST_F(ThpModelsTest, ARevisionNobodyRecordedIsUnrecordedWithItsSignature) {
  // RFC v10 changed the table (a pid, a private list); its callback kept
  // v9's prototype.
  ProbeResult result = ProbeKernel(InstalledSet(), Kernel("thp_rfc_v10"));
  const InterfaceProbe& ops = Get(result, InterfaceKind::kStructOps, "bpf_thp_ops");
  EXPECT_TRUE(ops.present);
  EXPECT_EQ(ops.match, RevisionMatch::kUnrecorded);
  EXPECT_TRUE(ops.revision.empty());
  EXPECT_EQ(ops.signature, TableSignature(Kernel("thp_rfc_v10"), "bpf_thp_ops"));
  EXPECT_EQ(Get(result, InterfaceKind::kStructOpsMember, "bpf_thp_ops.thp_get_order").revision,
            "v9");
  EXPECT_GE(result.CountUnrecorded(), 1u);

  std::string text = RenderProbe(result, OutputFormat::kText);
  for (const std::string& line : ops.signature) {
    EXPECT_TRUE(Contains(text, "\t" + line + "\n")) << line << "\n" << text;
  }
  EXPECT_TRUE(Contains(text, "warning: struct_ops bpf_thp_ops: ")) << text;
}

TEST_F(ThpModelsTest, AWithdrawnTagInTheKernelsBtfGovernsAndIsFlaggedWhilePresent) {
  const KernelBtf& kernel = Kernel("thp_withdrawn");
  ContractSet set = InstalledSet();
  std::vector<std::string> warnings;
  set.Add(ReadStabilityTags(kernel, &warnings));
  EXPECT_TRUE(warnings.empty()) << ::testing::PrintToString(warnings);

  ProbeResult result = ProbeKernel(set, kernel);
  const InterfaceProbe& ops = Get(result, InterfaceKind::kStructOps, "bpf_thp_ops");
  EXPECT_TRUE(ops.present);
  EXPECT_EQ(ops.stability, Stability::kWithdrawn);
  EXPECT_EQ(ops.origin, ContractOrigin::kKernelBtf);
  EXPECT_EQ(ops.governed_by.file, "btf:" + result.kernel);
  EXPECT_EQ(ops.revision, "v9") << "the tag records no revision; the manifest beside it does";
  EXPECT_TRUE(ops.withdrawn_but_present());
  EXPECT_EQ(result.CountWithdrawnPresent(), 1u);
  EXPECT_TRUE(Contains(RenderProbe(result, OutputFormat::kText),
                       "warning: struct_ops bpf_thp_ops is withdrawn (btf:"));
  // Without the kernel's tags the installed contract governs.
  ProbeResult untagged = ProbeKernel(InstalledSet(), kernel);
  EXPECT_EQ(Get(untagged, InterfaceKind::kStructOps, "bpf_thp_ops").stability,
            Stability::kExperimental);
  EXPECT_EQ(untagged.CountWithdrawnPresent(), 0u);
}

TEST_F(ThpModelsTest, AnExperimentalTagCarriesItsOptInAndKeepsTheRevision) {
  const KernelBtf& kernel = Kernel("thp_tagged_experimental");
  ContractSet set = InstalledSet();
  set.Add(ReadStabilityTags(kernel, nullptr));
  ASSERT_EQ(set.Find(InterfaceKind::kStructOps, "bpf_thp_ops")->OptInToken(), "bpf_thp");
  ProbeResult result = ProbeKernel(set, kernel);
  const InterfaceProbe& ops = Get(result, InterfaceKind::kStructOps, "bpf_thp_ops");
  EXPECT_EQ(ops.origin, ContractOrigin::kKernelBtf);
  EXPECT_EQ(ops.stability, Stability::kExperimental);
  EXPECT_EQ(ops.revision, "v9");
  EXPECT_EQ(result.CountWithdrawnPresent() + result.CountUnrecorded(), 0u);
}

TEST_F(ThpModelsTest, DeprecatedAndUnpromisedEntriesAreReportedAsTheyAre) {
  ContractSet set;
  Contract contract;
  contract.name = "given";
  contract.path = "given.toml";
  contract.origin = ContractOrigin::kGiven;
  Interface deprecated =
      MakeInterface(InterfaceKind::kKfunc, "bpf_mm_get_task", Stability::kDeprecated, 2);
  deprecated.remove = "7.2";
  deprecated.replacement = "bpf_mm_owner";
  contract.interfaces.push_back(std::move(deprecated));
  // Names the interface, records no revision, promises nothing.
  contract.interfaces.push_back(
      MakeInterface(InterfaceKind::kStructOps, "bpf_thp_ops", std::nullopt, 9));
  set.Add(std::move(contract));

  ProbeResult result = ProbeKernel(set, Kernel("thp_rfc_v4"));
  const InterfaceProbe& kfunc = Get(result, InterfaceKind::kKfunc, "bpf_mm_get_task");
  EXPECT_TRUE(kfunc.deprecated_and_present());
  EXPECT_EQ(kfunc.match, RevisionMatch::kNoRevisions);
  EXPECT_EQ(kfunc.replacement, "bpf_mm_owner");
  const InterfaceProbe& ops = Get(result, InterfaceKind::kStructOps, "bpf_thp_ops");
  EXPECT_EQ(ops.stability, std::nullopt);
  EXPECT_EQ(ops.match, RevisionMatch::kNoRevisions);
  EXPECT_EQ(result.CountUnrecorded(), 0u) << "nothing recorded is not a mismatch";
  EXPECT_FALSE(ProbeKernel(set, Kernel("thp_none")).interfaces[0].deprecated_and_present());
}

TEST_F(ThpModelsTest, AMatcherProbesSeveralContractSetsOnOneInventory) {
  RevisionMatcher matcher(Kernel("thp_v9"));
  ContractSet first = InstalledSet();
  ContractSet second = InstalledSet();
  ProbeResult a = matcher.Probe(first);
  ProbeResult b = matcher.Probe(second);
  ASSERT_EQ(a.interfaces.size(), b.interfaces.size());
  for (size_t i = 0; i < a.interfaces.size(); ++i) {
    EXPECT_EQ(a.interfaces[i].revision, b.interfaces[i].revision) << a.interfaces[i].name;
    EXPECT_EQ(a.interfaces[i].signature, b.interfaces[i].signature) << a.interfaces[i].name;
  }
}

// A check target's matcher reads the target's inventory rather than
// collecting its own: what it answers must not change.
TEST_F(ThpModelsTest, AMatcherOnASharedInventoryAnswersAsOneCollectingItsOwn) {
  ContractSet set = InstalledSet();
  for (const auto& [name, kernel] : *kernels_) {
    LazyInventory inventory(*kernel);
    ProbeResult own = RevisionMatcher(*kernel).Probe(set);
    ProbeResult shared = RevisionMatcher(inventory).Probe(set);
    ProbeResult again = RevisionMatcher(inventory).Probe(set);
    EXPECT_EQ(RenderProbe(own, OutputFormat::kJson), RenderProbe(shared, OutputFormat::kJson))
        << name;
    EXPECT_EQ(RenderProbe(own, OutputFormat::kJson), RenderProbe(again, OutputFormat::kJson))
        << name;
  }
}

// --- real kernels: kfunc revisions "6.1" and "6.12" -------------------------

// A kfunc's parameter names in bpftool's raw dump of a BTF file: the FUNC
// line gives its prototype's id, the prototype's lines the names.
std::vector<std::string> BpftoolParamNames(const std::string& dump, const std::string& func) {
  std::istringstream in(dump);
  std::string line, proto_id;
  std::map<std::string, std::vector<std::string>> protos;
  std::string current;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    if (line[0] == '[') {
      size_t close = line.find(']');
      current.clear();
      std::string id = line.substr(1, close - 1);
      if (Contains(line, "] FUNC '" + func + "' type_id=")) {
        proto_id = line.substr(line.find("type_id=") + 8);
        proto_id = proto_id.substr(0, proto_id.find(' '));
      } else if (Contains(line, "] FUNC_PROTO ")) {
        current = id;
        protos[current];
      }
    } else if (!current.empty() && line[0] == '\t') {
      size_t open = line.find('\'');
      protos[current].push_back(line.substr(open + 1, line.find('\'', open + 1) - open - 1));
    }
  }
  return protos[proto_id];
}

class RealKernelsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto dir61 = testing::SharedKernelDir("debian-6.1.0-50-amd64");
    auto dir612 = testing::SharedKernelDir("debian-6.12.111-amd64");
    if (!std::filesystem::exists(dir61) || !std::filesystem::exists(dir612)) return;
    k61_ = Load(dir61.string()).release();
    k612_ = Load(dir612.string()).release();
  }
  void SetUp() override {
    KC_REQUIRE_PATH(testing::SharedKernelDir("debian-6.1.0-50-amd64"));
    KC_REQUIRE_PATH(testing::SharedKernelDir("debian-6.12.111-amd64"));
    ASSERT_NE(k61_, nullptr);
    ASSERT_NE(k612_, nullptr);
  }

  // Kfuncs named once in a kernel's inventory (6.1's BTF repeats names).
  static std::map<std::string, const Kfunc*> Unique(const KfuncSet& set) {
    std::map<std::string, int> count;
    for (const Kfunc& kfunc : set.kfuncs) ++count[kfunc.name];
    std::map<std::string, const Kfunc*> out;
    for (const Kfunc& kfunc : set.kfuncs) {
      if (count[kfunc.name] == 1) out[kfunc.name] = &kfunc;
    }
    return out;
  }

  // The contract `manifest update` would write from 6.1 then 6.12: a kfunc's
  // revision "6.1" as 6.1 has it, and "6.12" only where 6.12 differs.
  static ContractSet KfuncContract(const KfuncSet& kfuncs61, const KfuncSet& kfuncs612) {
    Contract contract;
    contract.name = "kfuncs";
    contract.path = "kfuncs.toml";
    std::map<std::string, Interface> by_name;
    auto record = [&](const KernelBtf& kernel, const Kfunc& kfunc, const char* release) {
      Signature signature = KfuncSignature(BlobOf(kernel, kfunc.module), kfunc.id);
      Interface& interface = by_name[kfunc.name];
      interface.kind = InterfaceKind::kKfunc;
      interface.name = kfunc.name;
      interface.module = kfunc.module.value_or("");
      interface.location = SourceLocation{"kfuncs.toml", 1, 1};
      if (interface.FindRevision(signature) != nullptr) return;
      Revision revision;
      revision.name = release;
      revision.signature = std::move(signature);
      revision.first_seen = kernel.release;
      interface.revisions.push_back(std::move(revision));
    };
    for (const auto& [name, kfunc] : Unique(kfuncs61)) record(*k61_, *kfunc, "6.1");
    for (const auto& [name, kfunc] : Unique(kfuncs612)) record(*k612_, *kfunc, "6.12");
    for (auto& [name, interface] : by_name) contract.interfaces.push_back(std::move(interface));
    ContractSet set;
    set.Add(std::move(contract));
    return set;
  }

  static inline KernelBtf* k61_ = nullptr;
  static inline KernelBtf* k612_ = nullptr;
};

TEST_F(RealKernelsTest, KfuncsWhosePrototypeChangedSince61MatchThe612Revision) {
  KfuncSet kfuncs61 = CollectKfuncs(*k61_);
  KfuncSet kfuncs612 = CollectKfuncs(*k612_);
  ContractSet set = KfuncContract(kfuncs61, kfuncs612);
  std::map<std::string, const Kfunc*> in61 = Unique(kfuncs61);
  std::map<std::string, const Kfunc*> in612 = Unique(kfuncs612);

  ProbeResult result = ProbeKernel(set, *k612_);
  std::set<std::string> changed;
  size_t unchanged = 0;
  for (const InterfaceProbe& probe : result.interfaces) {
    ASSERT_TRUE(in612.count(probe.name) || in61.count(probe.name)) << probe.name;
    if (!in612.count(probe.name)) {
      EXPECT_EQ(probe.match, RevisionMatch::kAbsent) << probe.name << " left after 6.1";
      continue;
    }
    ASSERT_EQ(probe.match, RevisionMatch::kRecorded) << probe.name;
    EXPECT_EQ(probe.module, in612[probe.name]->module) << probe.name;
    if (!in61.count(probe.name)) {
      EXPECT_EQ(probe.revision, "6.12") << probe.name << " is new in 6.12";
    } else if (in61[probe.name]->proto != in612[probe.name]->proto) {
      EXPECT_EQ(probe.revision, "6.12") << probe.name;
      changed.insert(probe.name);
    } else {
      EXPECT_EQ(probe.revision, "6.1") << probe.name;
      ++unchanged;
    }
  }
  // Both verified with bpftool: 6.1 passes struct bpf_dynptr_kern *data_ptr,
  // 6.12 struct bpf_dynptr *data_p; tcp_bbr's bbr_main gained (u32 ack, int
  // flag), as tcp_congestion_ops.cong_control did.
  EXPECT_TRUE(changed.count("bpf_verify_pkcs7_signature")) << ::testing::PrintToString(changed);
  EXPECT_TRUE(changed.count("bbr_main")) << ::testing::PrintToString(changed);
  EXPECT_GT(unchanged, 20u);

  // On 6.1 every kfunc it has is revision 6.1, and 6.12's new ones are absent.
  ProbeResult old = ProbeKernel(set, *k61_);
  for (const InterfaceProbe& probe : old.interfaces) {
    if (in61.count(probe.name)) {
      EXPECT_EQ(probe.revision, "6.1") << probe.name;
    } else {
      EXPECT_FALSE(probe.present) << probe.name;
    }
  }
}

TEST_F(RealKernelsTest, TheChangedPrototypeIsWhatBpftoolReads) {
  KfuncSet kfuncs61 = CollectKfuncs(*k61_);
  KfuncSet kfuncs612 = CollectKfuncs(*k612_);
  ContractSet set = KfuncContract(kfuncs61, kfuncs612);
  std::vector<std::vector<std::string>> names;
  for (const KernelBtf* kernel : {k61_, k612_}) {
    auto file = testing::ProcessScratch("revision_matcher") / (kernel->release + ".btf");
    ByteView raw = kernel->vmlinux->RawData();
    testing::WriteFileOrDie(file, raw);
    std::string dump, error;
    ASSERT_TRUE(testing::RunToText(testing::BpftoolDumpCommand(file) + " format raw", &dump,
                                   &error))
        << error;
    names.push_back(BpftoolParamNames(dump, "bpf_verify_pkcs7_signature"));
    ASSERT_EQ(names.back().size(), 3u) << kernel->release;

    ProbeResult result = ProbeKernel(set, *kernel);
    for (const InterfaceProbe& probe : result.interfaces) {
      if (probe.name != "bpf_verify_pkcs7_signature") continue;
      ASSERT_EQ(probe.signature.size(), 1u);
      for (const std::string& name : names.back()) {
        EXPECT_TRUE(Contains(probe.signature[0], " *" + name + ",") ||
                    Contains(probe.signature[0], " *" + name + ")"))
            << name << " in " << probe.signature[0];
      }
    }
  }
  EXPECT_NE(names[0], names[1]) << "bpftool sees the parameters renamed";
}

TEST_F(RealKernelsTest, AModuleKfuncIsFoundInItsModule) {
  ContractSet set = KfuncContract(CollectKfuncs(*k61_), CollectKfuncs(*k612_));
  for (const KernelBtf* kernel : {k61_, k612_}) {
    ProbeResult result = ProbeKernel(set, *kernel);
    bool seen = false;
    for (const InterfaceProbe& probe : result.interfaces) {
      if (probe.name != "bbr_main") continue;
      seen = true;
      EXPECT_EQ(probe.module, std::optional<std::string>("tcp_bbr")) << kernel->release;
    }
    EXPECT_TRUE(seen) << kernel->release;
  }
}

}  // namespace
}  // namespace kcontract
