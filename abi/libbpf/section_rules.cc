#include "abi/libbpf/section_rules.h"

#include <iterator>

namespace kcontract {
namespace {

constexpr StructOpsSection kStructOpsSections[] = {
    {".struct_ops", std::nullopt, false, true},
    {".struct_ops.link", LibbpfFeature::kStructOpsLinkSection, true, true},
    {"?.struct_ops", LibbpfFeature::kOptionalStructOpsSection, false, false},
    {"?.struct_ops.link", LibbpfFeature::kOptionalStructOpsSection, true, false},
};

// Program sections later releases added: libbpf's SEC_DEF name ("+": the
// bare name, or the name, '/' and more) and the program type it gives.
struct ProgramSection {
  std::string_view name;
  bool prefix;
  std::string_view prog_type;
  LibbpfFeature since;
};

constexpr ProgramSection kProgramSections[] = {
    {"struct_ops.s", true, "struct_ops", LibbpfFeature::kSleepableStructOpsSection},
    {"tc/ingress", false, "sched_cls", LibbpfFeature::kTcxSections},
    {"tc/egress", false, "sched_cls", LibbpfFeature::kTcxSections},
    {"tcx/ingress", false, "sched_cls", LibbpfFeature::kTcxSections},
    {"tcx/egress", false, "sched_cls", LibbpfFeature::kTcxSections},
    {"netkit/primary", false, "sched_cls", LibbpfFeature::kNetkitSections},
    {"netkit/peer", false, "sched_cls", LibbpfFeature::kNetkitSections},
    {"uprobe.multi", true, "kprobe", LibbpfFeature::kUprobeMultiSections},
    {"uretprobe.multi", true, "kprobe", LibbpfFeature::kUprobeMultiSections},
    {"uprobe.multi.s", true, "kprobe", LibbpfFeature::kUprobeMultiSections},
    {"uretprobe.multi.s", true, "kprobe", LibbpfFeature::kUprobeMultiSections},
    {"sk_skb/verdict", false, "sk_skb", LibbpfFeature::kSkSkbVerdictSection},
    {"netfilter", false, "netfilter", LibbpfFeature::kNetfilterSection},
    {"cgroup/connect_unix", false, "cgroup_sock_addr", LibbpfFeature::kUnixSockAddrSections},
    {"cgroup/sendmsg_unix", false, "cgroup_sock_addr", LibbpfFeature::kUnixSockAddrSections},
    {"cgroup/recvmsg_unix", false, "cgroup_sock_addr", LibbpfFeature::kUnixSockAddrSections},
    {"cgroup/getpeername_unix", false, "cgroup_sock_addr", LibbpfFeature::kUnixSockAddrSections},
    {"cgroup/getsockname_unix", false, "cgroup_sock_addr", LibbpfFeature::kUnixSockAddrSections},
    {"kprobe.session", true, "kprobe", LibbpfFeature::kKprobeSessionSection},
    {"uprobe.session", true, "kprobe", LibbpfFeature::kUprobeSessionSections},
    {"uprobe.session.s", true, "kprobe", LibbpfFeature::kUprobeSessionSections},
};

bool Matches(const ProgramSection& row, std::string_view section) {
  if (!row.prefix) return section == row.name;
  if (!section.starts_with(row.name)) return false;
  std::string_view rest = section.substr(row.name.size());
  return rest.empty() || rest[0] == '/';
}

const ProgramSection* FindProgramSection(std::string_view section) {
  for (const ProgramSection& row : kProgramSections) {
    if (Matches(row, section)) return &row;
  }
  return nullptr;
}

}  // namespace

const StructOpsSection* FindStructOpsSection(std::string_view section) {
  for (const StructOpsSection& row : kStructOpsSections) {
    if (row.name == section) return &row;
  }
  return nullptr;
}

bool ReadsStructOpsSection(LibbpfVersion version, std::string_view section) {
  const StructOpsSection* row = FindStructOpsSection(section);
  return row != nullptr && (!row->since || Has(version, *row->since));
}

bool CreatesStructOpsMap(LibbpfVersion version, const BpfMap& map) {
  const StructOpsSection* row = FindStructOpsSection(map.section);
  if (row == nullptr || row->autocreate) return true;
  // Before libbpf honoured autocreate for struct_ops maps it prepared every
  // one; a "?" section is only read by releases that honour it.
  return !Has(version, LibbpfFeature::kStructOpsAutocreate);
}

std::string ProgTypeFor(const BpfProgram& program, LibbpfVersion version) {
  const ProgramSection* row = FindProgramSection(program.section);
  if (row == nullptr) return program.prog_type;
  return Has(version, row->since) ? std::string(row->prog_type) : std::string();
}

std::optional<LibbpfFeature> SectionFeature(const BpfProgram& program) {
  const ProgramSection* row = FindProgramSection(program.section);
  if (row == nullptr) return std::nullopt;
  return row->since;
}

}  // namespace kcontract
