// Contract findings (abi/contract/contract_findings.h): every level of every kind of
// interface, struct_ops members against their tables, CO-RE types, unknown
// interfaces under each policy, and opt-ins that acknowledge nothing.
// Contracts are built in code; objects in code, or compiled from
// tests/objects when real BTF matters (CO-RE types).
#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "abi/contract/contract.h"
#include "abi/contract/contract_codes.h"
#include "abi/contract/contract_findings.h"
#include "abi/object/bpf_object.h"
#include "abi/policy/finding_policy.h"
#include "tests/test_support.h"

namespace kcontract {
namespace {

// The checks give facts; the policy (applied afterwards, as every caller
// does) gives the severities these tests assert.
std::vector<Finding> CheckAndJudge(const BpfObject& object, const ContractSet& contracts,
                                   const CheckPolicy& policy = {}) {
  std::vector<Finding> findings = CheckContracts(object, contracts);
  ApplyPolicy(policy, &findings);
  return findings;
}

constexpr char kManifest[] = "unit.toml";

Interface Entry(InterfaceKind kind, std::string name, std::optional<Stability> level,
                int line = 7) {
  Interface entry;
  entry.kind = kind;
  entry.name = std::move(name);
  entry.stability = level;
  entry.contract = "unit";
  entry.location = {kManifest, line, 1};
  return entry;
}

ContractSet Contracts(std::vector<Interface> entries) {
  Contract contract;
  contract.name = "unit";
  contract.path = kManifest;
  contract.origin = ContractOrigin::kGiven;
  contract.interfaces = std::move(entries);
  ContractSet set;
  set.Add(std::move(contract));
  return set;
}

BpfProgram Program(std::string name, std::vector<std::string> kfuncs = {}) {
  BpfProgram program;
  program.name = std::move(name);
  program.kfunc_calls = std::move(kfuncs);
  return program;
}

// An object calling `kfunc` from program "kc_prog".
BpfObject KfuncUser(const std::string& kfunc, std::vector<std::string> opt_ins = {}) {
  BpfObject object;
  object.path = "unit.o";
  BpfExtern ext;
  ext.name = kfunc;
  ext.kind = ExternKind::kKfunc;
  object.externs.push_back(ext);
  object.programs.push_back(Program("kc_prog", {kfunc}));
  object.opt_ins = std::move(opt_ins);
  return object;
}

// A struct_ops map of `table` whose callbacks are {member, program}.
BpfMap StructOpsMap(const std::string& map_name, const std::string& table,
                    std::vector<StructOpsMemberUse> callbacks) {
  BpfMap map;
  map.name = map_name;
  map.section = ".struct_ops";
  map.type = BPF_MAP_TYPE_STRUCT_OPS;
  map.struct_ops_type = table;
  map.struct_ops_programs = std::move(callbacks);
  return map;
}

BpfObject StructOpsUser(std::vector<BpfMap> maps, std::vector<std::string> opt_ins = {}) {
  BpfObject object;
  object.path = "unit.o";
  object.maps = std::move(maps);
  object.opt_ins = std::move(opt_ins);
  return object;
}

std::vector<std::string> Codes(const std::vector<Finding>& findings) {
  std::vector<std::string> codes;
  for (const Finding& f : findings) codes.push_back(f.code + " " + f.subject);
  return codes;
}

bool Has(const std::string& text, const std::string& needle) {
  return text.find(needle) != std::string::npos;
}

// --- levels, on a kfunc ------------------------------------------------------

TEST(ContractCheck, StableKfuncGivesNoFinding) {
  ContractSet set = Contracts({Entry(InterfaceKind::kKfunc, "bpf_kc_x", Stability::kStable)});
  EXPECT_TRUE(CheckAndJudge(KfuncUser("bpf_kc_x"), set).empty());
}

TEST(ContractCheck, ExperimentalWithoutOptInIsAnErrorNamingTheMacroLine) {
  Interface entry = Entry(InterfaceKind::kKfunc, "bpf_kc_x", Stability::kExperimental);
  entry.opt_in = "kc_feature";
  ContractSet set = Contracts({entry});
  std::vector<Finding> findings = CheckAndJudge(KfuncUser("bpf_kc_x"), set);
  ASSERT_EQ(findings.size(), 1u) << ::testing::PrintToString(Codes(findings));
  const Finding& f = findings[0];
  EXPECT_EQ(f.code, kContractExperimental);
  EXPECT_EQ(f.severity, Severity::kError);
  EXPECT_EQ(f.subject, "bpf_kc_x");
  EXPECT_EQ(f.program, "kc_prog");
  EXPECT_TRUE(Has(f.message, "KCONTRACT_OPT_IN(\"kc_feature\")")) << f.message;
  EXPECT_TRUE(Has(f.message, "unit.toml:7:1")) << f.message;
  // Contracts never change what libbpf does; the loader helper refuses
  // what they forbid, at its own stage.
  EXPECT_EQ(f.effect, LoadEffect::kNone);
  EXPECT_EQ(f.stage, LoadStage::kContract);
}

TEST(ContractCheck, ExperimentalWithOptInIsANoteThatItMayVanish) {
  Interface entry = Entry(InterfaceKind::kKfunc, "bpf_kc_x", Stability::kExperimental);
  entry.opt_in = "kc_feature";
  ContractSet set = Contracts({entry});
  std::vector<Finding> findings = CheckAndJudge(KfuncUser("bpf_kc_x", {"kc_feature"}), set);
  ASSERT_EQ(findings.size(), 1u) << ::testing::PrintToString(Codes(findings));
  EXPECT_EQ(findings[0].code, kContractOptedIn);
  EXPECT_EQ(findings[0].severity, Severity::kNote);
  EXPECT_TRUE(Has(findings[0].message, "may change or vanish in any release"))
      << findings[0].message;
}

TEST(ContractCheck, OptInTokenDefaultsToTheInterfaceName) {
  ContractSet set = Contracts({Entry(InterfaceKind::kKfunc, "bpf_kc_x", Stability::kExperimental)});
  EXPECT_EQ(CheckAndJudge(KfuncUser("bpf_kc_x"), set)[0].code, kContractExperimental);
  std::vector<Finding> opted = CheckAndJudge(KfuncUser("bpf_kc_x", {"bpf_kc_x"}), set);
  ASSERT_EQ(opted.size(), 1u);
  EXPECT_EQ(opted[0].code, kContractOptedIn);
}

TEST(ContractCheck, OptInForAnotherInterfaceDoesNotCount) {
  Interface entry = Entry(InterfaceKind::kKfunc, "bpf_kc_x", Stability::kExperimental);
  entry.opt_in = "kc_feature";
  ContractSet set = Contracts({entry});
  // Naming the kfunc is not enough when its contract asks for another token.
  std::vector<Finding> findings = CheckAndJudge(KfuncUser("bpf_kc_x", {"bpf_kc_x"}), set);
  EXPECT_EQ(Codes(findings), (std::vector<std::string>{"contract-experimental bpf_kc_x",
                                                       "contract-unused-opt-in bpf_kc_x"}));
}

TEST(ContractCheck, DeprecatedWarnsWithRemovalReleaseAndReplacement) {
  Interface entry = Entry(InterfaceKind::kKfunc, "bpf_kc_old", Stability::kDeprecated);
  entry.remove = "7.2";
  entry.replacement = "bpf_kc_new";
  std::vector<Finding> findings = CheckAndJudge(KfuncUser("bpf_kc_old"), Contracts({entry}));
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].code, kContractDeprecated);
  EXPECT_EQ(findings[0].severity, Severity::kWarning);
  EXPECT_TRUE(Has(findings[0].message, "removed in 7.2")) << findings[0].message;
  EXPECT_TRUE(Has(findings[0].message, "use bpf_kc_new instead")) << findings[0].message;
}

