// CheckPrepared (abi/prepared/prepared_check.h) on tests/prepared/: two C
// model kernels read as raw BTF (kernel_new.c has revision v2 of the
// kc_demo_ops table, bpf_kc_new and a signed bpf_kc_lookup; kernel_old.c no
// table, no bpf_kc_new, an unsigned bpf_kc_lookup), four objects (plain:
// no revision tags; ops: revisions v1 and v2 of kc_demo_ops in one object;
// slots: two kfunc slots; gates: programs gated on a slot) and their
// contract, prepared.toml.
#include "abi/prepared/prepared_check.h"

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "abi/contract/contract_findings.h"
#include "abi/libbpf/libbpf_check.h"
#include "abi/manifest/contract_loader.h"
#include "abi/object/bpf_object.h"
#include "abi/policy/finding_policy.h"
#include "abi/revision/revision_codes.h"
#include "absl/strings/str_format.h"
#include "btfdiff/source/kernel_source.h"
#include "gtest/gtest.h"

namespace kcontract {
namespace {

std::string DataPath(const std::string& file) {
  return std::string(KC_PREPARED_DIR) + "/" + file;
}

std::unique_ptr<KernelBtf> Kernel(const std::string& name) {
  absl::StatusOr<std::unique_ptr<KernelBtf>> kernel = LoadKernel(DataPath(name + ".btf"));
  if (!kernel.ok()) throw std::runtime_error(std::string(kernel.status().message()));
  return *std::move(kernel);
}

std::unique_ptr<BpfObject> Object(const std::string& name) {
  auto objects = ReadBpfObjects(DataPath(name + ".o"));
  if (!objects.ok() || objects->size() != 1) throw std::runtime_error("cannot read " + name);
  return std::move(objects->front());
}

ContractSet Contracts() {
  ContractSources sources;
  sources.given = {std::string(KC_PREPARED_SOURCE_DIR) + "/prepared.toml"};
  sources.use_installed = false;
  std::vector<std::string> warnings;
  absl::StatusOr<ContractSet> contracts = LoadContracts(sources, &warnings);
  if (!contracts.ok()) throw std::runtime_error(std::string(contracts.status().message()));
  return *std::move(contracts);
}

// Every field of a finding, for comparing lists of them.
std::string Describe(const Finding& f) {
  return absl::StrFormat("[%s] %s (%s) %s | effect=%s stage=%s guarded=%d optional=%d "
                         "not_used_here='%s' planned_as='%s' severity=%d",
                         f.code, f.subject, f.program, f.message, LoadEffectName(f.effect),
                         LoadStageName(f.stage), f.guarded, f.optional, f.not_used_here,
                         f.planned_as, static_cast<int>(f.severity));
}

std::vector<std::string> Describe(const std::vector<Finding>& findings) {
  std::vector<std::string> out;
  for (const Finding& f : findings) out.push_back(Describe(f));
  return out;
}

const Finding* FindCode(const std::vector<Finding>& findings, std::string_view code,
                        std::string_view subject) {
  for (const Finding& f : findings) {
    if (f.code == code && f.subject == subject) return &f;
  }
  return nullptr;
}

bool IsContractFinding(const Finding& f) { return f.code.rfind("contract-", 0) == 0; }
bool IsPlanFinding(const Finding& f) {
  return f.code == kRevisionRefused || f.code == kRevisionSelected || f.code == kKfuncChoice ||
         f.code == kRevisionTag;
}

class PreparedCheckTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    new_kernel_ = Kernel("kernel_new").release();
    old_kernel_ = Kernel("kernel_old").release();
    contracts_ = new ContractSet(Contracts());
  }
  static void TearDownTestSuite() {
    delete new_kernel_;
    delete old_kernel_;
    delete contracts_;
  }

  static const KernelBtf* new_kernel_;
  static const KernelBtf* old_kernel_;
  static const ContractSet* contracts_;
};

