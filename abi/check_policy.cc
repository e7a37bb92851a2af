#include "abi/check_policy.h"

#include <optional>
#include <string_view>

#include "abi/contract_codes.h"
#include "abi/revision_codes.h"

namespace kcontract {
namespace {

// Contract findings (contract_check.h) never change what libbpf does; their
// weight is the contract's, as STABILITY.md gives it. nullopt: not one.
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

}  // namespace

Severity JudgeFinding(const Finding& finding, const CheckPolicy& policy) {
  if (std::optional<Severity> contract = JudgeContractFinding(finding.code, policy)) {
    return *contract;
  }
  if (std::optional<Severity> revision = JudgeRevisionFinding(finding.code)) return *revision;
  switch (finding.effect) {
    case LoadEffect::kLibbpfRejects:
    case LoadEffect::kVerifierRejects:
      return Severity::kError;
    case LoadEffect::kPoisoned:
      if (finding.guarded && !policy.guarded_poison_is_error) return Severity::kWarning;
      return Severity::kError;
    case LoadEffect::kVerifierMay:
      return Severity::kWarning;
    case LoadEffect::kNone:
      return Severity::kNote;
  }
  return Severity::kNote;
}

std::string_view SeverityName(Severity severity) {
  switch (severity) {
    case Severity::kNote: return "note";
    case Severity::kWarning: return "warning";
    case Severity::kError: return "error";
  }
  return "note";
}

std::string_view LoadEffectName(LoadEffect effect) {
  switch (effect) {
    case LoadEffect::kNone: return "none";
    case LoadEffect::kLibbpfRejects: return "libbpf-rejects";
    case LoadEffect::kPoisoned: return "poisoned";
    case LoadEffect::kVerifierMay: return "verifier-may-reject";
    case LoadEffect::kVerifierRejects: return "verifier-rejects";
  }
  return "none";
}

std::string_view LoadStageName(LoadStage stage) {
  switch (stage) {
    case LoadStage::kExterns: return "externs";
    case LoadStage::kStructOps: return "struct_ops";
    case LoadStage::kRelocation: return "relocation";
    case LoadStage::kAttach: return "attach";
    case LoadStage::kNone: return "none";
  }
  return "none";
}

}  // namespace kcontract
