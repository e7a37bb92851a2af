// Waivers: failures a distribution knows of and accepts for a while, in
// TOML (`gate --waivers FILE`):
//
//   format_version = 1
//   [[waiver]]
//   object = "*/legacy_probe.bpf.o"   # glob over any of the object's names
//   program = "handle_exec"           # optional: only findings in this program
//   code = "kfunc-missing"            # optional: only findings with this code
//   subject = "bpf_task_from_pid"     # optional: only findings about this
//   kernel = "6.1.*"                  # optional glob over the kernel's label
//   reason = "upstream fix in 2.3, packaged next month"
//   expires = 2026-12-31              # a TOML date, or "2026-12-31"
//
// A failing cell is waived when every error in it is matched by a waiver
// that has not expired; it is still reported, as waived. An expired waiver
// waives nothing and is an error; one that matched nothing is a warning.
#ifndef KCONTRACT_ABI_GATE_GATE_WAIVERS_H_
#define KCONTRACT_ABI_GATE_GATE_WAIVERS_H_

#include <string>
#include <string_view>
#include <vector>

#include "abi/finding/finding.h"
#include "btfdiff/base/diagnostic.h"

namespace kcontract {

inline constexpr int kWaiverFormatVersion = 1;

struct Waiver {
  std::string object;   // glob (fnmatch, '*' crosses '/')
  std::string program;  // empty: any
  std::string code;     // empty: any
  std::string subject;  // empty: any
  std::string kernel;   // glob; empty: any
  std::string reason;
  std::string expires;  // YYYY-MM-DD
  SourceLocation location;  // of its [[waiver]] table
  bool expired = false;     // set by ApplyWaivers, against its `today`
  int matched = 0;          // cells it waived (or helped waive)
};

// "waivers.toml:4:1": how cells name the waiver that accepted them.
std::string WaiverLabel(const Waiver& waiver);

struct WaiverReadResult {
  std::vector<Waiver> waivers;
  std::vector<Diagnostic> diagnostics;  // located; any error makes the file unusable
  bool ok() const;
};
// Never fails otherwise: every mistake is a located diagnostic.
WaiverReadResult ParseWaivers(std::string_view text, const std::string& path);
WaiverReadResult ReadWaivers(const std::string& path);

// True when `waiver` accepts `finding` in the object named `names` on
// `kernel` (object and kernel globs, then program, code and subject).
bool WaiverMatches(const Waiver& waiver, const std::vector<std::string>& names,
                   std::string_view kernel, const Finding& finding);

// Today's date, UTC, as YYYY-MM-DD: what expiry is judged against.
std::string TodayUtc();

// The waivers' own diagnostics: an error for each expired one, a warning
// for each that matched nothing.
std::vector<Diagnostic> WaiverDiagnostics(const std::vector<Waiver>& waivers);

}  // namespace kcontract

#endif  // KCONTRACT_ABI_GATE_GATE_WAIVERS_H_
