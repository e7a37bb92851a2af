// The verifier's refusal of an instruction no compiler emits: one naming a
// register past r10. The register fields are four bits, so a corrupt or
// hand-made object can name r11-r15; the kernel answers "R11 is invalid"
// where it reaches such an instruction. Each code section with one is a
// finding (effect kRejectedIfReached, stage kVerifier) whose sites are
// every such instruction, so the reach analysis (verifier_reach.h) says
// whether the verifier meets one. Other encoding rules (reserved fields,
// unknown opcodes) are not modelled.
#ifndef KCONTRACT_ABI_LIBBPF_INSN_RULES_H_
#define KCONTRACT_ABI_LIBBPF_INSN_RULES_H_

#include <string_view>
#include <vector>

#include "abi/finding/finding.h"
#include "abi/object/bpf_object.h"

namespace kcontract {

inline constexpr std::string_view kInsnRegisterCode = "insn-register";

std::vector<Finding> CheckInstructionRegisters(const BpfObject& object);

}  // namespace kcontract

#endif  // KCONTRACT_ABI_LIBBPF_INSN_RULES_H_
