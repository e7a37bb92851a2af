#include "abi/check_policy.h"

namespace kcontract {

Severity JudgeFinding(const Finding& finding, const CheckPolicy& policy) {
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
