#include "btfdiff/diff/caller_memory.h"

#include <algorithm>
#include <cctype>
#include <optional>
#include <vector>

#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "btfdiff/model/c_decl.h"

namespace kcontract {
namespace {

Classification Make(Compatibility compatibility, std::string reason, bool conditional = false) {
  Classification c;
  c.compatibility = compatibility;
  c.reason = std::move(reason);
  c.conditional = conditional;
  return c;
}

std::string Upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

struct SizeConstant {
  std::string name;
  int64_t value = 0;
};

// The enumerator naming `struct_name`'s size, `size` bytes, in `btf`.
std::optional<SizeConstant> FindSizeConstant(const Btf& btf, std::string_view struct_name,
                                             uint64_t size) {
  const std::string wanted = Upper(struct_name);
  for (TypeId id : btf.IdsOfKind(BTF_KIND_ENUM)) {
    const btf_type* t = btf.Type(id);
    const struct btf_enum* values = btf_enum(t);
    for (uint16_t i = 0; i < btf_vlen(t); ++i) {
      std::string_view name = btf.String(values[i].name_off);
      if (name.find(wanted) == std::string_view::npos) continue;
      if (!EndsWith(name, "_SZ") && !EndsWith(name, "_SIZE")) continue;
      if (values[i].val < 0 || static_cast<uint64_t>(values[i].val) != size) continue;
      return SizeConstant{std::string(name), values[i].val};
    }
  }
  return std::nullopt;
}

// "bytes 10..11" (inclusive), "byte 12"
std::string ByteRange(uint64_t offset, uint64_t length) {
  if (length <= 1) return absl::StrFormat("byte %u", offset);
  return absl::StrFormat("bytes %u..%u", offset, offset + length - 1);
}

std::string SizedBy(const CallerMemory& memory) {
  return absl::StrFormat("%s's %s", memory.kfunc, memory.size_param);
}

}  // namespace

std::string CallerMemory::User() const { return absl::StrFormat("%s argument %u", kfunc, argument); }

bool IsReservedName(std::string_view name) {
  // Words between underscores and digits: "__pad1", "reserved2", but not
  // "ipaddr".
  std::string word;
  auto reserved_word = [&] {
    return word == "reserved" || word == "rsvd" || word == "resv" || word == "pad" ||
           word == "padding" || word == "unused";
  };
  for (char c : name) {
    if (std::isalpha(static_cast<unsigned char>(c))) {
      word += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      continue;
    }
    if (reserved_word()) return true;
    word.clear();
  }
  return reserved_word();
}

std::string SizeConstantChange(const Btf& old_btf, const Btf& new_btf,
                               std::string_view struct_name, uint64_t old_size,
                               uint64_t new_size) {
  std::optional<SizeConstant> o = FindSizeConstant(old_btf, struct_name, old_size);
  std::optional<SizeConstant> n = FindSizeConstant(new_btf, struct_name, new_size);
  if (o && n && o->name == n->name) {
    return absl::StrFormat("%s %d -> %d", o->name, o->value, n->value);
  }
  if (n) return absl::StrFormat("%s %d", n->name, n->value);
  return "";
}

Classification ClassifyCallerSizeChange(std::string_view type_name, uint64_t old_size,
                                        uint64_t new_size, const CallerMemory& memory,
                                        std::string_view size_constant) {
  std::string constant =
      size_constant.empty() ? "" : absl::StrFormat(" (the kernels' %s)", size_constant);
  if (memory.owner == MemoryOwner::kProgramSized) {
    if (new_size > old_size) {
      return Make(Compatibility::kCompatible,
                  absl::StrFormat(
                      "callers pass the size of %s in %s: a program built for %u bytes passes "
                      "%u and provides only those, so it keeps working if the kernel still "
                      "accepts %u; which sizes it accepts is in its code, not in BTF%s",
                      type_name, SizedBy(memory), old_size, old_size, old_size, constant),
                  /*conditional=*/true);
    }
    return Make(Compatibility::kNeedsReview,
                absl::StrFormat(
                    "callers pass the size of %s in %s: a program built for %u bytes passes %u, "
                    "more than the kernel's %u now; whether it refuses the size or ignores the "
                    "rest is in its code, not in BTF%s",
                    type_name, SizedBy(memory), old_size, old_size, new_size, constant));
  }
  if (new_size < old_size) {
    return Make(Compatibility::kCompatible,
                absl::StrFormat("callers of %s provide the memory and now pass more than the "
                                "kernel reads",
                                memory.User()));
  }
  return Make(Compatibility::kBreaking,
              absl::StrFormat("callers of %s provide this memory and pass no size: the verifier "
                              "now requires %u bytes for it, and programs built for %u bytes are "
                              "rejected or hand the kernel bytes they never set",
                              memory.User(), new_size, old_size));
}

Classification ClassifyCallerMemberChange(const MemberChange& change, const NamedTypeDiff& diff,
                                          const TypeComparison& comparison,
                                          const CallerMemory& memory) {
  const bool sized = memory.owner == MemoryOwner::kProgramSized;
  switch (change.kind) {
    case MemberChangeKind::kAdded: {
      const FlatMember& m = *change.new_member;
      const uint64_t offset = m.bit_offset / 8;
      const uint64_t length = (change.new_bits + 7) / 8;
      if (offset >= diff.old_size) {
        if (sized) {
          return Make(Compatibility::kCompatible,
                      absl::StrFormat("after the old end (offset %u >= %u bytes): callers built "
                                      "for the old layout pass %u in %s and provide none of it; "
                                      "the kernel must read it only from callers passing more, "
                                      "which is in its code, not in BTF",
                                      offset, diff.old_size, diff.old_size, SizedBy(memory)),
                      /*conditional=*/true);
        }
        return Make(Compatibility::kCompatible,
                    absl::StrFormat("after the old end (offset %u >= %u bytes): no byte callers "
                                    "write moves (the size change says what they must provide)",
                                    offset, diff.old_size));
      }
      // Inside the old layout: what did callers built for it put there?
      std::vector<std::string> reserved;
      std::vector<std::string> taken;
      for (const MemberChange& other : diff.members) {
        if (!other.old_member) continue;
        const uint64_t o_off = other.old_member->bit_offset / 8;
        const uint64_t o_len = (other.old_bits + 7) / 8;
        if (o_off >= offset + length || o_off + o_len <= offset) continue;
        std::string declaration = CDeclaration(comparison.old_btf(), other.old_member->type,
                                               other.old_member->name);
        std::vector<std::string>& into = IsReservedName(other.old_member->name) ? reserved : taken;
        // A member both moved and resized is two changes, one member.
        if (std::find(into.begin(), into.end(), declaration) == into.end()) {
          into.push_back(std::move(declaration));
        }
      }
      if (!taken.empty()) {
        return Make(Compatibility::kBreaking,
                    absl::StrFormat("takes %s, where callers built for the old layout write %s: "
                                    "the kernel reads their %s as %s",
                                    ByteRange(offset, length), absl::StrJoin(taken, ", "),
                                    absl::StrJoin(taken, ", "), m.name));
      }
      if (!reserved.empty()) {
        return Make(Compatibility::kCompatible,
                    absl::StrFormat("takes %s, reserved in the old layout (%s): callers built "
                                    "for it leave them zero, so zero must mean what the old "
                                    "kernel did, which is in the kernel's code, not in BTF",
                                    ByteRange(offset, length), absl::StrJoin(reserved, ", ")),
                    /*conditional=*/true);
      }
      return Make(Compatibility::kNeedsReview,
                  absl::StrFormat("takes %s, padding in the old layout: callers built for it may "
                                  "leave anything there",
                                  ByteRange(offset, length)));
    }
    case MemberChangeKind::kRemoved: {
      const FlatMember& m = *change.old_member;
      if (IsReservedName(m.name)) {
        return Make(Compatibility::kCompatible,
                    "reserved bytes: callers built for the old layout left them zero");
      }
      return Make(Compatibility::kBreaking,
                  absl::StrFormat("callers built for the old layout set %s at offset %u; the "
                                  "kernel no longer reads it",
                                  m.name, m.bit_offset / 8));
    }
    case MemberChangeKind::kMoved:
    case MemberChangeKind::kResized: {
      const FlatMember& om = *change.old_member;
      const FlatMember& nm = *change.new_member;
      if (IsReservedName(om.name)) {
        return Make(Compatibility::kCompatible,
                    "reserved bytes: callers built for the old layout left them zero, wherever "
                    "and however long they were");
      }
      if (change.kind == MemberChangeKind::kMoved) {
        return Make(Compatibility::kBreaking,
                    absl::StrFormat("callers compile the old layout in (the memory is theirs; "
                                    "no CO-RE relocates it): they write %s at offset %u, the "
                                    "kernel reads it at %u",
                                    om.name, om.bit_offset / 8, nm.bit_offset / 8));
      }
      return Make(Compatibility::kBreaking,
                  absl::StrFormat("callers built for the old layout write %u bits of %s; the "
                                  "kernel reads %u",
                                  change.old_bits, om.name, change.new_bits));
    }
    case MemberChangeKind::kRetyped: {
      std::string what = absl::StrFormat("member %s", change.old_member->name);
      ChangedRef ref{comparison.old_btf(), change.old_member->type, comparison.new_btf(),
                     change.new_member->type, change.types};
      // The program writes the member, the kernel reads it: an argument's rules.
      return ClassifyTypeChange(TypeUse::kKfuncArgument, what, ref);
    }
  }
  return Make(Compatibility::kNeedsReview, "");
}

}  // namespace kcontract
