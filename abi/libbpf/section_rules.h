// Which ELF sections a libbpf release reads, and how: the sections of
// struct_ops maps (".struct_ops" in every release, ".struct_ops.link" from
// 1.2, the optional "?.struct_ops" and "?.struct_ops.link" from 1.4) and
// the program sections whose names only later releases give a program type.
#ifndef KCONTRACT_ABI_LIBBPF_SECTION_RULES_H_
#define KCONTRACT_ABI_LIBBPF_SECTION_RULES_H_

#include <optional>
#include <string>
#include <string_view>

#include "abi/libbpf/libbpf_version.h"
#include "abi/object/bpf_object.h"

namespace kcontract {

// A section struct_ops maps can be in.
struct StructOpsSection {
  std::string_view name;  // ".struct_ops.link"
  // The release that reads it (nullopt: every release kcontract models).
  std::optional<LibbpfFeature> since;
  bool link = false;        // maps created with BPF_F_LINK (kernels >= 6.4)
  bool autocreate = true;   // false: "?" sections, created only when the loader says so
};

// The section's row; nullptr for a section no release reads maps from.
const StructOpsSection* FindStructOpsSection(std::string_view section);

// Whether `version` reads struct_ops maps from `section`.
bool ReadsStructOpsSection(LibbpfVersion version, std::string_view section);

// Whether `version` creates the map as shipped (before the loader changes
// autocreate): false for a map of a "?" section; and what a release that
// does not read the section does with it is not this question.
bool CreatesStructOpsMap(LibbpfVersion version, const BpfMap& map);

// The program type `version` gives the program's section, libbpf's name
// ("struct_ops", "tracing", ...; "" for none). The object reader asked the
// libbpf kcontract is linked against; a section a later release added
// ("struct_ops.s/..." in 1.2) is told here for any release.
std::string ProgTypeFor(const BpfProgram& program, LibbpfVersion version);

// The feature that gives the program's section a type, when only some
// releases know it (nullopt: every modelled release, or none, does).
std::optional<LibbpfFeature> SectionFeature(const BpfProgram& program);

}  // namespace kcontract

#endif  // KCONTRACT_ABI_LIBBPF_SECTION_RULES_H_
