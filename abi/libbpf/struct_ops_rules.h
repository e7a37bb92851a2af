// libbpf's struct_ops rules, for one release (libbpf_version.h): which
// struct_ops maps it reads and creates (section_rules.h), what it refuses
// when it opens the object (a map member pointing to a program that is not
// a struct_ops program; before 1.4, one program used through two local
// types or members), each created map against the kernel's type (its name,
// flavours from 1.4; its registration; its members, zero ones the kernel
// lacks skipped from 1.4; the callbacks' prototypes), a BPF_F_LINK map on a
// kernel before 6.4, and the struct_ops programs it loads bound to no map.
#ifndef KCONTRACT_ABI_LIBBPF_STRUCT_OPS_RULES_H_
#define KCONTRACT_ABI_LIBBPF_STRUCT_OPS_RULES_H_

#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "abi/finding/finding.h"
#include "abi/libbpf/libbpf_check.h"
#include "abi/libbpf/libbpf_version.h"
#include "abi/object/bpf_object.h"

namespace kcontract {

// A struct_ops program libbpf loads that no map it reads uses: the kernel
// refuses it (before 1.5) or libbpf does (1.5 and later). The subject is
// the program.
inline constexpr std::string_view kStructOpsUnboundCode = "struct-ops-unbound";
// A map member pointing to a program libbpf does not take for a struct_ops
// program (its section gives another type, or none in this release).
inline constexpr std::string_view kStructOpsProgramTypeCode = "struct-ops-program-type";
// One program serving maps libbpf cannot tie it to together.
inline constexpr std::string_view kStructOpsSharedProgramCode = "struct-ops-shared-program";
// A map of a ".link" section on a kernel that takes no BPF_F_LINK.
inline constexpr std::string_view kStructOpsLinkCode = "struct-ops-link";

// What a release leaves out of the object as shipped: the struct_ops maps
// it does not create (those of "?" sections, from 1.4) and the programs
// only such maps use (it turns their autoload off: no relocation, no load).
struct StructOpsLeftOut {
  std::set<std::string> maps;
  std::set<std::string> programs;
};
StructOpsLeftOut StructOpsLeftOutBy(const BpfObject& object, LibbpfVersion version);

// The refusals of bpf_object__open, in its order; stage kOpen. Needs the
// object's BTF (none without it).
std::vector<Finding> CheckStructOpsOpen(const BpfObject& object, LibbpfVersion version);

// Each map the release reads and creates, against the kernel (stage
// kStructOps), then the programs bound to no map.
std::vector<Finding> CheckStructOpsMaps(const BpfObject& object, const CheckTarget& target,
                                        LibbpfVersion version);

}  // namespace kcontract

#endif  // KCONTRACT_ABI_LIBBPF_STRUCT_OPS_RULES_H_
