// Reporters for BPF objects (`kcontract object show`): the BpfObject model
// rendered as terse text (bpftool's manners) or JSON.
#ifndef KCONTRACT_ABI_REPORT_OBJECT_REPORT_H_
#define KCONTRACT_ABI_REPORT_OBJECT_REPORT_H_

#include <memory>
#include <string>
#include <vector>

#include "abi/object/bpf_object.h"
#include "abi/profile/profile_needs.h"
#include "abi/report/output_format.h"

namespace kcontract {

// Bumped whenever a JSON field changes meaning or disappears.
inline constexpr int kObjectJsonVersion = 1;

// Text: one block per object, with a "needs libbpf >= 1.3: ..." line (the
// oldest libbpf that loads it, abi/libbpf/libbpf_requirement.h); JSON:
// {"format_version", "tool", "version", "objects": [...]}, "libbpf_min"
// per object.
// Warnings appear in the JSON only; the CLI prints them on stderr. `needs`
// (one per object, or empty) adds what a load profile would need to say:
// "placeholder" and "rodata" lines, "attach_placeholders" and
// "loader_rodata" in JSON.
std::string RenderObjects(const std::vector<std::unique_ptr<BpfObject>>& objects,
                          OutputFormat format, const std::vector<ProfileNeeds>& needs = {});

}  // namespace kcontract

#endif  // KCONTRACT_ABI_REPORT_OBJECT_REPORT_H_
