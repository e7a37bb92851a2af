// Findings: what a check of a BPF object observed, as facts (which
// interface, what differs, what libbpf would do). A Finding is a Diagnostic
// (btfdiff/base/diagnostic.h) plus the facts its severity is decided from;
// the checks never set the severity: abi/policy/finding_policy.h does, after
// they ran, so that one observation can be an error in one setting and a
// note in another.
#ifndef KCONTRACT_ABI_FINDING_FINDING_H_
#define KCONTRACT_ABI_FINDING_FINDING_H_

#include <string>
#include <string_view>

#include "btfdiff/base/diagnostic.h"

namespace kcontract {

// What libbpf 1.1.2 (and the verifier) would do about the observation.
enum class LoadEffect {
  kNone,           // no effect on loading (informational)
  kLibbpfRejects,  // bpf_object__load() fails before the verifier runs
  kPoisoned,       // instruction poisoned: the verifier rejects it if reachable
  kVerifierMay,    // libbpf accepts; the kernel may still refuse or misread
  kVerifierRejects,  // libbpf accepts; this kernel's verifier refuses the load
};

// Where in libbpf's load sequence the observation bites (its order of
// checks: externs, struct_ops, CO-RE relocation, attach targets).
enum class LoadStage { kExterns = 0, kStructOps = 1, kRelocation = 2, kAttach = 3, kNone = 4 };

std::string_view LoadEffectName(LoadEffect effect);
std::string_view LoadStageName(LoadStage stage);

struct Finding : Diagnostic {
  LoadEffect effect = LoadEffect::kNone;
  LoadStage stage = LoadStage::kNone;
  bool guarded = false;  // behind an existence check in the same program
  bool optional = false; // a weak extern: absence is planned for
  // Facts that make the finding matter less on this kernel than its kind
  // says; empty when they do not hold. The policy weighs them, and when it
  // lowers a severity for one it names it in the message.
  // The object does not call the interface here: "not called on K: the
  // object's kfunc slots chose another candidate" (revision_plan.h).
  std::string not_used_here;
  // A prototype difference the object plans for, calling the kfunc as this
  // kernel's revision (KC_KFUNC_AS): "slot S calls it as revision R".
  std::string planned_as;
};

}  // namespace kcontract

#endif  // KCONTRACT_ABI_FINDING_FINDING_H_
