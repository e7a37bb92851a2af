#include "abi/revision/revision_tags.h"

#include <bpf/btf.h>

#include <algorithm>
#include <optional>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "btfdiff/base/text.h"

namespace kcontract {
namespace {

// Bounds on what an untrusted tag may hold.
constexpr size_t kMaxNameLength = 128;
constexpr size_t kMaxCandidates = 32;
constexpr size_t kMaxKfuncsPerCandidate = 8;

bool IsIdentifier(std::string_view s) {
  if (s.empty() || s.size() > kMaxNameLength || (s[0] >= '0' && s[0] <= '9')) return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  });
}

// Revision names as contracts write them: "rfc-v4", "6.13",
// "6.12.111+deb12-amd64" (a release).
bool IsRevisionName(std::string_view s) {
  if (s.empty() || s.size() > kMaxNameLength) return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '_' || c == '.' || c == '-' || c == '+';
  });
}

// Where a variable lives: the DATASEC that lists it.
struct Placement {
  std::string_view section;
  uint32_t offset = 0;
  uint32_t size = 0;
};

absl::flat_hash_map<uint32_t, Placement> PlaceVariables(const Btf& btf) {
  absl::flat_hash_map<uint32_t, Placement> placed;
  for (TypeId sec : btf.IdsOfKind(BTF_KIND_DATASEC)) {
    const btf_type* t = btf.Type(sec);
    const btf_var_secinfo* vars = btf_var_secinfos(t);
    for (uint16_t i = 0; i < btf_vlen(t); ++i) {
      placed.emplace(vars[i].type, Placement{btf.Name(sec), vars[i].offset, vars[i].size});
    }
  }
  return placed;
}

std::optional<KfuncRef> ParseKfuncRef(std::string_view text) {
  KfuncRef ref;
  size_t at = text.find('@');
  ref.name = std::string(text.substr(0, at));
  if (!IsIdentifier(ref.name)) return std::nullopt;
  if (at != std::string_view::npos) {
    ref.revision = std::string(text.substr(at + 1));
    if (!IsRevisionName(ref.revision)) return std::nullopt;
  }
  return ref;
}

// "a&b@r,c" -> candidates; nullopt when any part is malformed.
std::optional<std::vector<KfuncCandidate>> ParseCandidates(std::string_view text) {
  std::vector<KfuncCandidate> candidates;
  for (std::string_view part : SplitView(text, ',')) {
    if (candidates.size() == kMaxCandidates) return std::nullopt;
    KfuncCandidate candidate;
    for (std::string_view kfunc : SplitView(part, '&')) {
      if (candidate.kfuncs.size() == kMaxKfuncsPerCandidate) return std::nullopt;
      std::optional<KfuncRef> ref = ParseKfuncRef(kfunc);
      if (!ref) return std::nullopt;
      candidate.kfuncs.push_back(std::move(*ref));
    }
    candidates.push_back(std::move(candidate));
  }
  return candidates;
}

class TagReader {
 public:
  explicit TagReader(const Btf& btf) : btf_(btf), placed_(PlaceVariables(btf)) {}

  RevisionTags Read() {
    for (TypeId id : btf_.IdsOfKind(BTF_KIND_DECL_TAG)) {
      std::string_view text = btf_.Name(id);
      if (Starts(text, kStructOpsRevisionTagPrefix)) {
        ReadStructOpsTag(id, text);
      } else if (Starts(text, kKfuncChoiceTagPrefix)) {
        ReadSlotTag(id, text, kKfuncChoiceTagPrefix, /*required=*/true);
      } else if (Starts(text, kKfuncOptionalTagPrefix)) {
        ReadSlotTag(id, text, kKfuncOptionalTagPrefix, /*required=*/false);
      } else if (Starts(text, kProgramIfTagPrefix)) {
        ReadGateTag(id, text, kProgramIfTagPrefix, /*when_chosen=*/true);
      } else if (Starts(text, kProgramUnlessTagPrefix)) {
        ReadGateTag(id, text, kProgramUnlessTagPrefix, /*when_chosen=*/false);
      }
    }
    return std::move(tags_);
  }

 private:
  static bool Starts(std::string_view text, std::string_view prefix) {
    return text.substr(0, prefix.size()) == prefix;
  }

  void Warn(TypeId id, std::string_view text, std::string_view problem) {
    tags_.warnings.push_back(
        TagWarning{PrintableName(text.substr(0, 200)),
                   absl::StrFormat("tag (BTF type [%d]) %s: ignored", id.value, problem)});
  }

  // The tagged variable and its placement; nullopt (with a warning) when the
  // tag is not on a whole variable listed in a data section.
  std::optional<std::pair<TypeId, Placement>> TaggedVariable(TypeId id, std::string_view text) {
    const btf_type* tag = btf_.Type(id);
    TypeId var{tag->type};
    if (btf_.Kind(var) != BTF_KIND_VAR) {
      Warn(id, text, absl::StrFormat("is on a %s, not on a variable", KindName(btf_.Kind(var))));
      return std::nullopt;
    }
    if (btf_decl_tag(tag)->component_idx != -1) {
      Warn(id, text, "is on a member, not on a whole variable");
      return std::nullopt;
    }
    auto placed = placed_.find(var.value);
    if (placed == placed_.end()) {
      Warn(id, text, "is on a variable no data section lists");
      return std::nullopt;
    }
    return std::make_pair(var, placed->second);
  }

