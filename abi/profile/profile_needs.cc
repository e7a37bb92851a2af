#include "abi/profile/profile_needs.h"

#include <bpf/btf.h>

#include <cstring>

#include "abi/libbpf/attach_target.h"
#include "absl/strings/str_format.h"
#include "btfdiff/base/text.h"
#include "btfdiff/model/btf.h"

namespace kcontract {
namespace {

constexpr size_t kMaxShownBytes = 16;

std::string HexBytes(const std::vector<uint8_t>& bytes) {
  std::string out;
  for (size_t i = 0; i < bytes.size() && i < kMaxShownBytes; ++i) {
    absl::StrAppendFormat(&out, "%s%02x", i == 0 ? "" : " ", bytes[i]);
  }
  if (bytes.size() > kMaxShownBytes) out += " ...";
  return out;
}

// A char array holding a printable, NUL-terminated string: that string.
std::optional<std::string> AsString(const Btf& btf, TypeId type,
                                    const std::vector<uint8_t>& bytes) {
  const btf_type* t = btf.Type(btf.SkipModsAndTypedefs(type));
  if (t == nullptr || !btf_is_array(t)) return std::nullopt;
  const btf_type* element = btf.Type(btf.SkipModsAndTypedefs(TypeId{btf_array(t)->type}));
  if (element == nullptr || !btf_is_int(element) || element->size != 1) return std::nullopt;
  size_t end = 0;
  while (end < bytes.size() && bytes[end] != 0) {
    if (bytes[end] < 0x20 || bytes[end] > 0x7e || bytes[end] == '"' || bytes[end] == '\\') {
      return std::nullopt;
    }
    ++end;
  }
  if (end == bytes.size()) return std::nullopt;  // no terminator
  return std::string(bytes.begin(), bytes.begin() + end);
}

LoaderRodata Describe(const Btf* btf, const RodataVariable& v) {
  LoaderRodata out;
  out.variable = &v;
  const std::vector<uint8_t>& bytes = v.initial;
  if (bytes.size() != v.size || bytes.empty()) {
    out.initial_text = "?";
    return out;
  }
  const btf_type* t = btf ? btf->Type(btf->SkipModsAndTypedefs(v.type)) : nullptr;
  bool integer = t != nullptr && (btf_is_int(t) || btf_is_any_enum(t)) &&
                 (v.size == 1 || v.size == 2 || v.size == 4 || v.size == 8);
  if (integer) {
    uint64_t value = 0;
    std::memcpy(&value, bytes.data(), v.size);  // little-endian hosts and objects
    bool is_signed = false;
    bool is_bool = false;
    if (btf_is_int(t)) {
      is_signed = btf_int_encoding(t) & BTF_INT_SIGNED;
      is_bool = btf_int_encoding(t) & BTF_INT_BOOL;
    } else {
      is_signed = btf_kflag(t);  // enums: kind_flag marks a signed enum
    }
    out.initial_unsigned = value;
    if (is_signed && v.size < 8 && (value >> (8 * v.size - 1)) & 1) {
      value |= ~uint64_t{0} << (8 * v.size);  // sign-extend
    }
    out.initial_signed = static_cast<int64_t>(value);
    if (is_bool && value <= 1) {
      out.initial_text = value ? "true" : "false";
    } else if (is_signed) {
      out.initial_text = absl::StrFormat("%d", *out.initial_signed);
    } else {
      out.initial_text = absl::StrFormat("%u", *out.initial_unsigned);
    }
    return out;
  }
  if (btf != nullptr) {
    if (std::optional<std::string> text = AsString(*btf, v.type, bytes)) {
      out.initial_text = "\"" + *text + "\"";
      return out;
    }
  }
  out.initial_text = HexBytes(bytes);
  return out;
}

}  // namespace

bool IsPlaceholderName(std::string_view target) {
  for (std::string_view word : {"dummy", "placeholder"}) {
    if (target == word) return true;
    if (target.size() > word.size() && target.starts_with(word) && target[word.size()] == '_') {
      return true;
    }
  }
  return false;
}

bool NeedsKernelForPlaceholders(const BpfObject& object) {
  for (const BpfProgram& program : object.programs) {
    std::optional<BtfAttach> attach = BtfAttachOf(program);
    if (attach && attach->kernel && !program.attach_target.empty()) return true;
  }
  return false;
}

ProfileNeeds FindProfileNeeds(const BpfObject& object, const KernelNameIndex* kernel,
                              const std::string& kernel_label) {
  ProfileNeeds needs;
  for (const BpfProgram& program : object.programs) {
    std::optional<BtfAttach> attach = BtfAttachOf(program);
    if (!attach) continue;
    AttachPlaceholder p{program.name, program.section, program.attach_target, ""};
    if (!attach->kernel) {
      p.reason = "freplace replaces a function of another BPF program, which only the loader "
                 "can give (bpf_program__set_attach_target with that program's fd); libbpf "
                 "refuses to load it otherwise";
    } else if (program.attach_target.empty()) {
      p.reason = "the section names no target: libbpf refuses to load the program unless the "
                 "loader sets one (bpf_program__set_attach_target)";
    } else {
      std::string wanted = KernelAttachName(*attach, program.attach_target);
      bool absent = kernel != nullptr && !kernel->Find(wanted, attach->btf_kind);
      bool named_like = IsPlaceholderName(program.attach_target);
      if (!absent && !named_like) continue;
      std::string where =
          absent ? absl::StrFormat("not in %s (no %s '%s')", kernel_label,
                                   KindName(attach->btf_kind), PrintableName(wanted))
                 : "";
      if (named_like) {
        p.reason = absl::StrFormat("named like a placeholder%s: the loader sets the real target "
                                   "at run time, or turns the program off",
                                   absent ? " and " + where : "");
      } else {
        p.reason = absl::StrFormat("%s: the loader turns the program off or sets a target the "
                                   "kernel has",
                                   where);
      }
    }
    needs.placeholders.push_back(std::move(p));
  }
  for (const RodataVariable& v : object.rodata) {
    if (!v.const_volatile || v.read_by.empty()) continue;
    needs.rodata.push_back(Describe(object.btf.get(), v));
  }
  return needs;
}

void AddProfileCoverage(const ObjectProfile* entry, const std::string& label,
                        ProfileNeeds* needs) {
  if (entry == nullptr) return;
  needs->profile = label;
  for (AttachPlaceholder& p : needs->placeholders) {
    const AttachSetting* attach = entry->FindAttach(p.program);
    if (entry->AutoloadOff(p.program)) {
      p.profile_says = "turned off";
    } else if (attach != nullptr && attach->target) {
      p.profile_says = absl::StrFormat("target set to '%s'", *attach->target);
    } else if (attach != nullptr) {
      p.profile_says = "target set at run time (unknown)";
    } else {
      p.profile_says = "nothing: libbpf loads it with the section's target";
    }
  }
  for (LoaderRodata& r : needs->rodata) {
    const RodataSetting* setting = entry->FindRodata(r.variable->name);
    if (setting == nullptr) {
      r.profile_says = "nothing: the initial value stays";
    } else if (!setting->value) {
      r.profile_says = "set at run time (unknown)";
    } else if (r.initial_signed) {
      // A signed variable: the profile's value as the bytes the loader writes.
      int64_t value = static_cast<int64_t>(*setting->value);
      if (r.variable->size < 8) {
        unsigned shift = 64 - 8 * r.variable->size;
        value = static_cast<int64_t>(*setting->value << shift) >> shift;
      }
      r.profile_says = absl::StrFormat("set to %d", value);
    } else {
      r.profile_says = absl::StrFormat("set to %d", *setting->value);
    }
  }
}

}  // namespace kcontract
