// The offline verifier-reach analysis: which of a program's watched
// instructions (poisoned by libbpf, calls of absent weak kfuncs) the kernel's
// verifier would reach, given what libbpf wrote into the program for one
// kernel. It walks the program as the verifier does: every path, with
// registers and stack slots as bounds (scalar.h), taking only the branches
// those bounds leave open, following BPF-to-BPF calls into static
// subprograms with the caller's values, and checking global subprograms and
// callbacks on their own with unknown arguments, as the verifier does.
//
// What it models, and what it assumes elsewhere (README "Verifier-reach
// analysis"): constants and bounds through ALU operations, moves, spills to
// and fills from the stack; reads of read-only maps (.rodata, .kconfig) as
// the constants the verifier reads; loader-set variables as named unknowns,
// so that a reach can depend on them; non-null pointers compared with zero.
// Everything else a program loads (context, packet, writable maps, helper
// and kfunc results) is an unknown value of its width, so both ways of a
// branch on it are explored, as the verifier explores them. Where the
// verifier is more precise than that (relations between two unknown
// registers, packet ranges), the analysis may find a path the verifier
// prunes: its answer is then "reachable" where the verifier would say no.
#ifndef KCONTRACT_ABI_REACH_REACH_ANALYSIS_H_
#define KCONTRACT_ABI_REACH_REACH_ANALYSIS_H_

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "abi/reach/program_image.h"
#include "abi/reach/scalar.h"

namespace kcontract {

// One loader-set variable's values on a path.
struct VariableCondition {
  std::string variable;
  Scalar values;
  friend bool operator==(const VariableCondition&, const VariableCondition&) = default;
};

struct WatchedReach {
  bool reached = false;
  // Reached on a path that depends on no loader-set variable.
  bool unconditionally = false;
  // When reached only under conditions: each entry is one way to reach it
  // (the conditions all hold), deduplicated, at most a few.
  std::vector<std::vector<VariableCondition>> when;
};

struct ReachLimits {
  uint64_t max_steps = 2'000'000;       // instructions simulated, over all paths
  uint32_t max_states_per_insn = 64;    // states kept per instruction for pruning
  uint32_t max_call_depth = 8;          // the verifier's MAX_CALL_FRAMES
};

struct ReachResult {
  std::map<uint32_t, WatchedReach> watched;  // one per ProgramImage::watched
  // False when a limit stopped the walk or an instruction was not modelled:
  // a watched instruction not reached may then still be reachable.
  bool complete = true;
  std::string incomplete_reason;
  uint64_t steps = 0;
};

ReachResult AnalyzeReach(const ProgramImage& image, const ReachLimits& limits = {});

}  // namespace kcontract

#endif  // KCONTRACT_ABI_REACH_REACH_ANALYSIS_H_