const KernelBtf* PreparedCheckTest::new_kernel_ = nullptr;
const KernelBtf* PreparedCheckTest::old_kernel_ = nullptr;
const ContractSet* PreparedCheckTest::contracts_ = nullptr;

// --- without revision tags -----------------------------------------------------

TEST_F(PreparedCheckTest, WithoutTagsItIsCheckObjectThenTheContractFindings) {
  std::unique_ptr<BpfObject> plain = Object("plain");
  for (const KernelBtf* kernel : {new_kernel_, old_kernel_}) {
    CheckTarget target(*kernel);
    SCOPED_TRACE(target.label());
    PreparedCheck prepared = CheckPrepared(*plain, target, *contracts_);
    EXPECT_FALSE(prepared.plan.has_tags());
    ObjectCheck expected = CheckObject(*plain, target);
    std::vector<Finding> contract_findings = CheckContracts(*plain, *contracts_);
    ASSERT_FALSE(contract_findings.empty());
    expected.findings.insert(expected.findings.end(), contract_findings.begin(),
                             contract_findings.end());
    EXPECT_EQ(prepared.check.object, expected.object);
    EXPECT_EQ(prepared.check.kernel, expected.kernel);
    EXPECT_EQ(Describe(prepared.check.findings), Describe(expected.findings));
    JudgeCheck(CheckPolicy(), &prepared.check);
    JudgeCheck(CheckPolicy(), &expected);
    EXPECT_EQ(LoadStageName(prepared.check.verdict), LoadStageName(expected.verdict));
  }
}

// libbpf would load the object either way; the loader helper refuses what
// a contract withdrew, and only that stage of the verdict moves.
TEST_F(PreparedCheckTest, ContractFindingsStopTheLoadOnlyAtTheContractStage) {
  std::unique_ptr<BpfObject> plain = Object("plain");
  const ContractSet none;
  for (const KernelBtf* kernel : {new_kernel_, old_kernel_}) {
    CheckTarget target(*kernel);
    SCOPED_TRACE(target.label());
    PreparedCheck with = CheckPrepared(*plain, target, *contracts_);
    PreparedCheck without = CheckPrepared(*plain, target, none);
    JudgeCheck(CheckPolicy(), &with.check);
    JudgeCheck(CheckPolicy(), &without.check);
    EXPECT_EQ(LoadStageName(with.check.verdict), "contract");
    EXPECT_EQ(without.check.verdict, LoadStage::kNone);
    // A withdrawn kfunc is an error once the policy has its say, and still
    // libbpf would load the object.
    const Finding* withdrawn = FindCode(with.check.findings, "contract-withdrawn", "bpf_kc_gone");
    ASSERT_NE(withdrawn, nullptr);
    EXPECT_EQ(withdrawn->severity, Severity::kError);
    EXPECT_EQ(withdrawn->effect, LoadEffect::kNone);
    // The rest is the same with or without contracts.
    auto libbpf_only = [](const std::vector<Finding>& findings) {
      std::vector<Finding> out;
      for (const Finding& f : findings) {
        if (!IsContractFinding(f)) out.push_back(f);
      }
      return Describe(out);
    };
    EXPECT_EQ(libbpf_only(with.check.findings), libbpf_only(without.check.findings));
  }
}

// --- struct_ops revisions ------------------------------------------------------

