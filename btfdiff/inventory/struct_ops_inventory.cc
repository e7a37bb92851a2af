#include "btfdiff/inventory/struct_ops_inventory.h"

#include <algorithm>
#include <cstring>
#include <tuple>

#include "btfdiff/base/text.h"
#include "btfdiff/model/c_decl.h"

namespace kcontract {
namespace {

constexpr std::string_view kWrapperPrefix = "bpf_struct_ops_";

// The callback table inside a wrapper: its member "data", a struct named
// like the wrapper's suffix. Anything else with the prefix (the map, the
// common value) is no wrapper.
std::optional<TypeId> WrappedTable(const Btf& btf, const btf_type* wrapper,
                                   std::string_view suffix) {
  const btf_member* members = btf_members(wrapper);
  for (uint16_t i = 0; i < btf_vlen(wrapper); ++i) {
    if (btf.String(members[i].name_off) != "data") continue;
    TypeId table = btf.SkipModsAndTypedefs(TypeId{members[i].type});
    if (btf.Kind(table) == BTF_KIND_STRUCT && btf.Name(table) == suffix) return table;
  }
  return std::nullopt;
}

void CollectFromBlob(const Btf& btf, const std::optional<std::string>& module,
                     std::vector<StructOpsType>& out) {
  // One pass over every type (~130k in a distribution vmlinux): ask libbpf
  // directly, and test the prefix before measuring the name (strncmp stops
  // at the first differing byte; most struct names differ at once).
  const struct btf* raw_btf = btf.libbpf();
  for (uint32_t raw = btf.first_id().value; raw < btf.end_id().value; ++raw) {
    const btf_type* t = btf__type_by_id(raw_btf, raw);
    if (btf_kind(t) != BTF_KIND_STRUCT) continue;
    const char* c_name = btf__str_by_offset(raw_btf, t->name_off);
    if (c_name == nullptr ||
        std::strncmp(c_name, kWrapperPrefix.data(), kWrapperPrefix.size()) != 0) {
      continue;
    }
    std::string_view name(c_name);
    std::optional<TypeId> table = WrappedTable(btf, t, name.substr(kWrapperPrefix.size()));
    if (!table) continue;
    StructOpsType type = DescribeStructOps(btf, *table);
    type.wrapper = TypeId{raw};
    type.module = module;
    out.push_back(std::move(type));
  }
}

}  // namespace

StructOpsType DescribeStructOps(const Btf& btf, TypeId table) {
  StructOpsType type;
  type.name = std::string(btf.Name(table));
  type.id = table;
  const btf_type* t = btf.Type(table);
  if (t == nullptr || !btf_is_composite(t)) return type;
  const btf_member* members = btf_members(t);
  for (uint16_t i = 0; i < btf_vlen(t); ++i) {
    StructOpsMember member;
    member.name = std::string(btf.String(members[i].name_off));
    member.type = TypeId{members[i].type};
    member.declaration = CDeclaration(btf, member.type, member.name);
    member.bit_offset = btf_member_bit_offset(t, i);
    TypeId resolved = btf.SkipModsAndTypedefs(member.type);
    if (btf.Kind(resolved) == BTF_KIND_PTR) {
      TypeId target = btf.SkipModsAndTypedefs(TypeId{btf.Type(resolved)->type});
      member.is_callback = btf.Kind(target) == BTF_KIND_FUNC_PROTO;
    }
    type.members.push_back(std::move(member));
  }
  return type;
}

std::vector<StructOpsType> CollectStructOps(const KernelBtf& kernel) {
  std::vector<StructOpsType> types;
  if (kernel.vmlinux) CollectFromBlob(*kernel.vmlinux, std::nullopt, types);
  for (const ModuleBtf& module : kernel.modules) {
    CollectFromBlob(*module.btf, module.name, types);
  }
  std::stable_sort(types.begin(), types.end(), [](const auto& a, const auto& b) {
    return std::tie(a.module, a.name) < std::tie(b.module, b.name);
  });
  return types;
}

}  // namespace kcontract
