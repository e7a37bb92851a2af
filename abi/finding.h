// Findings: what a check observed, as facts (which interface, what differs,
// what libbpf would do). Severity is decided by policy (check_policy.h), not
// here, so that one observation can be an error in one setting and a note in
// another.
#ifndef KCONTRACT_ABI_FINDING_H_
#define KCONTRACT_ABI_FINDING_H_

#include <string>
#include <string_view>
#include <vector>

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

enum class Severity { kNote, kWarning, kError };

std::string_view SeverityName(Severity severity);
std::string_view LoadEffectName(LoadEffect effect);
std::string_view LoadStageName(LoadStage stage);

struct Finding {
  std::string code;      // "kfunc-missing", "kfunc-proto", "core-field", ...
  std::string subject;   // the interface: "bpf_task_from_pid", "tcp_congestion_ops.init"
  std::string program;   // the program concerned, when one is
  std::string message;   // one line for people
  LoadEffect effect = LoadEffect::kNone;
  LoadStage stage = LoadStage::kNone;
  bool guarded = false;  // behind an existence check in the same program
  bool optional = false; // a weak extern: absence is planned for
  Severity severity = Severity::kNote;  // set by policy
};

}  // namespace kcontract

#endif  // KCONTRACT_ABI_FINDING_H_
