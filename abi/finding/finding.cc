#include "abi/finding/finding.h"

namespace kcontract {

std::string_view LoadEffectName(LoadEffect effect) {
  switch (effect) {
    case LoadEffect::kNone: return "none";
    case LoadEffect::kLibbpfRejects: return "libbpf-rejects";
    case LoadEffect::kRejectedIfReached: return "rejected-if-reached";
    case LoadEffect::kVerifierMay: return "verifier-may-reject";
    case LoadEffect::kVerifierRejects: return "verifier-rejects";
  }
  return "none";
}

std::string_view LoadStageName(LoadStage stage) {
  switch (stage) {
    case LoadStage::kOpen: return "open";
    case LoadStage::kContract: return "contract";
    case LoadStage::kExterns: return "extern";
    case LoadStage::kStructOps: return "struct_ops";
    case LoadStage::kRelocation: return "relocation";
    case LoadStage::kAttach: return "attach";
    case LoadStage::kVerifier: return "verifier";
    case LoadStage::kNone: return "none";
  }
  return "none";
}

std::string_view ReachName(Reach reach) {
  switch (reach) {
    case Reach::kNotAnalysed: return "not-analysed";
    case Reach::kUnreachable: return "unreachable";
    case Reach::kReachable: return "reachable";
    case Reach::kConditional: return "conditional";
    case Reach::kUndecided: return "undecided";
  }
  return "not-analysed";
}

Finding LoadFinding(std::string_view code, std::string subject, std::string message,
                    LoadEffect effect, LoadStage stage, std::string program) {
  Finding f;
  f.code = std::string(code);
  f.subject = std::move(subject);
  f.program = std::move(program);
  f.message = std::move(message);
  f.effect = effect;
  f.stage = effect == LoadEffect::kNone ? LoadStage::kNone : stage;
  return f;
}

}  // namespace kcontract
