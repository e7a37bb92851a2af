#include "btfdiff/model/btf_validate.h"

#include <linux/btf.h>

#include <optional>
#include <string_view>
#include <vector>

#include "absl/strings/str_format.h"

namespace kcontract {
namespace {

std::string_view KindText(uint32_t kind) {
  static constexpr std::string_view kNames[] = {
      "UNKNOWN", "INT",        "PTR", "ARRAY",   "STRUCT", "UNION",    "ENUM",
      "FWD",     "TYPEDEF",    "VOLATILE", "CONST", "RESTRICT", "FUNC",
      "FUNC_PROTO", "VAR",     "DATASEC", "FLOAT", "DECL_TAG", "TYPE_TAG", "ENUM64"};
  return kind < std::size(kNames) ? kNames[kind] : "UNKNOWN";
}

class Validator {
 public:
  Validator(const struct btf* btf, const struct btf* base)
      : btf_(btf),
        first_id_(base == nullptr ? 1 : btf__type_cnt(base)),
        end_id_(btf__type_cnt(btf)) {
    // Strings: the base's, then this blob's own (btf__str_by_offset knows
    // where they end; the header says how long the own part is).
    uint32_t raw_size = 0;
    const auto* header = static_cast<const btf_header*>(btf__raw_data(btf, &raw_size));
    own_strings_ = header != nullptr ? header->str_len : 0;
    if (base != nullptr) {
      uint32_t base_size = 0;
      const auto* base_header = static_cast<const btf_header*>(btf__raw_data(base, &base_size));
      base_strings_ = base_header != nullptr ? base_header->str_len : 0;
    }
  }

  std::string Run() {
    if (end_id_ - 1 > kMaxBtfTypes) {
      return absl::StrFormat("%d types, more than the %d a kernel allows", end_id_ - 1,
                             kMaxBtfTypes);
    }
    if (uint64_t{base_strings_} + own_strings_ > kMaxBtfStringBytes) {
      return absl::StrFormat("%d bytes of strings, more than the %d a kernel allows",
                             uint64_t{base_strings_} + own_strings_, kMaxBtfStringBytes);
    }
    for (uint32_t id = first_id_; id < end_id_; ++id) {
      std::string error = CheckType(id, btf__type_by_id(btf_, id));
      if (!error.empty()) return Describe(id, error);
    }
    if (std::optional<uint32_t> id = FindValueCycle()) {
      return Describe(*id, "contains itself (through members, array elements, typedefs or "
                           "modifiers, with no pointer between)");
    }
    return "";
  }

 private:
  std::string Describe(uint32_t id, std::string_view error) const {
    const btf_type* t = btf__type_by_id(btf_, id);
    const char* name = btf__str_by_offset(btf_, t->name_off);
    return absl::StrFormat("type [%d] %s%s%s: %s", id, KindText(btf_kind(t)),
                           name != nullptr && *name != '\0' ? " " : "",
                           name != nullptr ? name : "", error);
  }

  // The types a type holds by value: what its size is made of.
  // The types `t` holds by value: how many, and the i-th. Read in place, so
  // the search below allocates nothing per type.
  static uint32_t ValueEdgeCount(const btf_type* t) {
    switch (btf_kind(t)) {
      case BTF_KIND_TYPEDEF:
      case BTF_KIND_VOLATILE:
      case BTF_KIND_CONST:
      case BTF_KIND_RESTRICT:
      case BTF_KIND_TYPE_TAG:
      case BTF_KIND_VAR:
      case BTF_KIND_ARRAY:
        return 1;
      case BTF_KIND_STRUCT:
      case BTF_KIND_UNION:
        return btf_vlen(t);
      default:
        return 0;
    }
  }
  static uint32_t ValueEdge(const btf_type* t, uint32_t i) {
    switch (btf_kind(t)) {
      case BTF_KIND_ARRAY: return btf_array(t)->type;
      case BTF_KIND_STRUCT:
      case BTF_KIND_UNION: return btf_members(t)[i].type;
      default: return t->type;
    }
  }

  // As the kernel's type resolution ("Loop detected"): a type that holds
  // itself by value has no size, and every walk that follows values (the
  // diff's member comparison, libbpf's type rules) would never end. An
  // iterative depth-first search over the blob's own types (the base's
  // hold no cycle): the first type found on a cycle, if any.
  std::optional<uint32_t> FindValueCycle() const {
    enum : uint8_t { kNew, kOnStack, kDone };
    std::vector<uint8_t> state(end_id_ - first_id_, kNew);
    struct Frame {
      uint32_t id;
      const btf_type* type;
      uint32_t edges;
      uint32_t next = 0;
    };
    auto frame_of = [this](uint32_t id) {
      const btf_type* t = btf__type_by_id(btf_, id);
      return Frame{id, t, ValueEdgeCount(t), 0};
    };
    std::vector<Frame> stack;
    for (uint32_t root = first_id_; root < end_id_; ++root) {
      if (state[root - first_id_] != kNew) continue;
      stack.push_back(frame_of(root));
      state[root - first_id_] = kOnStack;
      while (!stack.empty()) {
        Frame& top = stack.back();
        if (top.next == top.edges) {
          state[top.id - first_id_] = kDone;
          stack.pop_back();
          continue;
        }
        uint32_t next = ValueEdge(top.type, top.next++);
        if (next < first_id_ || next >= end_id_) continue;
        uint8_t& s = state[next - first_id_];
        if (s == kOnStack) return next;
        if (s == kDone) continue;
        s = kOnStack;
        stack.push_back(frame_of(next));
      }
    }
    return std::nullopt;
  }

  // An offset libbpf resolves: below the base's strings and this blob's own
  // together (what btf__str_by_offset checks, without a call per member).
  bool StringOffsetValid(uint32_t offset) const {
    return uint64_t{offset} < uint64_t{base_strings_} + own_strings_;
  }