TEST(ContractCheck, WithdrawnIsAnErrorNamingEntryReleaseAndReplacement) {
  Interface entry = Entry(InterfaceKind::kKfunc, "bpf_kc_gone", Stability::kWithdrawn, 42);
  entry.remove = "6.20";
  entry.replacement = "bpf_kc_instead";
  std::vector<Finding> findings = CheckAndJudge(KfuncUser("bpf_kc_gone"), Contracts({entry}));
  ASSERT_EQ(findings.size(), 1u);
  const Finding& f = findings[0];
  EXPECT_EQ(f.code, kContractWithdrawn);
  EXPECT_EQ(f.severity, Severity::kError);
  EXPECT_TRUE(Has(f.message, "bpf_kc_gone was withdrawn in 6.20")) << f.message;
  EXPECT_TRUE(Has(f.message, "unit.toml:42:1")) << f.message;
  EXPECT_TRUE(Has(f.message, "use bpf_kc_instead instead")) << f.message;
}

// bpf_kc_old___v2 and bpf_kc_old___v1 are flavours of the kernel's
// bpf_kc_old (libbpf 1.3+ resolves them by that name): bpf_kc_old's entry
// governs them, in one finding naming the kfunc as the kernel does.
TEST(ContractCheck, FlavouredKfuncsAreTheirEssentialKfunc) {
  Interface entry = Entry(InterfaceKind::kKfunc, "bpf_kc_old", Stability::kDeprecated);
  entry.remove = "7.2";
  BpfObject object = KfuncUser("bpf_kc_old___v2");
  BpfExtern v1;
  v1.name = "bpf_kc_old___v1";
  v1.kind = ExternKind::kKfunc;
  object.externs.push_back(v1);
  object.programs.push_back(Program("kc_prog_v1", {"bpf_kc_old___v1"}));
  std::vector<Finding> findings = CheckAndJudge(object, Contracts({entry}));
  ASSERT_EQ(findings.size(), 1u) << ::testing::PrintToString(Codes(findings));
  EXPECT_EQ(findings[0].code, kContractDeprecated);
  EXPECT_EQ(findings[0].subject, "bpf_kc_old");
  EXPECT_EQ(findings[0].program, "kc_prog, kc_prog_v1");
  EXPECT_TRUE(Has(findings[0].message, "kfunc bpf_kc_old is deprecated")) << findings[0].message;
}

