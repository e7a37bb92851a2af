#include "abi/libbpf/type_rules.h"

#include "absl/strings/str_format.h"
#include "btfdiff/model/c_decl.h"
#include "btfdiff/model/type_name.h"

namespace kcontract {
namespace {

// libbpf bounds recursion the same way: nested prototypes and chains of
// pointers deeper than this are treated as malformed.
constexpr int kMaxDepth = 32;
// Steps one comparison may take. Depth alone does not bound the work: a
// prototype whose parameters point back to it is compared again per
// parameter, two of them doubling the work per level (2^32 steps on hostile
// BTF on both sides). Real comparisons take a few hundred steps.
constexpr int kMaxSteps = 100'000;
thread_local int g_steps_left = kMaxSteps;

// One more step of the comparison under way; false past the budget.
bool Step() { return --g_steps_left >= 0; }

bool IsComposite(uint32_t kind) { return kind == BTF_KIND_STRUCT || kind == BTF_KIND_UNION; }
bool IsAnyEnum(uint32_t kind) { return kind == BTF_KIND_ENUM || kind == BTF_KIND_ENUM64; }

// A deprecated bitfield-like integer (non-zero BTF_INT_OFFSET).
bool IntHasOffset(const btf_type* t) { return btf_int_offset(t) != 0; }

bool SameEssentialName(std::string_view a, std::string_view b) {
  return EssentialName(a) == EssentialName(b);
}

std::string_view NameOf(const Btf& btf, const btf_type* t) { return btf.String(t->name_off); }

Compat TypesAreCompatAt(const Btf& local, TypeId local_id, const Btf& target, TypeId target_id,
                        int level) {
  if (!Step()) return Compat::kError;
  const btf_type* lt = local.Type(local_id);
  const btf_type* tt = target.Type(target_id);
  if (lt == nullptr || tt == nullptr) return Compat::kError;
  if (!KindsCoreCompatible(btf_kind(lt), btf_kind(tt))) return Compat::kNo;
  for (int depth = kMaxDepth; depth > 0; --depth) {
    local_id = local.SkipModsAndTypedefs(local_id);
    target_id = target.SkipModsAndTypedefs(target_id);
    // Void (id 0) has no btf_type; both void is compatible, one void is not.
    if (local_id.is_void() || target_id.is_void()) {
      return local_id.is_void() == target_id.is_void() ? Compat::kYes : Compat::kNo;
    }
    lt = local.Type(local_id);
    tt = target.Type(target_id);
    if (lt == nullptr || tt == nullptr) return Compat::kError;
    if (!KindsCoreCompatible(btf_kind(lt), btf_kind(tt))) return Compat::kNo;
    switch (btf_kind(lt)) {
      case BTF_KIND_STRUCT:
      case BTF_KIND_UNION:
      case BTF_KIND_ENUM:
      case BTF_KIND_ENUM64:
      case BTF_KIND_FWD:
        return Compat::kYes;
      case BTF_KIND_INT:
        return !IntHasOffset(lt) && !IntHasOffset(tt) ? Compat::kYes : Compat::kNo;
      case BTF_KIND_PTR:
        local_id = TypeId{lt->type};
        target_id = TypeId{tt->type};
        continue;
      case BTF_KIND_ARRAY:
        local_id = TypeId{btf_array(lt)->type};
        target_id = TypeId{btf_array(tt)->type};
        continue;
      case BTF_KIND_FUNC_PROTO: {
        if (btf_vlen(lt) != btf_vlen(tt)) return Compat::kNo;
        const btf_param* lp = btf_params(lt);
        const btf_param* tp = btf_params(tt);
        for (uint16_t i = 0; i < btf_vlen(lt); ++i) {
          if (level <= 0) return Compat::kError;
          Compat arg = TypesAreCompatAt(local, local.SkipModsAndTypedefs(TypeId{lp[i].type}),
                                        target, target.SkipModsAndTypedefs(TypeId{tp[i].type}),
                                        level - 1);
          if (arg != Compat::kYes) return arg;
        }
        local_id = TypeId{lt->type};
        target_id = TypeId{tt->type};
        continue;
      }
      default:
        return Compat::kNo;
    }
  }
  return Compat::kError;
}

bool NamesMatch(std::string_view local_name, std::string_view target_name) {
  if (target_name.empty()) return local_name.empty();
  return SameEssentialName(local_name, target_name);
}

bool EnumsMatch(const Btf& local, const btf_type* lt, const Btf& target, const btf_type* tt) {
  if (lt->size != tt->size || btf_vlen(lt) > btf_vlen(tt)) return false;
  auto name_at = [](const Btf& btf, const btf_type* t, uint16_t i) {
    return btf.String(btf_is_enum(t) ? btf_enum(t)[i].name_off : btf_enum64(t)[i].name_off);
  };
  for (uint16_t i = 0; i < btf_vlen(lt); ++i) {
    bool found = false;
    for (uint16_t j = 0; j < btf_vlen(tt) && !found; ++j) {
      found = NamesMatch(name_at(local, lt, i), name_at(target, tt, j));
    }
    if (!found) return false;
  }
  return true;
}

Compat TypesMatchAt(const Btf& local, TypeId local_id, const Btf& target, TypeId target_id,
                    bool behind_ptr, int level);

Compat CompositesMatch(const Btf& local, const btf_type* lt, const Btf& target,
                       const btf_type* tt, bool behind_ptr, int level) {
  if (btf_vlen(lt) > btf_vlen(tt)) return Compat::kNo;
  const btf_member* lm = btf_members(lt);
  const btf_member* tm = btf_members(tt);
  for (uint16_t i = 0; i < btf_vlen(lt); ++i) {
    bool matched = false;
    for (uint16_t j = 0; j < btf_vlen(tt) && !matched; ++j) {
      if (!NamesMatch(local.String(lm[i].name_off), target.String(tm[j].name_off))) continue;
      Compat member = TypesMatchAt(local, TypeId{lm[i].type}, target, TypeId{tm[j].type},
                                   behind_ptr, level - 1);
      if (member == Compat::kError) return member;
      matched = member == Compat::kYes;
    }
    if (!matched) return Compat::kNo;
  }
  return Compat::kYes;
}

Compat TypesMatchAt(const Btf& local, TypeId local_id, const Btf& target, TypeId target_id,
                    bool behind_ptr, int level) {
  if (level <= 0 || !Step()) return Compat::kError;
  for (int depth = kMaxDepth; depth > 0; --depth) {
    local_id = local.SkipModsAndTypedefs(local_id);
    target_id = target.SkipModsAndTypedefs(target_id);
    if (local_id.is_void() || target_id.is_void()) {
      return local_id.is_void() == target_id.is_void() ? Compat::kYes : Compat::kNo;
    }
    const btf_type* lt = local.Type(local_id);
    const btf_type* tt = target.Type(target_id);
    if (lt == nullptr || tt == nullptr) return Compat::kError;
    if (!NamesMatch(NameOf(local, lt), NameOf(target, tt))) return Compat::kNo;
    uint32_t lk = btf_kind(lt);
    uint32_t tk = btf_kind(tt);
    switch (lk) {
      case BTF_KIND_FWD: {
        bool local_union = btf_kflag(lt);
        if (behind_ptr && lk != tk) {
          return (tk == BTF_KIND_STRUCT && !local_union) || (tk == BTF_KIND_UNION && local_union)
                     ? Compat::kYes
                     : Compat::kNo;
        }
        return lk == tk && local_union == btf_kflag(tt) ? Compat::kYes : Compat::kNo;
      }
      case BTF_KIND_ENUM:
      case BTF_KIND_ENUM64:
        return IsAnyEnum(tk) && EnumsMatch(local, lt, target, tt) ? Compat::kYes : Compat::kNo;
      case BTF_KIND_STRUCT:
      case BTF_KIND_UNION:
        if (behind_ptr) {
          if (lk == tk) return Compat::kYes;
          if (tk != BTF_KIND_FWD) return Compat::kNo;
          return (lk == BTF_KIND_UNION) == btf_kflag(tt) ? Compat::kYes : Compat::kNo;
        }
        if (lk != tk) return Compat::kNo;
        return CompositesMatch(local, lt, target, tt, behind_ptr, level);
      case BTF_KIND_INT:
        if (lk != tk) return Compat::kNo;
        return lt->size == tt->size &&
                       (btf_int_encoding(lt) & BTF_INT_SIGNED) ==
                           (btf_int_encoding(tt) & BTF_INT_SIGNED)
                   ? Compat::kYes
                   : Compat::kNo;
      case BTF_KIND_PTR:
        if (lk != tk) return Compat::kNo;
        behind_ptr = true;
        local_id = TypeId{lt->type};
        target_id = TypeId{tt->type};
        continue;
      case BTF_KIND_ARRAY:
        if (lk != tk || btf_array(lt)->nelems != btf_array(tt)->nelems) return Compat::kNo;
        local_id = TypeId{btf_array(lt)->type};
        target_id = TypeId{btf_array(tt)->type};
        continue;
      case BTF_KIND_FUNC_PROTO: {
        if (lk != tk || btf_vlen(lt) != btf_vlen(tt)) return Compat::kNo;
        const btf_param* lp = btf_params(lt);
        const btf_param* tp = btf_params(tt);
        for (uint16_t i = 0; i < btf_vlen(lt); ++i) {
          Compat arg = TypesMatchAt(local, TypeId{lp[i].type}, target, TypeId{tp[i].type},
                                    behind_ptr, level - 1);
          if (arg != Compat::kYes) return arg;
        }
        local_id = TypeId{lt->type};
        target_id = TypeId{tt->type};
        continue;
      }
      default:
        return Compat::kNo;
    }
  }
  return Compat::kError;
}

// A structural spelling of a type that ignores typedef names and
// qualifiers, so that "u64" and "unsigned long long" compare equal while
// "int" and "unsigned long" do not.
std::string Canonical(const Btf& btf, TypeId id, int depth = 0) {
  if (depth > kMaxDepth) return "?";
  id = btf.SkipModsAndTypedefs(id);
  if (id.is_void()) return "void";
  const btf_type* t = btf.Type(id);
  if (t == nullptr) return "?";
  switch (btf_kind(t)) {
    case BTF_KIND_INT:
      // Kernels since 6.2 build with -funsigned-char while BPF's char is
      // signed: both are "char" to a reader of the prototype.
      if (btf_int_encoding(t) & BTF_INT_CHAR || btf.Name(id) == "char") return "char";
      return absl::StrFormat("int%d%s", t->size * 8,
                             (btf_int_encoding(t) & BTF_INT_SIGNED) ? "s" : "u");
    case BTF_KIND_PTR:
      return "*" + Canonical(btf, TypeId{t->type}, depth + 1);
    case BTF_KIND_ARRAY:
      return absl::StrFormat("[%u]", btf_array(t)->nelems) +
             Canonical(btf, TypeId{btf_array(t)->type}, depth + 1);
    case BTF_KIND_STRUCT:
    case BTF_KIND_FWD:
      return (btf_kind(t) == BTF_KIND_FWD && btf_kflag(t) ? "union " : "struct ") +
             std::string(EssentialName(btf.Name(id)));
    case BTF_KIND_UNION:
      return "union " + std::string(EssentialName(btf.Name(id)));
    case BTF_KIND_ENUM:
    case BTF_KIND_ENUM64:
      return absl::StrFormat("enum%d ", t->size * 8) + std::string(EssentialName(btf.Name(id)));
    case BTF_KIND_FUNC_PROTO: {
      std::string out = "fn(";
      const btf_param* p = btf_params(t);
      for (uint16_t i = 0; i < btf_vlen(t); ++i) {
        out += (i ? "," : "") + Canonical(btf, TypeId{p[i].type}, depth + 1);
      }
      return out + ")" + Canonical(btf, TypeId{t->type}, depth + 1);
    }
    default:
      return std::string(KindName(btf_kind(t)));
  }
}

std::string ExplainRejection(const Btf& local, TypeId local_id, const Btf& target,
                             TypeId target_id) {
  // Walk down pointers to the first place the kinds part.
  for (int depth = 0; depth < kMaxDepth; ++depth) {
    local_id = local.SkipModsAndTypedefs(local_id);
    target_id = target.SkipModsAndTypedefs(target_id);
    uint32_t lk = local.Kind(local_id);
    uint32_t tk = target.Kind(target_id);
    if (local_id.is_void() != target_id.is_void()) {
      return "one side is void, the other is not";
    }
    if (lk == BTF_KIND_FWD && IsComposite(tk)) {
      return absl::StrFormat(
          "the object declares '%s' only as a forward declaration while the kernel defines "
          "it; libbpf 1.1 compares kinds (FWD vs %s) and refuses: include the full "
          "definition (e.g. from vmlinux.h)",
          CTypeName(local, local_id), KindName(tk));
    }
    if (IsComposite(lk) && tk == BTF_KIND_FWD) {
      return absl::StrFormat("the kernel has '%s' only as a forward declaration",
                             CTypeName(target, target_id));
    }
    if (!KindsCoreCompatible(lk, tk)) {
      return absl::StrFormat("a %s here but a %s in the kernel", KindName(lk), KindName(tk));
    }
    if (lk == BTF_KIND_PTR) {
      local_id = TypeId{local.Type(local_id)->type};
      target_id = TypeId{target.Type(target_id)->type};
      continue;
    }
    if (lk == BTF_KIND_FUNC_PROTO) return "function pointer prototypes differ";
    if (lk == BTF_KIND_INT) return "a bitfield-like integer";
    break;
  }
  return "types are not compatible";
}

}  // namespace

Compat TypesAreCompat(const Btf& local, TypeId local_id, const Btf& target, TypeId target_id) {
  g_steps_left = kMaxSteps;
  return TypesAreCompatAt(local, local_id, target, target_id, kMaxDepth);
}

Compat TypesMatch(const Btf& local, TypeId local_id, const Btf& target, TypeId target_id) {
  g_steps_left = kMaxSteps;
  return TypesMatchAt(local, local_id, target, target_id, /*behind_ptr=*/false, kMaxDepth);
}

Compat FieldsAreCompat(const Btf& local, TypeId local_id, const Btf& target, TypeId target_id) {
  for (int depth = kMaxDepth; depth > 0; --depth) {
    local_id = local.SkipModsAndTypedefs(local_id);
    target_id = target.SkipModsAndTypedefs(target_id);
    if (local_id.is_void() || target_id.is_void()) {
      return local_id.is_void() == target_id.is_void() ? Compat::kYes : Compat::kNo;
    }
    const btf_type* lt = local.Type(local_id);
    const btf_type* tt = target.Type(target_id);
    if (lt == nullptr || tt == nullptr) return Compat::kError;
    if (IsComposite(btf_kind(lt)) && IsComposite(btf_kind(tt))) return Compat::kYes;
    if (!KindsCoreCompatible(btf_kind(lt), btf_kind(tt))) return Compat::kNo;
    switch (btf_kind(lt)) {
      case BTF_KIND_PTR:
      case BTF_KIND_FLOAT:
        return Compat::kYes;
      case BTF_KIND_FWD:
      case BTF_KIND_ENUM:
      case BTF_KIND_ENUM64: {
        std::string_view ln = EssentialName(NameOf(local, lt));
        std::string_view tn = EssentialName(NameOf(target, tt));
        return ln.empty() || tn.empty() || ln == tn ? Compat::kYes : Compat::kNo;
      }
      case BTF_KIND_INT:
        return !IntHasOffset(lt) && !IntHasOffset(tt) ? Compat::kYes : Compat::kNo;
      case BTF_KIND_ARRAY:
        local_id = TypeId{btf_array(lt)->type};
        target_id = TypeId{btf_array(tt)->type};
        continue;
      default:
        return Compat::kNo;
    }
  }
  return Compat::kError;
}

std::vector<ProtoDifference> DiffFuncProtos(const Btf& local, TypeId local_proto,
                                            const Btf& target, TypeId target_proto) {
  std::vector<ProtoDifference> diffs;
  const btf_type* lt = local.Type(local_proto);
  const btf_type* tt = target.Type(target_proto);
  if (lt == nullptr || tt == nullptr || btf_kind(lt) != BTF_KIND_FUNC_PROTO ||
      btf_kind(tt) != BTF_KIND_FUNC_PROTO) {
    return diffs;
  }
  if (btf_vlen(lt) != btf_vlen(tt)) {
    ProtoDifference d;
    d.argument = -2;
    d.local_type = absl::StrFormat("%d arguments", btf_vlen(lt));
    d.target_type = absl::StrFormat("%d arguments", btf_vlen(tt));
    d.libbpf_rejects = true;
    d.why = "the number of arguments differs";
    diffs.push_back(d);
    return diffs;
  }
  auto compare = [&](int index, TypeId l, TypeId t, std::string name) {
    bool rejects = TypesAreCompat(local, local.SkipModsAndTypedefs(l), target,
                                  target.SkipModsAndTypedefs(t)) != Compat::kYes;
    if (!rejects && Canonical(local, l) == Canonical(target, t)) return;
    ProtoDifference d;
    d.argument = index;
    d.argument_name = std::move(name);
    d.local_type = CTypeName(local, l);
    d.target_type = CTypeName(target, t);
    d.libbpf_rejects = rejects;
    d.why = d.libbpf_rejects ? ExplainRejection(local, l, target, t)
                             : "libbpf accepts it (it does not compare integer sizes, "
                               "signedness or the struct a pointer points to), but the "
                               "kernel will read the value with its own type";
    diffs.push_back(std::move(d));
  };
  const btf_param* lp = btf_params(lt);
  const btf_param* tp = btf_params(tt);
  for (uint16_t i = 0; i < btf_vlen(lt); ++i) {
    std::string name(local.String(lp[i].name_off));
    if (name.empty()) name = std::string(target.String(tp[i].name_off));
    compare(i, TypeId{lp[i].type}, TypeId{tp[i].type}, name);
  }
  compare(-1, TypeId{lt->type}, TypeId{tt->type}, "");
  return diffs;
}

std::string DescribeProtoDifference(const ProtoDifference& d, bool rejects,
                                    std::string_view kernel) {
  if (d.argument == -2) {
    return absl::StrFormat("takes %s here but %s in %s; libbpf rejects it", d.local_type,
                           d.target_type, kernel);
  }
  std::string where;
  if (d.argument == -1) {
    where = "return type";
  } else {
    where = absl::StrFormat("argument %d", d.argument + 1);
    if (!d.argument_name.empty()) where += " '" + d.argument_name + "'";
  }
  if (d.local_type == d.target_type) {
    return absl::StrFormat("%s '%s' differs in %s%s: %s", where, d.local_type, kernel,
                           rejects ? "; libbpf rejects it" : "", d.why);
  }
  return absl::StrFormat("%s is '%s' here but '%s' in %s%s: %s", where, d.local_type,
                         d.target_type, kernel, rejects ? "; libbpf rejects it" : "", d.why);
}

}  // namespace kcontract