  std::string Name(uint32_t offset, std::string_view what) const {
    if (StringOffsetValid(offset)) return "";
    return absl::StrFormat("%s offset %d is outside the string section (%d bytes)", what,
                           offset, uint64_t{base_strings_} + own_strings_);
  }
  std::string Ref(uint32_t id, std::string_view what) const {
    if (id < end_id_) return "";
    return absl::StrFormat("%s refers to type id %d, beyond the last type (%d)", what, id,
                           end_id_ - 1);
  }

  // The same, for the index-th member, enumerator, parameter or variable:
  // its description is only written when something is wrong (this runs
  // for every member of every type of a kernel).
  std::string Name(uint32_t offset, std::string_view prefix, int index,
                   std::string_view suffix) const {
    if (StringOffsetValid(offset)) return "";
    return Name(offset, std::string(prefix) + std::to_string(index) + std::string(suffix));
  }
  std::string Ref(uint32_t id, std::string_view prefix, int index) const {
    if (id < end_id_) return "";
    return Ref(id, std::string(prefix) + std::to_string(index));
  }

  std::string CheckType(uint32_t id, const btf_type* t) const {
    std::string e = Name(t->name_off, "name");
    if (!e.empty()) return e;
    const uint16_t vlen = btf_vlen(t);
    switch (btf_kind(t)) {
      case BTF_KIND_PTR:
      case BTF_KIND_TYPEDEF:
      case BTF_KIND_VOLATILE:
      case BTF_KIND_CONST:
      case BTF_KIND_RESTRICT:
      case BTF_KIND_VAR:
      case BTF_KIND_TYPE_TAG:
        return Ref(t->type, "it");
      case BTF_KIND_ARRAY: {
        const struct btf_array* a = btf_array(t);
        e = Ref(a->type, "its element type");
        return e.empty() ? Ref(a->index_type, "its index type") : e;
      }
      case BTF_KIND_STRUCT:
      case BTF_KIND_UNION: {
        const struct btf_member* m = btf_members(t);
        for (uint16_t i = 0; i < vlen; ++i) {
          e = Name(m[i].name_off, "member ", i, ": name");
          if (e.empty()) e = Ref(m[i].type, "member ", i);
          if (!e.empty()) return e;
        }
        return "";
      }
      case BTF_KIND_ENUM:
      case BTF_KIND_ENUM64:
        for (uint16_t i = 0; i < vlen; ++i) {
          uint32_t name_off = btf_kind(t) == BTF_KIND_ENUM ? btf_enum(t)[i].name_off
                                                           : btf_enum64(t)[i].name_off;
          e = Name(name_off, "enumerator ", i, ": name");
          if (!e.empty()) return e;
        }
        return "";
      case BTF_KIND_FUNC: {
        e = Ref(t->type, "it");
        if (!e.empty()) return e;
        const btf_type* proto = btf__type_by_id(btf_, t->type);
        if (proto == nullptr || btf_kind(proto) != BTF_KIND_FUNC_PROTO) {
          return absl::StrFormat("its type [%d] is no FUNC_PROTO", t->type);
        }
        return "";
      }
      case BTF_KIND_FUNC_PROTO: {
        e = Ref(t->type, "its return type");
        if (!e.empty()) return e;
        const struct btf_param* p = btf_params(t);
        for (uint16_t i = 0; i < vlen; ++i) {
          e = Name(p[i].name_off, "parameter ", i + 1, ": name");
          if (e.empty()) e = Ref(p[i].type, "parameter ", i + 1);
          if (!e.empty()) return e;
        }
        return "";
      }
      case BTF_KIND_DATASEC: {
        const struct btf_var_secinfo* v = btf_var_secinfos(t);
        for (uint16_t i = 0; i < vlen; ++i) {
          e = Ref(v[i].type, "variable ", i);
          if (!e.empty()) return e;
        }
        return "";
      }
      case BTF_KIND_DECL_TAG:
        e = Ref(t->type, "it");
        return e.empty() ? CheckDeclTag(t) : e;
      default:
        return "";
    }
  }

  // As the kernel's btf_decl_tag_resolve(): -1 tags the type itself; an
  // index tags a member of a struct or union, or a parameter of a function.
  std::string CheckDeclTag(const btf_type* t) const {
    const int32_t component = btf_decl_tag(t)->component_idx;
    if (component == -1) return "";
    if (component < -1) return absl::StrFormat("component index %d is invalid", component);
    const btf_type* target = btf__type_by_id(btf_, t->type);
    uint32_t count = 0;
    std::string_view what = "member";
    if (target != nullptr && (btf_kind(target) == BTF_KIND_STRUCT ||
                              btf_kind(target) == BTF_KIND_UNION)) {
      count = btf_vlen(target);
    } else if (target != nullptr && btf_kind(target) == BTF_KIND_FUNC) {
      const btf_type* proto = btf__type_by_id(btf_, target->type);
      count = proto != nullptr ? btf_vlen(proto) : 0;
      what = "parameter";
    } else {
      return absl::StrFormat("component index %d on a %s, which has no components", component,
                             KindText(target != nullptr ? btf_kind(target) : 0));
    }
    if (static_cast<uint32_t>(component) >= count) {
      return absl::StrFormat("component index %d names no %s (the target has %d)", component,
                             what, count);
    }
    return "";
  }

  const struct btf* btf_;
  uint32_t first_id_;
  uint32_t end_id_;
  uint32_t base_strings_ = 0;
  uint32_t own_strings_ = 0;
};

}  // namespace

std::string ValidateBtf(const struct btf* btf, const struct btf* base) {
  return Validator(btf, base).Run();
}

}  // namespace kcontract
