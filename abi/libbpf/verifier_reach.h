// The verifier-reach step of the check: for the findings about
// instructions the verifier rejects if it reaches them (poisoned CO-RE
// relocations, calls of weak kfuncs libbpf leaves unresolved), which the
// kernel's verifier does reach. Each program is linked as libbpf would link
// it for this kernel (abi/reach/program_linker.h: CO-RE values, externs,
// kconfig values, LINUX_KERNEL_VERSION, .rodata as the loader leaves it)
// and walked as the verifier walks it (abi/reach/reach_analysis.h).
#ifndef KCONTRACT_ABI_LIBBPF_VERIFIER_REACH_H_
#define KCONTRACT_ABI_LIBBPF_VERIFIER_REACH_H_

#include <vector>

#include "abi/finding/finding.h"
#include "abi/libbpf/libbpf_check.h"
#include "abi/libbpf/libbpf_version.h"
#include "abi/object/bpf_object.h"
#include "abi/reach/program_linker.h"

namespace kcontract {

// What libbpf `version` writes into the object's programs for this kernel.
LinkFacts LibbpfLinkFacts(const BpfObject& object, const CheckTarget& target,
                          LibbpfVersion version);

// Sets reach, reach_detail and evidence on every finding with sites, from
// the programs of `object` (those libbpf loads: a program left out is not in
// object.programs). `rodata`: what the loader sets in .rodata before load.
void AnnotateReach(const BpfObject& object, const CheckTarget& target,
                   const std::vector<LoaderSetRodata>& rodata, LibbpfVersion version,
                   std::vector<Finding>* findings);

}  // namespace kcontract

#endif  // KCONTRACT_ABI_LIBBPF_VERIFIER_REACH_H_
