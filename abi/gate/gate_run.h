// The gate's matrix run: each kernel read once by the caller, then every
// object checked on it as `check` does (CheckPrepared, then the policy's
// JudgeCheck), on threads; the cells land by row, so the result is the same
// whatever the number of threads.
#ifndef KCONTRACT_ABI_GATE_GATE_RUN_H_
#define KCONTRACT_ABI_GATE_GATE_RUN_H_

#include <cstddef>
#include <functional>
#include <optional>
#include <string_view>
#include <vector>

#include "abi/contract/contract.h"
#include "abi/gate/gate_inputs.h"
#include "abi/gate/gate_result.h"
#include "abi/libbpf/libbpf_version.h"
#include "abi/policy/finding_policy.h"
#include "abi/profile/load_profile.h"
#include "btfdiff/model/kernel_btf.h"

namespace kcontract {

struct GateRunOptions {
  CheckPolicy policy;
  // What the loader does to each object before load (`--load-profile`),
  // matched to each object as `check` matches them.
  std::vector<LoadProfile> profiles;
  // The libbpf release to judge by (--libbpf); nullopt: each object's load
  // profile entry's, else the linked one (ChooseLibbpf).
  std::optional<LibbpfVersion> libbpf;
  int jobs = 0;  // threads; 0: one per core
  // Called once per object checked, serialised, from the worker threads.
  std::function<void()> progress;
};

// The objects of `inputs` (its readable rows) on one kernel: appends a cell
// to each such row, or, for the baseline kernel, sets each row's baseline
// verdict.
void CheckColumn(const KernelBtf& kernel, const ContractSet& contracts,
                 const GateRunOptions& options, bool baseline, GateInputs* inputs);

// A kernel that could not be read: each readable row gets an unreadable
// cell in its column (the baseline: no verdict, as the rows have).
void SkipColumn(bool baseline, GateInputs* inputs);

// Judges every waiver's expiry against `today` (YYYY-MM-DD; a waiver holds
// through its `expires` day) and waives each failing cell whose every error
// an unexpired waiver matches, counting what each waived.
void ApplyWaivers(std::string_view today, GateResult* result);

}  // namespace kcontract

#endif  // KCONTRACT_ABI_GATE_GATE_RUN_H_