  void ReadStructOpsTag(TypeId id, std::string_view text) {
    auto var = TaggedVariable(id, text);
    if (!var) return;
    std::string_view section = var->second.section;
    if (section != ".struct_ops" && section != ".struct_ops.link") {
      Warn(id, text,
           absl::StrFormat("is on a variable in section %s, not a struct_ops map",
                           PrintableName(section)));
      return;
    }
    std::string_view value = text.substr(kStructOpsRevisionTagPrefix.size());
    size_t at = value.find('@');
    StructOpsRevisionTag tag;
    tag.map = std::string(btf_.Name(var->first));
    tag.interface = std::string(value.substr(0, at));
    tag.revision = at == std::string_view::npos ? "" : std::string(value.substr(at + 1));
    if (!IsIdentifier(tag.interface) || !IsRevisionName(tag.revision)) {
      Warn(id, text, "is not \"kcontract:revision=<struct_ops type>@<revision>\"");
      return;
    }
    TypeId table = btf_.SkipModsAndTypedefs(TypeId{btf_.Type(var->first)->type});
    if (btf_.Kind(table) != BTF_KIND_STRUCT || btf_.Name(table) != tag.interface) {
      Warn(id, text,
           absl::StrFormat("names %s, but map %s is a 'struct %s'", tag.interface,
                           PrintableName(tag.map), PrintableName(btf_.Name(table))));
      return;
    }
    tags_.struct_ops.push_back(std::move(tag));
  }

  void ReadSlotTag(TypeId id, std::string_view text, std::string_view prefix, bool required) {
    auto var = TaggedVariable(id, text);
    if (!var) return;
    const Placement& placement = var->second;
    if (placement.section.substr(0, 7) != ".rodata") {
      Warn(id, text,
           absl::StrFormat("is on a variable in section %s; a slot is a const volatile int in "
                           ".rodata",
                           PrintableName(placement.section)));
      return;
    }
    TypeId type = btf_.SkipModsAndTypedefs(TypeId{btf_.Type(var->first)->type});
    if (btf_.Kind(type) != BTF_KIND_INT || btf_.Type(type)->size != 4 || placement.size != 4) {
      Warn(id, text, "is on a variable that is not a 4-byte int");
      return;
    }
    std::optional<std::vector<KfuncCandidate>> candidates =
        ParseCandidates(text.substr(prefix.size()));
    if (!candidates) {
      Warn(id, text,
           "does not list candidates as \"kfunc[@revision][&kfunc...][,...]\" (at most 32, of at "
           "most 8 kfuncs)");
      return;
    }
    KfuncSlot slot;
    slot.variable = std::string(btf_.Name(var->first));
    slot.name = Starts(slot.variable, kKfuncSlotVariablePrefix)
                    ? slot.variable.substr(kKfuncSlotVariablePrefix.size())
                    : slot.variable;
    slot.section = std::string(placement.section);
    slot.offset = placement.offset;
    slot.size = placement.size;
    slot.required = required;
    slot.candidates = std::move(*candidates);
    tags_.kfunc_slots.push_back(std::move(slot));
  }

  // On the program's function as a whole; the plan checks that it is one.
  void ReadGateTag(TypeId id, std::string_view text, std::string_view prefix, bool when_chosen) {
    const btf_type* tag = btf_.Type(id);
    TypeId func{tag->type};
    if (btf_.Kind(func) != BTF_KIND_FUNC) {
      Warn(id, text, absl::StrFormat("is on a %s, not on a program", KindName(btf_.Kind(func))));
      return;
    }
    if (btf_decl_tag(tag)->component_idx != -1) {
      Warn(id, text, "is on a parameter, not on the program");
      return;
    }
    ProgramGateTag gate;
    gate.program = std::string(btf_.Name(func));
    gate.slot = std::string(text.substr(prefix.size()));
    gate.when_chosen = when_chosen;
    if (!IsIdentifier(gate.slot)) {
      Warn(id, text, "does not name a slot (an identifier)");
      return;
    }
    tags_.program_gates.push_back(std::move(gate));
  }

  const Btf& btf_;
  absl::flat_hash_map<uint32_t, Placement> placed_;
  RevisionTags tags_;
};

}  // namespace

std::string KfuncRef::Text() const {
  return revision.empty() ? name : name + "@" + revision;
}

std::string KfuncCandidate::Text() const {
  return absl::StrJoin(kfuncs, "&",
                       [](std::string* out, const KfuncRef& ref) { out->append(ref.Text()); });
}

std::string KfuncSlot::CandidatesText() const {
  return absl::StrJoin(candidates, ", ", [](std::string* out, const KfuncCandidate& candidate) {
    out->append(candidate.Text());
  });
}

RevisionTags ReadRevisionTags(const Btf& btf) { return TagReader(btf).Read(); }

}  // namespace kcontract
