#include "abi/object/bpf_names.h"

#include <bpf/libbpf.h>

#include <iterator>
#include <string_view>

#include "absl/strings/str_format.h"

namespace kcontract {
namespace {

// Section name prefixes whose remainder names a kernel function, tracepoint
// or iterator target.
constexpr std::string_view kTargetPrefixes[] = {
    "fentry/",   "fexit/",   "fmod_ret/", "fentry.s/", "fexit.s/", "fmod_ret.s/",
    "lsm/",      "lsm.s/",   "lsm_cgroup/", "tp_btf/", "iter/",    "iter.s/",
};

#define KC_HELPER_NAME(name) "bpf_" #name
constexpr const char* kHelperNames[] = {__BPF_FUNC_MAPPER(KC_HELPER_NAME)};
#undef KC_HELPER_NAME
static_assert(std::size(kHelperNames) == __BPF_FUNC_MAX_ID);

}  // namespace

std::string_view BpfHelperName(int32_t id) {
  if (id <= 0 || static_cast<size_t>(id) >= std::size(kHelperNames)) return {};
  return kHelperNames[id];
}

void ClassifySection(BpfProgram* program) {
  std::string_view section = program->section;
  bpf_prog_type prog_type = BPF_PROG_TYPE_UNSPEC;
  bpf_attach_type attach_type = static_cast<bpf_attach_type>(0);
  if (libbpf_prog_type_by_name(program->section.c_str(), &prog_type, &attach_type) == 0) {
    const char* type_name = libbpf_bpf_prog_type_str(prog_type);
    program->prog_type = type_name ? type_name : absl::StrFormat("%d", prog_type);
    // Attach type 0 is BPF_CGROUP_INET_INGRESS, but libbpf also uses 0 for
    // "none": only cgroup_skb/ingress means it.
    bool has_attach = attach_type != 0 ||
                      (prog_type == BPF_PROG_TYPE_CGROUP_SKB &&
                       section.starts_with("cgroup_skb/ingress"));
    if (has_attach) {
      const char* attach_name = libbpf_bpf_attach_type_str(attach_type);
      program->attach_type = attach_name ? attach_name : absl::StrFormat("%d", attach_type);
    }
  }
  for (std::string_view prefix : kTargetPrefixes) {
    if (section.starts_with(prefix)) {
      program->attach_target = std::string(section.substr(prefix.size()));
      break;
    }
  }
}

std::string MapTypeName(uint32_t type) {
  const char* name = libbpf_bpf_map_type_str(static_cast<bpf_map_type>(type));
  return name ? name : "";
}

}  // namespace kcontract
