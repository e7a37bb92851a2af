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
#include <utility>
#include <vector>

#include "btfdiff/base/diagnostic.h"

namespace kcontract {

// What libbpf 1.1.2 (and the verifier) would do about the observation.
enum class LoadEffect {
  kNone,           // no effect on loading (informational)
  kLibbpfRejects,  // libbpf refuses the object before the verifier runs
  // An instruction the verifier rejects if it reaches it: poisoned by
  // libbpf, or the call of a weak kfunc left unresolved. `reach` says
  // whether it does.
  kRejectedIfReached,
  kVerifierMay,    // libbpf accepts; the kernel may still refuse or misread
  kVerifierRejects,  // libbpf accepts; this kernel's verifier refuses the load
};

// Where, in the order a load goes, the observation bites: libbpf opening
// the object and preparing its programs; the loader helper's contracts and
// revisions; then bpf_object__load's stages (externs, struct_ops, CO-RE
// relocation, attach targets); last the kernel's verifier. The verdict of
// a check is the first stage with an error, or "loads".
enum class LoadStage {
  kOpen = 0,
  kContract = 1,
  kExterns = 2,
  kStructOps = 3,
  kRelocation = 4,
  kAttach = 5,
  kVerifier = 6,
  kNone = 7,
};

// Whether the verifier reaches an instruction it would reject, from the
// verifier-reach analysis (abi/reach/).
enum class Reach {
  kNotAnalysed,  // the analysis did not run (no instructions, no BTF, ...)
  kUnreachable,  // on no path the verifier walks
  kReachable,    // on a path that depends on no value user space sets
  kConditional,  // only for some values of loader-set variables (reach_detail)
  kUndecided,    // the analysis stopped before it could tell (reach_detail)
};

std::string_view LoadEffectName(LoadEffect effect);
// "open", "contract", "extern", "struct_ops", "relocation", "attach",
// "verifier"; "none".
std::string_view LoadStageName(LoadStage stage);

// "not-analysed", "unreachable", "reachable", "conditional", "undecided".
std::string_view ReachName(Reach reach);

// One instruction a finding is about, as the reach analysis saw it in one
// program.
struct ReachEvidence {
  std::string program;      // the program libbpf loads the instruction in
  uint32_t insn = 0;        // its index in that program, as libbpf hands it over
  SourceLocation location;  // its C source line (.BTF.ext line info), when known
  std::string source;       // that line's text
  Reach reach = Reach::kNotAnalysed;
  std::string detail;       // the values it is reached for, or why undecided
};

struct Finding : Diagnostic {
  LoadEffect effect = LoadEffect::kNone;
  LoadStage stage = LoadStage::kNone;
  bool guarded = false;  // behind an existence check in the same program
  // kRejectedIfReached: whether the verifier reaches it, and, when only for
  // some values or undecided, which values or why.
  Reach reach = Reach::kNotAnalysed;
  std::string reach_detail;
  // The instructions the finding is about: (ELF section index, instruction
  // index there); and, once the reach analysis ran, what it found for each
  // in each program that loads it.
  std::vector<std::pair<uint32_t, uint32_t>> sites;
  std::vector<ReachEvidence> evidence;
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

// A finding about whether an object loads, as every rule writes one (the
// policy sets its severity later); `stage` is kept only with an effect.
Finding LoadFinding(std::string_view code, std::string subject, std::string message,
                    LoadEffect effect, LoadStage stage, std::string program = "");

// The stage an error stops the load at: its own, or, for an error with
// none (one the policy makes of a note), the loader helper's refusal.
inline LoadStage StoppingStage(const Finding& finding) {
  return finding.stage == LoadStage::kNone ? LoadStage::kContract : finding.stage;
}

}  // namespace kcontract

#endif  // KCONTRACT_ABI_FINDING_FINDING_H_
