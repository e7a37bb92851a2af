#include "btfdiff/model/c_decl.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "btfdiff/model/type_name.h"

namespace kcontract {
namespace {

// Deep enough for any real declarator; bounds hostile BTF with cycles.
constexpr int kMaxDepth = 32;
// Types one declaration may render. Depth alone does not bound the work: a
// function type whose parameters point back to it renders each of them
// again, two parameters doubling the work per level, 2^16 times at depth
// 32. The largest real declaration (a callback taking callbacks) renders
// a few dozen.
constexpr int kMaxRenderedTypes = 256;

struct Budget {
  int types_left = kMaxRenderedTypes;
};

std::string JoinDeclarator(std::string base, const std::string& declarator) {
  if (declarator.empty()) return base;
  if (declarator[0] == '*' || declarator[0] == '(' || declarator[0] == '[') {
    if (!base.empty() && base.back() == '*') return base + declarator;
    return base + " " + declarator;
  }
  return base + " " + declarator;
}

std::string AggregateName(std::string_view keyword, std::string_view name) {
  std::string out(keyword);
  return out + (name.empty() ? std::string(" {...}") : " " + std::string(name));
}

std::string Render(const Btf& btf, TypeId id, std::string declarator,
                   std::string qualifiers, int depth, Budget& budget);

std::string RenderParams(const Btf& btf, const btf_type* proto, int depth, Budget& budget) {
  uint16_t count = btf_vlen(proto);
  if (count == 0) return "(void)";
  const btf_param* params = btf_params(proto);
  std::string out = "(";
  for (uint16_t i = 0; i < count; ++i) {
    if (i > 0) out += ", ";
    if (params[i].type == 0) {
      out += "...";  // a trailing void parameter marks varargs
      continue;
    }
    out += Render(btf, TypeId{params[i].type},
                  std::string(btf.String(params[i].name_off)), "", depth + 1, budget);
  }
  return out + ")";
}

// Pointers to arrays and functions need parentheses around the declarator.
std::string Parenthesise(const std::string& declarator) {
  if (!declarator.empty() && declarator[0] == '*') return "(" + declarator + ")";
  return declarator;
}

std::string Render(const Btf& btf, TypeId id, std::string declarator,
                   std::string qualifiers, int depth, Budget& budget) {
  if (depth > kMaxDepth) return JoinDeclarator("/* too deep */", declarator);
  if (--budget.types_left < 0) return JoinDeclarator("/* too large */", declarator);
  if (id.is_void()) return JoinDeclarator(qualifiers + "void", declarator);
  const btf_type* t = btf.Type(id);
  if (t == nullptr) {
    return JoinDeclarator(absl::StrFormat("/* bad type [%u] */", id.value), declarator);
  }
  std::string_view name = btf.String(t->name_off);
  switch (btf_kind(t)) {
    case BTF_KIND_INT:
    case BTF_KIND_FLOAT:
    case BTF_KIND_TYPEDEF:
      return JoinDeclarator(qualifiers + std::string(name), declarator);
    case BTF_KIND_STRUCT:
    case BTF_KIND_UNION:
    case BTF_KIND_ENUM:
    case BTF_KIND_ENUM64:
      return JoinDeclarator(qualifiers + AggregateName(KindKeyword(btf_kind(t)), name),
                            declarator);
    case BTF_KIND_FWD:
      return JoinDeclarator(
          qualifiers + AggregateName(btf_kflag(t) ? "union" : "struct", name),
          declarator);
    case BTF_KIND_CONST:
    case BTF_KIND_VOLATILE:
    case BTF_KIND_RESTRICT: {
      std::string_view word = btf_kind(t) == BTF_KIND_CONST      ? "const"
                              : btf_kind(t) == BTF_KIND_VOLATILE ? "volatile"
                                                                 : "restrict";
      // A qualified pointer is "T *const p"; anything else "const T p".
      if (btf.Kind(TypeId{t->type}) == BTF_KIND_PTR) {
        return Render(btf, TypeId{t->type}, std::string(word) + " " + declarator,
                      qualifiers, depth + 1, budget);
      }
      return Render(btf, TypeId{t->type}, declarator,
                    qualifiers + std::string(word) + " ", depth + 1, budget);
    }
    case BTF_KIND_TYPE_TAG:
      // Tags (__rcu, __user, ...) do not change how a program declares a type.
      return Render(btf, TypeId{t->type}, declarator, qualifiers, depth + 1, budget);
    case BTF_KIND_PTR:
      return Render(btf, TypeId{t->type}, "*" + declarator, qualifiers, depth + 1, budget);
    case BTF_KIND_ARRAY: {
      const struct btf_array* array = btf_array(t);
      return Render(btf, TypeId{array->type},
                    absl::StrFormat("%s[%u]", Parenthesise(declarator), array->nelems),
                    qualifiers, depth + 1, budget);
    }
    case BTF_KIND_FUNC_PROTO:
      return Render(btf, TypeId{t->type},
                    Parenthesise(declarator) + RenderParams(btf, t, depth, budget),
                    qualifiers, depth + 1, budget);
    case BTF_KIND_FUNC:
      return Render(btf, TypeId{t->type}, declarator.empty() ? std::string(name) : declarator,
                    qualifiers, depth + 1, budget);
    default:
      return JoinDeclarator(
          absl::StrFormat("/* %s [%u] */", KindName(btf_kind(t)), id.value), declarator);
  }
}

}  // namespace

std::string CTypeName(const Btf& btf, TypeId id) {
  Budget budget;
  return Render(btf, id, "", "", 0, budget);
}

std::string CDeclaration(const Btf& btf, TypeId id, std::string_view name) {
  Budget budget;
  return Render(btf, id, std::string(name), "", 0, budget);
}

std::string CFunctionDeclaration(const Btf& btf, TypeId func_id) {
  const btf_type* t = btf.Type(func_id);
  if (t == nullptr || btf_kind(t) != BTF_KIND_FUNC) return CTypeName(btf, func_id);
  Budget budget;
  return Render(btf, TypeId{t->type}, std::string(btf.Name(func_id)), "", 0, budget);
}

}  // namespace kcontract
