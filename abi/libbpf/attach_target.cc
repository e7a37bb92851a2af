#include "abi/libbpf/attach_target.h"

#include <bpf/btf.h>

namespace kcontract {
namespace {

// libbpf 1.1.2's section definitions with SEC_ATTACH_BTF, by the prefix
// find_kernel_btf_id gives their expected attach type.
constexpr BtfAttach kRules[] = {
    {"fentry", true, "", BTF_KIND_FUNC},          {"fentry.s", true, "", BTF_KIND_FUNC},
    {"fexit", true, "", BTF_KIND_FUNC},           {"fexit.s", true, "", BTF_KIND_FUNC},
    {"fmod_ret", true, "", BTF_KIND_FUNC},        {"fmod_ret.s", true, "", BTF_KIND_FUNC},
    {"tp_btf", true, "btf_trace_", BTF_KIND_TYPEDEF},
    {"lsm", true, "bpf_lsm_", BTF_KIND_FUNC},     {"lsm.s", true, "bpf_lsm_", BTF_KIND_FUNC},
    {"lsm_cgroup", true, "bpf_lsm_", BTF_KIND_FUNC},
    {"iter", true, "bpf_iter_", BTF_KIND_FUNC},   {"iter.s", true, "bpf_iter_", BTF_KIND_FUNC},
    {"freplace", false, "", BTF_KIND_FUNC},
};

}  // namespace

std::optional<BtfAttach> BtfAttachOf(const BpfProgram& program) {
  std::string_view section = program.section;
  for (const BtfAttach& rule : kRules) {
    if (!section.starts_with(rule.section)) continue;
    std::string_view rest = section.substr(rule.section.size());
    // libbpf's "fentry+": the bare name, or the name, '/' and a target.
    if (!rest.empty() && rest[0] != '/') continue;
    BtfAttach attach = rule;
    attach.section_names_target = rest.size() > 1;
    return attach;
  }
  return std::nullopt;
}

std::string KernelAttachName(const BtfAttach& attach, std::string_view target) {
  return std::string(attach.btf_prefix) + std::string(target);
}

}  // namespace kcontract