TEST(ContractCheck, WithdrawnWithoutRemoveNamesItsSinceRelease) {
  Interface entry = Entry(InterfaceKind::kKfunc, "bpf_kc_gone", Stability::kWithdrawn);
  entry.since = "6.19";
  std::vector<Finding> findings = CheckAndJudge(KfuncUser("bpf_kc_gone"), Contracts({entry}));
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_TRUE(Has(findings[0].message, "withdrawn in 6.19")) << findings[0].message;
  EXPECT_TRUE(Has(findings[0].message, "no replacement is named")) << findings[0].message;
}

// --- unknown interfaces and the policy ---------------------------------------

TEST(ContractCheck, KfuncInNoContractIsUnknownWithThePolicysSeverity) {
  ContractSet none;
  for (Severity severity : {Severity::kNote, Severity::kWarning, Severity::kError}) {
    CheckPolicy policy;
    policy.unknown_interface = severity;
    std::vector<Finding> findings = CheckAndJudge(KfuncUser("bpf_kc_free"), none, policy);
    ASSERT_EQ(findings.size(), 1u);
    EXPECT_EQ(findings[0].code, kContractUnknown);
    EXPECT_EQ(findings[0].severity, severity) << SeverityName(severity);
    EXPECT_TRUE(Has(findings[0].message, "unstable by default")) << findings[0].message;
  }
}

TEST(ContractCheck, UnknownIsANoteByDefault) {
  EXPECT_EQ(CheckPolicy{}.unknown_interface, Severity::kNote);
  EXPECT_EQ(CheckAndJudge(KfuncUser("bpf_kc_free"), ContractSet())[0].severity, Severity::kNote);
}

TEST(ContractCheck, EntryWithoutALevelIsUnknownToo) {
  ContractSet set = Contracts({Entry(InterfaceKind::kKfunc, "bpf_kc_x", std::nullopt)});
  std::vector<Finding> findings = CheckAndJudge(KfuncUser("bpf_kc_x"), set);
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].code, kContractUnknown);
  EXPECT_TRUE(Has(findings[0].message, "no stability level")) << findings[0].message;
}

TEST(ContractCheck, PolicyForUnknownLeavesTheOtherLevelsAlone) {
  CheckPolicy strict;
  strict.unknown_interface = Severity::kError;
  Interface entry = Entry(InterfaceKind::kKfunc, "bpf_kc_old", Stability::kDeprecated);
  entry.remove = "7.2";
  EXPECT_EQ(CheckAndJudge(KfuncUser("bpf_kc_old"), Contracts({entry}), strict)[0].severity,
            Severity::kWarning);
}

