#include "btfdiff/model/signature.h"

#include <bpf/btf.h>

#include <optional>

#include "absl/strings/str_format.h"
#include "btfdiff/model/c_decl.h"

namespace kcontract {
namespace {

// The function type behind a callback member declared through a typedef of
// it ("thp_order_fn_t *thp_get_order", BPF-THP v9), else nullopt.
std::optional<TypeId> TypedefCallbackProto(const Btf& btf, TypeId member_type) {
  const btf_type* pointer = btf.Type(btf.SkipMods(member_type));
  if (pointer == nullptr || !btf_is_ptr(pointer)) return std::nullopt;
  const btf_type* pointee = btf.Type(btf.SkipMods(TypeId{pointer->type}));
  if (pointee == nullptr || !btf_is_typedef(pointee)) return std::nullopt;
  TypeId proto = btf.SkipModsAndTypedefs(TypeId{pointer->type});
  const btf_type* target = btf.Type(proto);
  if (target == nullptr || !btf_is_func_proto(target)) return std::nullopt;
  return proto;
}

std::string MemberDeclaration(const Btf& btf, const btf_type* composite, int index) {
  const btf_member& member = btf_members(composite)[index];
  std::string_view name = btf.String(member.name_off);
  // A callback is its prototype, whether the kernel spells it out or names
  // it through a typedef: people read the prototype, and a change to the
  // typedef's function type is a change to the callback.
  std::optional<TypeId> proto = TypedefCallbackProto(btf, TypeId{member.type});
  std::string declaration =
      proto ? CDeclaration(btf, *proto, absl::StrFormat("*%s", name))
            : CDeclaration(btf, TypeId{member.type}, name);
  uint32_t bits = btf_member_bitfield_size(composite, index);
  if (bits != 0) declaration += absl::StrFormat(":%u", bits);
  return declaration;
}

Signature MemberDeclarations(const Btf& btf, const btf_type* composite) {
  Signature lines;
  for (int i = 0; i < btf_vlen(composite); ++i) lines.push_back(MemberDeclaration(btf, composite, i));
  return lines;
}

Signature EnumLines(const btf_type* type, const Btf& btf) {
  Signature lines;
  if (btf_is_enum(type)) {
    const struct btf_enum* values = btf_enum(type);
    for (int i = 0; i < btf_vlen(type); ++i) {
      lines.push_back(absl::StrFormat("%s = %d", btf.String(values[i].name_off), values[i].val));
    }
  } else {
    const struct btf_enum64* values = btf_enum64(type);
    for (int i = 0; i < btf_vlen(type); ++i) {
      lines.push_back(absl::StrFormat("%s = %d", btf.String(values[i].name_off),
                                      static_cast<int64_t>(btf_enum64_value(&values[i]))));
    }
  }
  return lines;
}

}  // namespace

Signature KfuncSignature(const Btf& btf, TypeId func) { return {CFunctionDeclaration(btf, func)}; }

Signature StructOpsSignature(const Btf& btf, TypeId table) {
  const btf_type* type = btf.Type(table);
  if (type == nullptr || !btf_is_composite(type)) return {};
  return MemberDeclarations(btf, type);
}

Signature StructOpsMemberSignature(const Btf& btf, TypeId table, std::string_view member) {
  const btf_type* type = btf.Type(table);
  if (type == nullptr || !btf_is_composite(type)) return {};
  for (int i = 0; i < btf_vlen(type); ++i) {
    if (btf.String(btf_members(type)[i].name_off) == member) {
      return {MemberDeclaration(btf, type, i)};
    }
  }
  return {};
}

Signature KernelTypeSignature(const Btf& btf, TypeId id) {
  const btf_type* type = btf.Type(id);
  if (type == nullptr) return {};
  if (btf_is_composite(type)) return MemberDeclarations(btf, type);
  if (btf_is_any_enum(type)) return EnumLines(type, btf);
  if (btf_is_typedef(type)) return {CDeclaration(btf, TypeId{type->type}, btf.Name(id))};
  return {CTypeName(btf, id)};
}

}  // namespace kcontract
