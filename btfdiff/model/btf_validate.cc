#include "btfdiff/model/btf_validate.h"

#include <linux/btf.h>

#include <optional>
#include <type_traits>
#include <string_view>
#include <vector>

#include "absl/strings/str_format.h"
#include "btfdiff/base/parallel.h"

namespace kcontract {
namespace {

std::string_view KindText(uint32_t kind) {
  static constexpr std::string_view kNames[] = {
      "UNKNOWN", "INT",        "PTR", "ARRAY",   "STRUCT", "UNION",    "ENUM",
      "FWD",     "TYPEDEF",    "VOLATILE", "CONST", "RESTRICT", "FUNC",
      "FUNC_PROTO", "VAR",     "DATASEC", "FLOAT", "DECL_TAG", "TYPE_TAG", "ENUM64"};
  return kind < std::size(kNames) ? kNames[kind] : "UNKNOWN";
}

// Below this a second thread costs more than it saves (an object's BTF).
constexpr uint32_t kTypesWorthAThread = 16384;

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
    // The type checks and the cycle search only read, and the search stays
    // inside the blob whatever the checks find; on a kernel's BTF each takes
    // about as long as libbpf's parse, so they run side by side. The answer
    // is the same either way: the lowest bad type, else the first cycle.
    std::optional<uint32_t> bad_id;
    Problem bad;
    auto check_types = [&] {
      for (uint32_t id = first_id_; id < end_id_; ++id) {
        if (Problem p = CheckType(btf__type_by_id(btf_, id))) {
          bad_id = id;
          bad = p;
          return;
        }
      }
    };
    std::optional<uint32_t> cycle;
    if (end_id_ - first_id_ >= kTypesWorthAThread) {
      ParallelFor(2, EffectiveJobs(2), [&](size_t part) {
        if (part == 0) {
          check_types();
        } else {
          cycle = FindValueCycle();
        }
      });
    } else {
      check_types();
      if (!bad_id) cycle = FindValueCycle();
    }
    if (bad_id) return Describe(*bad_id, Words(bad));
    if (cycle) {
      return Describe(*cycle, "contains itself (through members, array elements, typedefs or "
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
    stack.reserve(64);
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

  // What is wrong with a type, as plain values (trivially copied: this runs
  // for every member of every type of a kernel, and a std::string in it
  // cost as much as libbpf's parse); words are only written for a problem.
  struct Problem {
    enum Kind : uint8_t { kNone, kName, kRef, kNotProto, kTag, kUnnamed } kind = kNone;
    const char* what = "";     // "member ", "its element type", ...
    int index = -1;            // the member, enumerator, parameter, variable
    const char* suffix = "";   // after the index: ": name"
    int64_t value = 0;         // the offset or type id
    const btf_type* tag = nullptr;  // kTag: the decl tag, described again

    explicit operator bool() const { return kind != kNone; }
  };
  Problem Name(uint32_t offset, const char* what, int index = -1,
               const char* suffix = "") const {
    if (StringOffsetValid(offset)) return {};
    return Problem{Problem::kName, what, index, suffix, offset, nullptr};
  }
  Problem Ref(uint32_t id, const char* what, int index = -1) const {
    if (id < end_id_) return {};
    return Problem{Problem::kRef, what, index, "", id, nullptr};
  }

  static_assert(std::is_trivially_copyable_v<Problem>);

  std::string Words(const Problem& p) const {
    std::string what = p.what;
    if (p.index >= 0) what += std::to_string(p.index);
    what += p.suffix;
    switch (p.kind) {
      case Problem::kName:
        return absl::StrFormat("%s offset %d is outside the string section (%d bytes)", what,
                               p.value, uint64_t{base_strings_} + own_strings_);
      case Problem::kRef:
        return absl::StrFormat("%s refers to type id %d, beyond the last type (%d)", what,
                               p.value, end_id_ - 1);
      case Problem::kNotProto: return absl::StrFormat("its type [%d] is no FUNC_PROTO", p.value);
      case Problem::kTag: return CheckDeclTag(p.tag);
      case Problem::kUnnamed: return "it has no name";
      case Problem::kNone: break;
    }
    return "";
  }

  Problem CheckType(const btf_type* t) const {
    if (Problem p = Name(t->name_off, "name")) return p;
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
        if (Problem p = Ref(a->type, "its element type")) return p;
        return Ref(a->index_type, "its index type");
      }
      case BTF_KIND_STRUCT:
      case BTF_KIND_UNION: {
        const struct btf_member* m = btf_members(t);
        for (uint16_t i = 0; i < vlen; ++i) {
          if (Problem p = Name(m[i].name_off, "member ", i, ": name")) return p;
          if (Problem p = Ref(m[i].type, "member ", i)) return p;
        }
        return {};
      }
      case BTF_KIND_ENUM:
      case BTF_KIND_ENUM64:
        for (uint16_t i = 0; i < vlen; ++i) {
          uint32_t name_off = btf_kind(t) == BTF_KIND_ENUM ? btf_enum(t)[i].name_off
                                                           : btf_enum64(t)[i].name_off;
          if (Problem p = Name(name_off, "enumerator ", i, ": name")) return p;
        }
        return {};
      case BTF_KIND_FUNC: {
        // As the kernel's btf_func_check_meta(): a function is called, and
        // a kfunc resolved, by its name.
        if (*btf__str_by_offset(btf_, t->name_off) == '\0') {
          return Problem{Problem::kUnnamed, "", -1, "", 0, nullptr};
        }
        if (Problem p = Ref(t->type, "it")) return p;
        const btf_type* proto = btf__type_by_id(btf_, t->type);
        if (proto == nullptr || btf_kind(proto) != BTF_KIND_FUNC_PROTO) {
          return Problem{Problem::kNotProto, "", -1, "", t->type, nullptr};
        }
        return {};
      }
      case BTF_KIND_FUNC_PROTO: {
        if (Problem p = Ref(t->type, "its return type")) return p;
        const struct btf_param* params = btf_params(t);
        for (uint16_t i = 0; i < vlen; ++i) {
          if (Problem p = Name(params[i].name_off, "parameter ", i + 1, ": name")) return p;
          if (Problem p = Ref(params[i].type, "parameter ", i + 1)) return p;
        }
        return {};
      }
      case BTF_KIND_DATASEC: {
        const struct btf_var_secinfo* v = btf_var_secinfos(t);
        for (uint16_t i = 0; i < vlen; ++i) {
          if (Problem p = Ref(v[i].type, "variable ", i)) return p;
        }
        return {};
      }
      case BTF_KIND_DECL_TAG: {
        if (Problem p = Ref(t->type, "it")) return p;
        if (DeclTagValid(t)) return {};
        return Problem{Problem::kTag, "", -1, "", 0, t};
      }
      default:
        return {};
    }
  }

  bool DeclTagValid(const btf_type* t) const {
    if (btf_decl_tag(t)->component_idx == -1) return true;
    return CheckDeclTag(t).empty();  // rare: decl tags on components are few
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
