#include "abi/libbpf/insn_rules.h"

#include <linux/bpf.h>

#include <string>
#include <string_view>
#include <utility>

#include "absl/strings/str_format.h"
#include "btfdiff/base/text.h"

namespace kcontract {
namespace {

bool IsProgram(const BpfObject& object, std::string_view name) {
  for (const BpfProgram& program : object.programs) {
    if (program.name == name) return true;
  }
  return false;
}

}  // namespace

std::vector<Finding> CheckInstructionRegisters(const BpfObject& object) {
  std::vector<Finding> findings;
  for (const CodeSection& section : object.code.sections) {
    std::vector<std::pair<uint32_t, uint32_t>> sites;
    uint32_t first_register = 0;
    for (uint32_t i = 0; i < section.insns.size(); ++i) {
      const bpf_insn& insn = section.insns[i];
      if (insn.dst_reg > BPF_REG_10 || insn.src_reg > BPF_REG_10) {
        if (sites.empty()) first_register = insn.dst_reg > BPF_REG_10 ? insn.dst_reg : insn.src_reg;
        sites.emplace_back(section.index, i);
      }
      // The second half of a 16-byte load carries the upper 32 bits only.
      if (insn.code == (BPF_LD | BPF_IMM | BPF_DW)) ++i;
    }
    if (sites.empty()) continue;
    const uint32_t first = sites.front().second;
    const CodeFunction* holder = object.code.FunctionAt(section.index, first);
    const std::string function = holder != nullptr ? holder->name : std::string();
    const std::string subject =
        function.empty() ? PrintableName(section.name) : PrintableName(function);
    std::string more;
    if (sites.size() > 1) more = absl::StrFormat(" (and %d more instructions)", sites.size() - 1);
    findings.push_back(LoadFinding(
        kInsnRegisterCode, subject,
        absl::StrFormat("instruction %d of section %s names register r%d%s; BPF has r0 to r10, "
                        "and the verifier rejects the program where it reaches such an "
                        "instruction (\"R%d is invalid\")",
                        first, PrintableName(section.name), first_register, more, first_register),
        LoadEffect::kRejectedIfReached, LoadStage::kVerifier,
        IsProgram(object, function) ? function : std::string()));
    findings.back().sites = std::move(sites);
  }
  return findings;
}

}  // namespace kcontract
