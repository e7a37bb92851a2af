#include "abi/finding/finding.h"

namespace kcontract {

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