TEST(CheckPolicy, JudgesContractCodesByTheContractNotByLoadEffect) {
  CheckPolicy policy;
  policy.unknown_interface = Severity::kWarning;
  auto judge = [&](std::string_view code) {
    Finding f;
    f.code = std::string(code);
    f.effect = LoadEffect::kLibbpfRejects;  // ignored for contract findings
    return JudgeFinding(f, policy);
  };
  EXPECT_EQ(judge(kContractExperimental), Severity::kError);
  EXPECT_EQ(judge(kContractWithdrawn), Severity::kError);
  EXPECT_EQ(judge(kContractDeprecated), Severity::kWarning);
  EXPECT_EQ(judge(kContractOptedIn), Severity::kNote);
  EXPECT_EQ(judge(kContractUnusedOptIn), Severity::kNote);
  EXPECT_EQ(judge(kContractUnknown), Severity::kWarning);
  Finding libbpf;
  libbpf.code = "kfunc-missing";
  libbpf.effect = LoadEffect::kLibbpfRejects;
  EXPECT_EQ(JudgeFinding(libbpf, policy), Severity::kError);
}

// --- every level x every kind
// -------------------------------------------------

struct KindCase {
  InterfaceKind kind;
  std::string contract_name;  // as the contract names it
  std::string subject;        // as the finding names it
};

// An object using one interface of each kind: kfunc bpf_kc_k, struct_ops
// table kc_table_ops (callback `a`), member kc_member_ops.b, and the CO-RE
// type of tests/objects/lint_core.bpf.c.
class EveryKindAndLevel : public ::testing::TestWithParam<KindCase> {};

std::unique_ptr<BpfObject> ObjectUsingEveryKind() {
  auto objects = ReadBpfObjects(KCONTRACT_OBJECT_DIR "/lint_core.o");
  EXPECT_TRUE(objects.ok()) << objects.status();
  if (!objects.ok()) return nullptr;
  std::unique_ptr<BpfObject> object = std::move(objects->front());
  BpfExtern ext;
  ext.name = "bpf_kc_k";
  object->externs.push_back(ext);
  object->programs.push_back(Program("kc_k_user", {"bpf_kc_k"}));
  object->maps.push_back(StructOpsMap("kc_t", "kc_table_ops", {{"a", "kc_a"}}));
  object->maps.push_back(StructOpsMap("kc_m", "kc_member_ops", {{"b", "kc_b"}}));
  return object;
}

TEST_P(EveryKindAndLevel, GivesTheLevelsFinding) {
  const KindCase& c = GetParam();
  std::unique_ptr<BpfObject> object = ObjectUsingEveryKind();
  ASSERT_NE(object, nullptr);
  struct LevelCase {
    std::optional<Stability> level;
    bool opted_in;
    std::string code;  // "" for none
  };
  const std::string unknown = c.kind == InterfaceKind::kKernelType ? "" : "contract-unknown";
  for (const LevelCase& level : std::vector<LevelCase>{
           {Stability::kStable, false, ""},
           {Stability::kExperimental, false, "contract-experimental"},
           {Stability::kExperimental, true, "contract-opted-in"},
           {Stability::kDeprecated, false, "contract-deprecated"},
           {Stability::kWithdrawn, false, "contract-withdrawn"},
           {std::nullopt, false, unknown},
       }) {
    Interface entry = Entry(c.kind, c.contract_name, level.level);
    entry.opt_in = "kc_token";
    entry.remove = "7.0";
    // Every other interface of the object is stable, so that only this one
    // speaks.
    std::vector<Interface> entries = {entry};
    for (Interface other :
         {Entry(InterfaceKind::kKfunc, "bpf_kc_k", Stability::kStable),
          Entry(InterfaceKind::kKfunc, "bpf_kc_unlisted", Stability::kStable),
          Entry(InterfaceKind::kStructOps, "kc_table_ops", Stability::kStable),
          Entry(InterfaceKind::kStructOpsMember, "kc_member_ops.b", Stability::kStable)}) {
      if (other.name != c.contract_name) entries.push_back(std::move(other));
    }
    object->opt_ins =
        level.opted_in ? std::vector<std::string>{"kc_token"} : std::vector<std::string>{};
    std::vector<Finding> findings = CheckAndJudge(*object, Contracts(std::move(entries)));
    std::vector<std::string> expected;
    if (!level.code.empty()) expected.push_back(level.code + " " + c.subject);
    EXPECT_EQ(Codes(findings), expected)
        << c.contract_name << " at level " << (level.level ? StabilityName(*level.level) : "none")
        << (level.opted_in ? " (opted in)" : "");
  }
}