TEST_F(PreparedCheckTest, TheKernelsRevisionIsSelectedAndTheOthersAreLeftOut) {
  std::unique_ptr<BpfObject> ops = Object("ops");
  CheckTarget target(*new_kernel_);
  PreparedCheck prepared = CheckPrepared(*ops, target, *contracts_);
  ASSERT_EQ(prepared.plan.struct_ops.size(), 1u);
  EXPECT_EQ(prepared.plan.struct_ops[0].enabled_map, "kc_demo_v2");
  EXPECT_EQ(prepared.plan.struct_ops[0].enabled_revision, "v2");
  EXPECT_EQ(prepared.plan.disabled_maps, std::vector<std::string>{"kc_demo_v1"});
  EXPECT_EQ(prepared.plan.disabled_programs, std::vector<std::string>{"kc_act_v1"});
  ASSERT_FALSE(prepared.check.findings.empty());
  const Finding& selected = prepared.check.findings[0];
  EXPECT_EQ(selected.code, kRevisionSelected);
  EXPECT_EQ(selected.subject, "kc_demo_ops");
  EXPECT_EQ(selected.message,
            "the kernel has revision v2: map kc_demo_v2 is created; left out: map kc_demo_v1 "
            "(v1) and program kc_act_v1");
  // libbpf meets the object without v1's map, whose table it could not
  // initialise here: the whole object would fail, the prepared one loads.
  ObjectCheck whole = CheckObject(*ops, target);
  JudgeCheck(CheckPolicy(), &whole);
  EXPECT_EQ(LoadStageName(whole.verdict), "struct_ops");
  for (const Finding& f : prepared.check.findings) {
    if (IsPlanFinding(f)) continue;
    EXPECT_EQ(f.message.find("act_v1"), std::string::npos) << Describe(f);
    EXPECT_NE(f.program, "kc_act_v1") << Describe(f);
  }
  EXPECT_EQ(prepared.check.object, ops->path);
  EXPECT_EQ(prepared.check.kernel, target.label());
  JudgeCheck(CheckPolicy(), &prepared.check);
  EXPECT_EQ(prepared.check.verdict, LoadStage::kNone);
  EXPECT_EQ(RefusalOf(prepared), "");
}

TEST_F(PreparedCheckTest, AKernelWithoutTheTableRefusesTheObject) {
  std::unique_ptr<BpfObject> ops = Object("ops");
  CheckTarget target(*old_kernel_);
  PreparedCheck prepared = CheckPrepared(*ops, target, *contracts_);
  ASSERT_TRUE(prepared.plan.refused());
  ASSERT_FALSE(prepared.check.findings.empty());
  const Finding& refused = prepared.check.findings[0];
  EXPECT_EQ(refused.code, kRevisionRefused);
  EXPECT_EQ(refused.subject, "kc_demo_ops");
  EXPECT_EQ(refused.message.rfind("struct_ops kc_demo_ops is not in this kernel; the object "
                                  "implements revisions v1, v2",
                                  0),
            0u)
      << refused.message;
  EXPECT_TRUE(prepared.plan.disabled_maps.empty());
  // Nothing is prepared; the loader refuses where libbpf would fail: at
  // the struct_ops table.
  EXPECT_EQ(RefusalOf(prepared), prepared.plan.RefusalMessage());
  JudgeCheck(CheckPolicy(), &prepared.check);
  EXPECT_EQ(prepared.check.findings[0].severity, Severity::kError);
  EXPECT_EQ(LoadStageName(prepared.check.verdict), "struct_ops");
}

// --- kfunc slots ---------------------------------------------------------------

TEST_F(PreparedCheckTest, PlanFindingsComeFirstInTheOrderOfTheSlots) {
  std::unique_ptr<BpfObject> slots = Object("slots");
  CheckTarget target(*new_kernel_);
  PreparedCheck prepared = CheckPrepared(*slots, target, *contracts_);
  ASSERT_GE(prepared.check.findings.size(), 2u);
  EXPECT_EQ(prepared.check.findings[0].code, kKfuncChoice);
  EXPECT_EQ(prepared.check.findings[0].subject, "call");
  EXPECT_EQ(prepared.check.findings[0].message, "uses bpf_kc_new (candidate 1 of 2)");
  EXPECT_EQ(prepared.check.findings[1].code, kKfuncChoice);
  EXPECT_EQ(prepared.check.findings[1].subject, "lookup");
  EXPECT_EQ(prepared.check.findings[1].message, "uses bpf_kc_lookup@signed (candidate 1 of 2)");
  // Then libbpf's, then the contracts'.
  bool in_contracts = false;
  for (size_t i = 2; i < prepared.check.findings.size(); ++i) {
    const Finding& f = prepared.check.findings[i];
    EXPECT_FALSE(IsPlanFinding(f)) << Describe(f);
    if (IsContractFinding(f)) in_contracts = true;
    EXPECT_EQ(IsContractFinding(f), in_contracts) << Describe(f);
  }
  EXPECT_TRUE(in_contracts);
}

