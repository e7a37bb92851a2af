// libbpf's refusals of an object itself, whatever the kernel, for one
// release (libbpf_version.h): what bpf_object__open refuses (the byte order
// before 1.5, legacy map definitions, static programs, an object without the
// BTF it needs, struct_ops maps tying programs it cannot tie:
// struct_ops_rules.h) and the programs it refuses
// to prepare for loading before any kernel sees them (no program type; an
// freplace program whose target program only the loader can give). Each is
// a finding at stage kOpen (but for an freplace section naming no function,
// which libbpf refuses in the words, and so at the stage, of a kernel
// program without an attach target: kAttach) with effect kLibbpfRejects, whose message says libbpf's reason in plain words and
// quotes libbpf's own message, so that users can find it in their loader's
// log.
#ifndef KCONTRACT_ABI_LIBBPF_OPEN_RULES_H_
#define KCONTRACT_ABI_LIBBPF_OPEN_RULES_H_

#include <string_view>
#include <vector>

#include "abi/finding/finding.h"
#include "abi/libbpf/libbpf_version.h"
#include "abi/object/bpf_object.h"

namespace kcontract {

// The object is big-endian (bpfeb): libbpf before 1.5 opens objects of the
// host's byte order only, later releases open it and refuse to load it.
inline constexpr std::string_view kOpenByteOrderCode = "byte-order";
// A "maps" section: map definitions libbpf 1.x no longer reads.
inline constexpr std::string_view kOpenLegacyMapsCode = "legacy-maps";
// A static (STB_LOCAL) function in a program section.
inline constexpr std::string_view kOpenStaticProgramCode = "static-program";
// A program whose section names no program type libbpf knows. Like the
// freplace rules, libbpf applies it when it prepares each program's load,
// after relocation: these findings are at stage attach, so an earlier
// stage's refusal (an extern, a relocation) is the one a load meets.
inline constexpr std::string_view kOpenNoProgTypeCode = "no-prog-type";
// An freplace program whose target only the loader can give, and a load
// profile does not say it does (BpfProgram::attach_target_set_by_loader).
// The subject is the program's name, as a load profile names it.
inline constexpr std::string_view kOpenAttachTargetUnsetCode = "attach-target-unset";
// An freplace program naming a function of another BPF program, which only
// the loader can give (its fd): libbpf refuses it when preparing the load.
inline constexpr std::string_view kOpenAttachProgramUnsetCode = "attach-program-unset";
// No .BTF, but sections or externs only BTF describes.
inline constexpr std::string_view kOpenBtfRequiredCode = "btf-required";

// The findings, in the order libbpf meets them; for a big-endian object only
// the byte order (libbpf reads nothing else of it). Programs whose autoload
// is off are not prepared by libbpf, so only their being static counts.
// `version`: the release judged (default: the one kcontract is linked against).
std::vector<Finding> CheckOpenRules(const BpfObject& object,
                                    LibbpfVersion version = LinkedLibbpf().rules());

}  // namespace kcontract

#endif  // KCONTRACT_ABI_LIBBPF_OPEN_RULES_H_