INSTANTIATE_TEST_SUITE_P(
    Kinds, EveryKindAndLevel,
    ::testing::Values(KindCase{InterfaceKind::kKfunc, "bpf_kc_k", "bpf_kc_k"},
                      KindCase{InterfaceKind::kStructOps, "kc_table_ops", "kc_table_ops"},
                      KindCase{InterfaceKind::kStructOpsMember, "kc_member_ops.b",
                               "kc_member_ops.b"},
                      KindCase{InterfaceKind::kKernelType, "task_struct", "struct task_struct"}),
    [](const ::testing::TestParamInfo<KindCase>& info) {
      return std::string(InterfaceKindName(info.param.kind));
    });

// --- struct_ops: members and their tables
// -------------------------------------

TEST(ContractCheckStructOps, CallbacksWithoutTheirOwnEntryAreReportedOnceAsTheTable) {
  ContractSet set =
      Contracts({Entry(InterfaceKind::kStructOps, "bpf_thp_ops", Stability::kExperimental)});
  BpfObject object = StructOpsUser(
      {StructOpsMap("kc_thp", "bpf_thp_ops", {{"get_order", "kc_order"}, {"exit", "kc_exit"}})});
  std::vector<Finding> findings = CheckAndJudge(object, set);
  ASSERT_EQ(findings.size(), 1u) << ::testing::PrintToString(Codes(findings));
  EXPECT_EQ(findings[0].code, kContractExperimental);
  EXPECT_EQ(findings[0].subject, "bpf_thp_ops");
  EXPECT_EQ(findings[0].program, "kc_exit, kc_order");
}

TEST(ContractCheckStructOps, MemberEntryGovernsOverItsTables) {
  // The table is experimental, but one callback has been promised stable:
  // implementing only that callback needs no opt-in.
  ContractSet set = Contracts(
      {Entry(InterfaceKind::kStructOps, "bpf_thp_ops", Stability::kExperimental),
       Entry(InterfaceKind::kStructOpsMember, "bpf_thp_ops.get_order", Stability::kStable)});
  BpfObject only_stable =
      StructOpsUser({StructOpsMap("kc_thp", "bpf_thp_ops", {{"get_order", "kc_order"}})});
  EXPECT_TRUE(CheckAndJudge(only_stable, set).empty());
  // A second callback falls to the table's level.
  BpfObject both = StructOpsUser(
      {StructOpsMap("kc_thp", "bpf_thp_ops", {{"get_order", "kc_order"}, {"exit", "kc_exit"}})});
  std::vector<Finding> findings = CheckAndJudge(both, set);
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].subject, "bpf_thp_ops");
  EXPECT_EQ(findings[0].program, "kc_exit");
}

TEST(ContractCheckStructOps, AWithdrawnTableGovernsEvenCallbacksWithTheirOwnEntry) {
  // E.g. an installed manifest keeps an entry for the callback while the
  // kernel's own BTF tag withdraws the whole table.
  ContractSet set = Contracts(
      {Entry(InterfaceKind::kStructOps, "bpf_thp_ops", Stability::kWithdrawn),
       Entry(InterfaceKind::kStructOpsMember, "bpf_thp_ops.get_order", Stability::kExperimental)});
  BpfObject object =
      StructOpsUser({StructOpsMap("kc_thp", "bpf_thp_ops", {{"get_order", "kc_order"}})});
  std::vector<Finding> findings = CheckAndJudge(object, set);
  ASSERT_EQ(findings.size(), 1u) << ::testing::PrintToString(Codes(findings));
  EXPECT_EQ(findings[0].code, kContractWithdrawn);
  EXPECT_EQ(findings[0].subject, "bpf_thp_ops");
  EXPECT_EQ(findings[0].program, "kc_order");
}

TEST(ContractCheckStructOps, DeprecatedMemberOfAStableTableNamesTheMemberAndItsProgram) {
  Interface member = Entry(InterfaceKind::kStructOpsMember, "tcp_congestion_ops.cong_avoid",
                           Stability::kDeprecated);
  member.remove = "7.4";
  member.replacement = "tcp_congestion_ops.cong_control";
  ContractSet set = Contracts(
      {Entry(InterfaceKind::kStructOps, "tcp_congestion_ops", Stability::kStable), member});
  BpfObject object = StructOpsUser({StructOpsMap(
      "kc_cc", "tcp_congestion_ops", {{"init", "kc_init"}, {"cong_avoid", "kc_avoid"}})});
  std::vector<Finding> findings = CheckAndJudge(object, set);
  ASSERT_EQ(findings.size(), 1u) << ::testing::PrintToString(Codes(findings));
  EXPECT_EQ(findings[0].code, kContractDeprecated);
  EXPECT_EQ(findings[0].subject, "tcp_congestion_ops.cong_avoid");
  EXPECT_EQ(findings[0].program, "kc_avoid");
  EXPECT_TRUE(Has(findings[0].message, "struct_ops member tcp_congestion_ops.cong_avoid"))
      << findings[0].message;
}