TEST_F(PreparedCheckTest, AContractOnACandidateNotChosenIsNotUsedHereAndANote) {
  std::unique_ptr<BpfObject> slots = Object("slots");
  CheckTarget target(*new_kernel_);
  PreparedCheck prepared = CheckPrepared(*slots, target, *contracts_);
  const Finding* old_kfunc =
      FindCode(prepared.check.findings, "contract-deprecated", "bpf_kc_old");
  ASSERT_NE(old_kfunc, nullptr);
  const std::string not_used = "not called on " + target.label() +
                               ": the object's kfunc slots chose another candidate";
  EXPECT_EQ(old_kfunc->not_used_here, not_used);
  const std::string message = old_kfunc->message;
  ApplyPolicy(CheckPolicy(), &prepared.check.findings);
  old_kfunc = FindCode(prepared.check.findings, "contract-deprecated", "bpf_kc_old");
  EXPECT_EQ(old_kfunc->severity, Severity::kNote);
  EXPECT_EQ(old_kfunc->message, message + "; " + not_used);
}

TEST_F(PreparedCheckTest, AContractOnTheChosenCandidateKeepsItsWeight) {
  std::unique_ptr<BpfObject> slots = Object("slots");
  CheckTarget target(*old_kernel_);  // no bpf_kc_new: bpf_kc_old is chosen
  PreparedCheck prepared = CheckPrepared(*slots, target, *contracts_);
  ASSERT_EQ(prepared.plan.kfunc_slots.size(), 2u);
  EXPECT_EQ(prepared.plan.kfunc_slots[0].chosen, 1);
  const Finding* old_kfunc =
      FindCode(prepared.check.findings, "contract-deprecated", "bpf_kc_old");
  ASSERT_NE(old_kfunc, nullptr);
  EXPECT_EQ(old_kfunc->not_used_here, "");
  const std::string message = old_kfunc->message;
  ApplyPolicy(CheckPolicy(), &prepared.check.findings);
  old_kfunc = FindCode(prepared.check.findings, "contract-deprecated", "bpf_kc_old");
  EXPECT_EQ(old_kfunc->severity, Severity::kWarning);
  EXPECT_EQ(old_kfunc->message, message);
}

TEST_F(PreparedCheckTest, APrototypeTheChosenRevisionCallsItAsIsPlannedAndANote) {
  std::unique_ptr<BpfObject> slots = Object("slots");
  CheckTarget target(*old_kernel_);
  PreparedCheck prepared = CheckPrepared(*slots, target, *contracts_);
  ASSERT_EQ(prepared.plan.kfunc_slots.size(), 2u);
  EXPECT_EQ(prepared.plan.kfunc_slots[1].chosen, 1);  // bpf_kc_lookup@unsigned
  const Finding* proto = FindCode(prepared.check.findings, "kfunc-proto", "bpf_kc_lookup");
  ASSERT_NE(proto, nullptr);
  EXPECT_EQ(proto->effect, LoadEffect::kVerifierMay);
  EXPECT_EQ(proto->planned_as, "slot lookup calls it as revision unsigned");
  const std::string message = proto->message;
  ApplyPolicy(CheckPolicy(), &prepared.check.findings);
  proto = FindCode(prepared.check.findings, "kfunc-proto", "bpf_kc_lookup");
  EXPECT_EQ(proto->severity, Severity::kNote);
  EXPECT_EQ(proto->message, message + "; slot lookup calls it as revision unsigned");

  // The same difference in an object that does not plan for it warns.
  std::unique_ptr<BpfObject> plain = Object("plain");
  PreparedCheck unplanned = CheckPrepared(*plain, target, *contracts_);
  ApplyPolicy(CheckPolicy(), &unplanned.check.findings);
  const Finding* plain_proto =
      FindCode(unplanned.check.findings, "kfunc-proto", "bpf_kc_lookup");
  ASSERT_NE(plain_proto, nullptr);
  EXPECT_EQ(plain_proto->planned_as, "");
  EXPECT_EQ(plain_proto->severity, Severity::kWarning);
  EXPECT_EQ(plain_proto->message, message);
}

