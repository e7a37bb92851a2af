// The revisions a BPF object says it supports, as the shims record them in
// its BTF (shims/kcontract/struct_ops_revisions.h, kfunc_revisions.h):
//   "kcontract:revision=<interface>@<revision>"  on a struct_ops map's variable;
//   "kcontract:kfunc_choice=<candidates>"          on a `const volatile int` slot
//   "kcontract:kfunc_optional=<candidates>"        in .rodata, which the loader
//                                                  fills with a candidate's index;
//   "kcontract:program_if=<slot>"                  on a program (its FUNC): loaded only
//   "kcontract:program_unless=<slot>"              when the slot got a candidate / got none.
// <candidates> is a ','-separated list, best first; a candidate is one or more
// kfuncs joined by '&', each "<name>" or "<name>@<revision>" (revision names
// may hold '+', as releases do: "6.12.111+deb12-amd64"). The object's BTF
// is untrusted: a tag that is not exactly that shape is reported, never used.
#ifndef KCONTRACT_ABI_REVISION_REVISION_TAGS_H_
#define KCONTRACT_ABI_REVISION_REVISION_TAGS_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "btfdiff/model/btf.h"

namespace kcontract {

inline constexpr std::string_view kStructOpsRevisionTagPrefix = "kcontract:revision=";
inline constexpr std::string_view kKfuncChoiceTagPrefix = "kcontract:kfunc_choice=";
inline constexpr std::string_view kKfuncOptionalTagPrefix = "kcontract:kfunc_optional=";
inline constexpr std::string_view kProgramIfTagPrefix = "kcontract:program_if=";
inline constexpr std::string_view kProgramUnlessTagPrefix = "kcontract:program_unless=";
// What KC_KFUNC_CHOICE(slot, ...) names the slot's variable: prefix + slot.
inline constexpr std::string_view kKfuncSlotVariablePrefix = "__kcontract_kfunc_";

// One revision of a callback table the object implements: a struct_ops map.
struct StructOpsRevisionTag {
  std::string map;        // the map (its variable's name)
  std::string interface;  // "bpf_thp_ops"
  std::string revision;   // "v9"
};

// A kfunc a candidate needs: any revision of it, or the one named.
struct KfuncRef {
  std::string name;      // "bpf_lookup_user_key"
  std::string revision;  // "s32-serial"; "" for any
  std::string Text() const;  // "name" or "name@revision"
};

struct KfuncCandidate {
  std::vector<KfuncRef> kfuncs;  // all needed
  std::string Text() const;      // "a&b@rev"
};

// A slot the loader fills with the index of the first candidate the kernel
// provides, or -1.
struct KfuncSlot {
  std::string name;      // "task_lookup" (the variable without its prefix)
  std::string variable;  // "__kcontract_kfunc_task_lookup"
  std::string section;   // ".rodata" (the global-data map libbpf makes of it)
  uint32_t offset = 0;   // of the variable in the section
  uint32_t size = 0;     // always 4: an int
  bool required = true;  // kfunc_choice; false for kfunc_optional
  std::vector<KfuncCandidate> candidates;
  std::string CandidatesText() const;  // "a, b&c"
};

// A program the loader loads only when a slot got a candidate
// (KC_PROGRAM_IF), or only when it got none (KC_PROGRAM_UNLESS).
struct ProgramGateTag {
  std::string program;       // the tagged FUNC's name
  std::string slot;          // KfuncSlot::name
  bool when_chosen = true;   // program_if; false for program_unless
};

// A tag that cannot be used, and why.
struct TagWarning {
  std::string tag;      // the tag's text (or the map it names), printable
  std::string message;  // "(BTF type [10]) is on a variable in section .bss, ...: ignored"
};

struct RevisionTags {
  std::vector<StructOpsRevisionTag> struct_ops;  // in BTF order
  std::vector<KfuncSlot> kfunc_slots;            // in BTF order
  std::vector<ProgramGateTag> program_gates;     // in BTF order
  std::vector<TagWarning> warnings;
  bool empty() const {
    return struct_ops.empty() && kfunc_slots.empty() && program_gates.empty();
  }
};

RevisionTags ReadRevisionTags(const Btf& btf);

}  // namespace kcontract

#endif  // KCONTRACT_ABI_REVISION_REVISION_TAGS_H_