TEST(ContractCheckStructOps, MapWithoutCallbacksUsesTheTable) {
  ContractSet set =
      Contracts({Entry(InterfaceKind::kStructOps, "kc_data_ops", Stability::kWithdrawn)});
  std::vector<Finding> findings =
      CheckAndJudge(StructOpsUser({StructOpsMap("kc_d", "kc_data_ops", {})}), set);
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].code, kContractWithdrawn);
  EXPECT_EQ(findings[0].program, "");
}

TEST(ContractCheckStructOps, TwoMapsOfOneTableGiveOneFindingWithBothPrograms) {
  BpfObject object = StructOpsUser({StructOpsMap("kc_a", "kc_free_ops", {{"init", "kc_a_init"}}),
                                    StructOpsMap("kc_b", "kc_free_ops", {{"init", "kc_b_init"}})});
  std::vector<Finding> findings = CheckAndJudge(object, ContractSet());
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].code, kContractUnknown);
  EXPECT_EQ(findings[0].subject, "kc_free_ops");
  EXPECT_EQ(findings[0].program, "kc_a_init, kc_b_init");
}

// --- CO-RE kernel types (compiled object: real BTF, real flavours)
// -------------

class ContractCheckCore : public ::testing::Test {
 protected:
  void SetUp() override {
    auto objects = ReadBpfObjects(KCONTRACT_OBJECT_DIR "/lint_core.o");
    ASSERT_TRUE(objects.ok()) << objects.status();
    object_ = std::move(objects->front());
    ASSERT_FALSE(object_->core_relocations.empty());
  }
  std::unique_ptr<BpfObject> object_;
};

TEST_F(ContractCheckCore, FlavouredRootCountsAsItsEssentialType) {
  // task_struct and task_struct___v2 are one kernel type: one finding.
  Interface entry = Entry(InterfaceKind::kKernelType, "task_struct", Stability::kDeprecated);
  entry.remove = "7.0";
  std::vector<Finding> findings = CheckAndJudge(*object_, Contracts({entry}));
  std::vector<std::string> codes = Codes(findings);
  EXPECT_EQ(codes, (std::vector<std::string>{"contract-unknown bpf_kc_unlisted",
                                             "contract-deprecated struct task_struct"}));
  EXPECT_EQ(findings[1].program, "kc_read_task");
}

TEST_F(ContractCheckCore, KernelTypesAreFoundByTheirKeywordNameAsKernelTagsWriteThem) {
  std::vector<Finding> findings = CheckAndJudge(
      *object_,
      Contracts({Entry(InterfaceKind::kKernelType, "enum kc_mode", Stability::kWithdrawn),
                 Entry(InterfaceKind::kKernelType, "kc_atomic_t", Stability::kExperimental)}));
  EXPECT_EQ(Codes(findings), (std::vector<std::string>{"contract-unknown bpf_kc_unlisted",
                                                       "contract-withdrawn enum kc_mode",
                                                       "contract-experimental kc_atomic_t"}));
}

TEST_F(ContractCheckCore, LocalTypeIdsUseNoKernelType) {
  bool has_local = false;
  for (const CoreRelocation& relo : object_->core_relocations) {
    has_local |= relo.kind == BPF_CORE_TYPE_ID_LOCAL && relo.root_name == "kc_local_only";
  }
  ASSERT_TRUE(has_local) << "lint_core.bpf.c no longer has a local type id relocation";
  std::vector<Finding> findings = CheckAndJudge(
      *object_,
      Contracts({Entry(InterfaceKind::kKernelType, "kc_local_only", Stability::kWithdrawn)}));
  EXPECT_EQ(Codes(findings), (std::vector<std::string>{"contract-unknown bpf_kc_unlisted"}));
}