// --- programs gated on a slot (KC_PROGRAM_IF / KC_PROGRAM_UNLESS) -----------------

TEST_F(PreparedCheckTest, AGatedProgramLoadsOnlyWithTheAnswerItNeeds) {
  std::unique_ptr<BpfObject> gates = Object("gates");
  CheckTarget with(*new_kernel_);
  PreparedCheck on_new = CheckPrepared(*gates, with, *contracts_);
  EXPECT_EQ(on_new.plan.disabled_programs, std::vector<std::string>{"without_new"});
  ASSERT_EQ(on_new.plan.kfunc_slots.size(), 1u);
  EXPECT_EQ(on_new.plan.kfunc_slots[0].programs_loaded, std::vector<std::string>{"with_new"});
  const Finding* choice = FindCode(on_new.check.findings, kKfuncChoice, "call");
  ASSERT_NE(choice, nullptr);
  EXPECT_EQ(choice->message,
            "uses bpf_kc_new (candidate 1 of 1); program with_new is loaded; left out: program "
            "without_new");
  // The program left out is not checked: libbpf never sees it.
  for (const Finding& f : on_new.check.findings) EXPECT_NE(f.program, "without_new") << Describe(f);
  // A gate on a slot the object lacks is reported, and the program loads.
  const Finding* typo = FindCode(on_new.check.findings, kRevisionTag,
                                 "kcontract:program_if=nosuch on typo");
  ASSERT_NE(typo, nullptr);
  EXPECT_EQ(typo->message, "names no kfunc slot of the object (nosuch): ignored");

  CheckTarget without(*old_kernel_);
  PreparedCheck on_old = CheckPrepared(*gates, without, *contracts_);
  EXPECT_EQ(on_old.plan.disabled_programs, std::vector<std::string>{"with_new"});
  choice = FindCode(on_old.check.findings, kKfuncChoice, "call");
  ASSERT_NE(choice, nullptr);
  EXPECT_EQ(choice->message,
            "none of bpf_kc_new: the object runs without them; program without_new is loaded; "
            "left out: program with_new; not: bpf_kc_new: bpf_kc_new is not in the kernel");
  // The absent weak kfunc's only call is in the program left out: a note.
  ApplyPolicy(CheckPolicy(), &on_old.check.findings);
  const Finding* absent = FindCode(on_old.check.findings, "kfunc-weak-absent", "bpf_kc_new");
  ASSERT_NE(absent, nullptr);
  EXPECT_EQ(absent->severity, Severity::kNote) << Describe(*absent);
  EXPECT_NE(absent->message.find("no program libbpf loads holds it"), std::string::npos);
}

// What a kernel older than 6.4 rejects wherever it is (an absent weak
// kfunc's call) is rejected only in programs libbpf loads.
TEST(FindingPolicy, ARejectionNoLoadedProgramHoldsIsANote) {
  Finding f;
  f.code = "kfunc-weak-absent";
  f.effect = LoadEffect::kVerifierRejects;
  f.stage = LoadStage::kVerifier;
  f.reach = Reach::kUnreachable;
  EXPECT_EQ(JudgeFinding(f, CheckPolicy()), Severity::kNote);
  f.evidence.push_back(ReachEvidence{"prog", 3, {}, "", Reach::kUnreachable, ""});
  EXPECT_EQ(JudgeFinding(f, CheckPolicy()), Severity::kError) << "dead code in a loaded program";
  f.evidence.clear();
  f.reach = Reach::kNotAnalysed;
  EXPECT_EQ(JudgeFinding(f, CheckPolicy()), Severity::kError);
}

}  // namespace
}  // namespace kcontract
