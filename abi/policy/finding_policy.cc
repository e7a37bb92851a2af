#include "abi/policy/finding_policy.h"

#include <algorithm>
#include <optional>
#include <string_view>
#include <utility>

#include "abi/contract/contract_codes.h"
#include "abi/libbpf/libbpf_check.h"
#include "abi/profile/profile_codes.h"
#include "abi/revision/revision_codes.h"
#include "absl/strings/str_format.h"

namespace kcontract {
namespace {

// Contract findings (contract_findings.h) never change what libbpf does;
// their weight is the contract's, as STABILITY.md gives it. nullopt: not one.
std::optional<Severity> JudgeContractFinding(std::string_view code, const CheckPolicy& policy) {
  if (code == kContractExperimental || code == kContractWithdrawn) return Severity::kError;
  if (code == kContractDeprecated) return Severity::kWarning;
  if (code == kContractOptedIn || code == kContractUnusedOptIn) return Severity::kNote;
  if (code == kContractUnknown) return policy.unknown_interface;
  return std::nullopt;
}

// The revision plan's findings (revision_plan.h): a refusal is what the
// loader helper does, so an error; so is a revision tag it cannot read (the
// object claims revisions that would not be chosen). nullopt: not one.
std::optional<Severity> JudgeRevisionFinding(std::string_view code) {
  if (code == kRevisionRefused) return Severity::kError;
  if (code == kRevisionTag) return Severity::kError;
  if (code == kRevisionSelected || code == kKfuncChoice) return Severity::kNote;
  return std::nullopt;
}

// A load profile's findings (apply_profile.h): a setting that names
// nothing the object has, or cannot do what it says, is the profile's
// mistake, worth a warning; what the loader does, a note. nullopt: not one.
std::optional<Severity> JudgeProfileFinding(std::string_view code) {
  if (code == kProfileUnknownName || code == kProfileIneffective) return Severity::kWarning;
  if (code == kLoadProfileApplied || code == kAttachUnchecked) return Severity::kNote;
  return std::nullopt;
}

// An instruction the verifier rejects if it reaches it: an error where it
// does, a note where it never does, a warning where that depends on values
// user space sets. Without an answer from the reach analysis, an existence
// check in the same program is taken as the guard it usually is (a weak
// kfunc call, as one the object guards).
Severity JudgeReach(const Finding& finding, const CheckPolicy& policy) {
  switch (finding.reach) {
    case Reach::kUnreachable: return Severity::kNote;
    case Reach::kReachable: return Severity::kError;
    case Reach::kConditional:
    case Reach::kUndecided: return Severity::kWarning;
    case Reach::kNotAnalysed: break;
  }
  if (finding.optional) return Severity::kNote;
  if (finding.guarded && !policy.guarded_poison_is_error) return Severity::kWarning;
  return Severity::kError;
}

// The severity from the finding's kind alone, and the fact that lowers it
// on this kernel ("" when none does).
std::pair<Severity, std::string_view> Judge(const Finding& finding, const CheckPolicy& policy) {
  if (std::optional<Severity> contract = JudgeContractFinding(finding.code, policy)) {
    // A contract the object does not exercise here (a kfunc slot chose
    // another candidate) is worth a note: a deprecated fallback warns only
    // where it is used.
    if (*contract != Severity::kNote && !finding.not_used_here.empty()) {
      return {Severity::kNote, finding.not_used_here};
    }
    return {*contract, {}};
  }
  if (std::optional<Severity> revision = JudgeRevisionFinding(finding.code)) return {*revision, {}};
  if (std::optional<Severity> profile = JudgeProfileFinding(finding.code)) return {*profile, {}};
  // Nothing of the object's kernel interfaces could be checked.
  if (finding.code == kNoBtfCode) return {Severity::kWarning, {}};
  switch (finding.effect) {
    case LoadEffect::kLibbpfRejects:
      return {Severity::kError, {}};
    case LoadEffect::kVerifierRejects:
      // The verifier judges the programs libbpf loads, nothing else: what
      // it rejects wherever it is (an absent weak kfunc's call before 6.4)
      // is no rejection when no loaded program holds it (a program the
      // loader leaves out, KC_PROGRAM_IF).
      if (finding.reach == Reach::kUnreachable && finding.evidence.empty()) {
        return {Severity::kNote, {}};
      }
      return {Severity::kError, {}};
    case LoadEffect::kRejectedIfReached:
      return {JudgeReach(finding, policy), {}};
    case LoadEffect::kVerifierMay:
      // A difference libbpf accepts and the object plans for is its plan,
      // not a surprise.
      if (!finding.planned_as.empty()) return {Severity::kNote, finding.planned_as};
      return {Severity::kWarning, {}};
    case LoadEffect::kNone:
      return {Severity::kNote, {}};
  }
  return {Severity::kNote, {}};
}

}  // namespace

Severity JudgeFinding(const Finding& finding, const CheckPolicy& policy) {
  return Judge(finding, policy).first;
}

LoadStage VerdictOf(const std::vector<Finding>& findings) {
  LoadStage verdict = LoadStage::kNone;
  for (const Finding& f : findings) {
    if (f.severity != Severity::kError) continue;
    verdict = std::min(verdict, StoppingStage(f));
  }
  return verdict;
}

void JudgeCheck(const CheckPolicy& policy, ObjectCheck* check) {
  ApplyPolicy(policy, &check->findings);
  check->verdict = VerdictOf(check->findings);
}

void ApplyPolicy(const CheckPolicy& policy, std::vector<Finding>* findings) {
  for (Finding& finding : *findings) {
    auto [severity, lowered_by] = Judge(finding, policy);
    finding.severity = severity;
    if (!lowered_by.empty()) finding.message += absl::StrFormat("; %s", lowered_by);
  }
}

}  // namespace kcontract