TEST_F(ContractCheckCore, KernelTypesInNoContractAreNotReported) {
  // Only the kfunc is unknown; task_struct, kc_atomic_t and kc_mode are not.
  CheckPolicy strict;
  strict.unknown_interface = Severity::kError;
  EXPECT_EQ(Codes(CheckAndJudge(*object_, ContractSet(), strict)),
            (std::vector<std::string>{"contract-unknown bpf_kc_unlisted"}));
}

// --- opt-ins that acknowledge nothing
// ------------------------------------------

TEST(ContractCheckOptIns, UnusedOptInsAreNotesSayingWhatTheyName) {
  Interface used = Entry(InterfaceKind::kKfunc, "bpf_kc_x", Stability::kExperimental);
  used.opt_in = "kc_used";
  Interface unused = Entry(InterfaceKind::kKfunc, "bpf_kc_other", Stability::kExperimental);
  Interface promoted = Entry(InterfaceKind::kStructOps, "kc_promoted_ops", Stability::kStable);
  ContractSet set = Contracts({used, unused, promoted});
  BpfObject object =
      KfuncUser("bpf_kc_x", {"bpf_kc_other", "kc_promoted_ops", "kc_usde", "kc_used"});
  std::vector<Finding> findings = CheckAndJudge(object, set);
  ASSERT_EQ(Codes(findings), (std::vector<std::string>{
                                 "contract-opted-in bpf_kc_x",
                                 "contract-unused-opt-in bpf_kc_other",
                                 "contract-unused-opt-in kc_promoted_ops",
                                 "contract-unused-opt-in kc_usde",
                             }));
  for (size_t i = 1; i < findings.size(); ++i) {
    EXPECT_EQ(findings[i].severity, Severity::kNote);
    EXPECT_TRUE(Has(findings[i].message, "KCONTRACT_OPT_IN(\"" + findings[i].subject + "\")"))
        << findings[i].message;
  }
  EXPECT_TRUE(Has(findings[1].message, "which the object does not use")) << findings[1].message;
  EXPECT_TRUE(Has(findings[2].message, "which is stable now")) << findings[2].message;
  // A misspelled token names the experimental interface's token it is closest to.
  EXPECT_TRUE(Has(findings[3].message, "no contract has an interface by that opt-in (did you "
                                       "mean 'kc_used'?)"))
      << findings[3].message;
}

TEST(ContractCheckOptIns, AnOptInCloseToNoKnownTokenIsCalledAPossibleTypo) {
  Interface used = Entry(InterfaceKind::kKfunc, "bpf_kc_x", Stability::kExperimental);
  used.opt_in = "kc_used";
  BpfObject object = KfuncUser("bpf_kc_x", {"kc_used", "zzz_unrelated_token"});
  std::vector<Finding> findings = CheckAndJudge(object, Contracts({used}));
  ASSERT_EQ(Codes(findings), (std::vector<std::string>{
                                 "contract-opted-in bpf_kc_x",
                                 "contract-unused-opt-in zzz_unrelated_token",
                             }));
  EXPECT_TRUE(Has(findings[1].message, "no contract has an interface by that opt-in (a typo?)"))
      << findings[1].message;
}

TEST(ContractCheckOptIns, TheSuggestionPrefersExperimentalInterfaces) {
  // "kc_thp" is one edit from the stable "kc_thq" and from the experimental
  // "kc_thpx", which is named first: only an experimental interface needs an
  // opt-in. (The stable one comes first in the contracts' order.)
  Interface experimental = Entry(InterfaceKind::kStructOps, "kc_thpx", Stability::kExperimental);
  Interface stable = Entry(InterfaceKind::kStructOps, "kc_thq", Stability::kStable);
  BpfObject object = KfuncUser("bpf_kc_unlisted", {"kc_thp"});
  std::vector<Finding> findings = CheckAndJudge(object, Contracts({experimental, stable}));
  ASSERT_EQ(findings.size(), 2u);
  EXPECT_TRUE(Has(findings[1].message, "(did you mean 'kc_thpx'?)")) << findings[1].message;
}

TEST(ContractCheck, HostileNamesCannotForgeLinesInMessages) {
  std::vector<Finding> findings =
      CheckAndJudge(KfuncUser("bpf_kc\nkc.o: error: forged"), ContractSet());
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].message.find('\n'), std::string::npos) << findings[0].message;
  EXPECT_TRUE(Has(findings[0].message, "bpf_kc\\x0akc.o")) << findings[0].message;
}

}  // namespace
}  // namespace kcontract
