#include "abi/object/maps.h"

#include <algorithm>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>

#include "abi/object/bpf_names.h"
#include "abi/object/datasec.h"
#include "absl/strings/str_format.h"
#include "btfdiff/base/status_macros.h"
#include "btfdiff/base/text.h"

namespace kcontract {
namespace {

// A variable of a map section's DATASEC: the map it declares and the struct
// its type resolves to (a map definition, or a struct_ops callback table).
struct MapVariable {
  BpfMap map;
  TypeId struct_id;
  const btf_type* struct_type = nullptr;
  uint32_t datasec_offset = 0;
};

using AddMap = std::function<absl::Status(MapVariable&)>;

// Without BTF (or its DATASEC), a section's maps are known only by their
// symbols; `type` is what the section itself implies (0: unknown).
void MapsFromSymbols(const ObjectElf& elf, const ElfSection& section, uint32_t type,
                     BpfObject* object) {
  for (const ElfSymbol& sym : elf.symbols()) {
    if (sym.section_index != section.index || sym.type != STT_OBJECT) continue;
    BpfMap map;
    map.name = sym.name;
    map.section = section.name;
    map.type = type;
    if (type != 0) map.type_name = MapTypeName(type);
    object->maps.push_back(std::move(map));
  }
}

// Calls `add` for every variable of the section's DATASEC, then appends its
// map to object->maps; `kind` names such maps in errors ("map",
// "struct_ops map"). Without the DATASEC: the maps of the section's symbols,
// of `implied_type`.
absl::Status ReadMapSection(const ObjectElf& elf, const ElfSection& section,
                            uint32_t implied_type, std::string_view kind, BpfObject* object,
                            const AddMap& add) {
  std::optional<std::span<const btf_var_secinfo>> entries =
      DatasecEntries(object->btf.get(), section.name);
  if (!entries) {
    MapsFromSymbols(elf, section, implied_type, object);
    return absl::OkStatus();
  }
  const Btf& btf = *object->btf;
  for (const btf_var_secinfo& entry : *entries) {
    TypeId var{entry.type};
    if (btf.Kind(var) != BTF_KIND_VAR) continue;
    MapVariable v;
    v.map.name = std::string(btf.Name(var));
    v.map.section = section.name;
    v.struct_id = btf.SkipModsAndTypedefs(TypeId{btf.Type(var)->type});
    v.struct_type = btf.Type(v.struct_id);
    if (v.struct_type == nullptr || !btf_is_struct(v.struct_type)) {
      return MalformedObject(object->path, absl::StrFormat(
          "%s %s in %s is not a struct (BTF type [%d])", kind, PrintableName(v.map.name),
          section.name, v.struct_id.value));
    }
    v.datasec_offset = entry.offset;
    KC_RETURN_IF_ERROR(add(v));
    object->maps.push_back(std::move(v.map));
  }
  return absl::OkStatus();
}

void WarnIfStaticMap(const ObjectElf& elf, const BpfMap& map, uint32_t section,
                     BpfObject* object) {
  const ElfSymbol* sym = elf.SymbolIn(map.name, section);
  if (sym != nullptr && sym->binding == STB_LOCAL) {
    object->warnings.push_back(
        absl::StrFormat("map %s in section %s is static: libbpf 1.x refuses static maps",
                        PrintableName(map.name), map.section));
  }
}

// A BTF-defined map's type: __uint(type, X) is "int (*type)[X]".
uint32_t DefinedMapType(const Btf& btf, const btf_type* definition) {
  uint32_t type = 0;
  const btf_member* members = btf_members(definition);
  for (uint16_t m = 0; m < btf_vlen(definition); ++m) {
    if (btf.String(members[m].name_off) != "type") continue;
    const btf_type* ptr = btf.Type(btf.SkipModsAndTypedefs(TypeId{members[m].type}));
    if (ptr == nullptr || !btf_is_ptr(ptr)) break;
    const btf_type* array = btf.Type(btf.SkipMods(TypeId{ptr->type}));
    if (array == nullptr || !btf_is_array(array)) break;
    type = btf_array(array)->nelems;
  }
  return type;
}

// The program a struct_ops relocation points to: a function symbol, or a
// section symbol plus the offset (libbpf takes the symbol's value).
std::string ProgramOfSymbol(const ObjectElf& elf, const FunctionTable& functions,
                            const ElfSymbol& sym) {
  if (sym.type == STT_FUNC) return sym.name;
  if (sym.section_index == SHN_UNDEF || sym.section_index >= SHN_LORESERVE) return sym.name;
  return functions.NameAt(elf, sym.section_index, sym.value).value_or(sym.name);
}

bool IsCallbackMember(const Btf& btf, const btf_member& member) {
  const btf_type* type = btf.Type(btf.SkipModsAndTypedefs(TypeId{member.type}));
  if (type == nullptr || !btf_is_ptr(type)) return false;
  const btf_type* pointee = btf.Type(btf.SkipModsAndTypedefs(TypeId{type->type}));
  return pointee != nullptr && btf_is_func_proto(pointee);
}

// Which members of a struct_ops map's table a program implements (from the
// section's relocations) and which data members hold non-zero bytes.
absl::Status ReadStructOpsTable(const ObjectElf& elf, const FunctionTable& functions,
                                const ElfSection& section, MapVariable& v,
                                const BpfObject& object) {
  const Btf& btf = *object.btf;
  BpfMap& map = v.map;
  const btf_type* table = v.struct_type;
  map.struct_ops_type = std::string(btf.Name(v.struct_id));
  map.struct_ops_type_id = v.struct_id;
  // clang leaves DATASEC offsets at 0 in objects; the symbol has the truth.
  const ElfSymbol* sym = elf.SymbolIn(map.name, section.index);
  uint64_t base = sym != nullptr ? sym->value : v.datasec_offset;
  if (base > section.data.size() || table->size > section.data.size() - base) {
    return MalformedObject(object.path, absl::StrFormat(
        "struct_ops map %s (offset %d, %d bytes) lies outside section %s (%d bytes)",
        PrintableName(map.name), base, table->size, section.name, section.data.size()));
  }
  const btf_member* members = btf_members(table);
  for (uint16_t m = 0; m < btf_vlen(table); ++m) {
    std::string member_name(btf.String(members[m].name_off));
    uint32_t bit_offset = btf_member_bit_offset(table, m);
    uint32_t bit_size = btf_member_bitfield_size(table, m);
    uint64_t offset = base + bit_offset / 8;
    if (IsCallbackMember(btf, members[m])) {
      if (const ElfRelocation* reloc = elf.RelocationAt(section.index, offset)) {
        map.struct_ops_programs.push_back(
            {member_name, ProgramOfSymbol(elf, functions, elf.symbols()[reloc->symbol])});
      }
      continue;
    }
    uint64_t size = bit_size != 0 ? (bit_offset % 8 + bit_size + 7) / 8
                                  : btf.ResolveSize(TypeId{members[m].type}).value_or(0);
    std::optional<ByteView> bytes = Slice(section.data, offset, size);
    if (!bytes || offset + size > base + table->size) {
      return MalformedObject(object.path, absl::StrFormat(
          "struct_ops map %s: member %s (offset %d, %d bytes) lies outside the struct",
          PrintableName(map.name), PrintableName(member_name), offset - base, size));
    }
    if (std::any_of(bytes->begin(), bytes->end(), [](uint8_t b) { return b != 0; })) {
      map.struct_ops_data_members.push_back(member_name);
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status CollectMaps(const ObjectElf& elf, const FunctionTable& functions, BpfObject* object) {
  if (const ElfSection* maps = elf.Find(".maps")) {
    KC_RETURN_IF_ERROR(ReadMapSection(elf, *maps, /*implied_type=*/0, "map", object,
                                      [&](MapVariable& v) {
                                        v.map.type = DefinedMapType(*object->btf, v.struct_type);
                                        v.map.type_name = MapTypeName(v.map.type);
                                        WarnIfStaticMap(elf, v.map, maps->index, object);
                                        return absl::OkStatus();
                                      }));
  }
  if (elf.Find("maps") != nullptr) {
    object->legacy_maps = true;
    object->warnings.push_back(
        "legacy \"maps\" section (struct bpf_map_def): libbpf 1.x no longer supports it");
  }
  // Which libbpf release reads which of them is libbpf's rule
  // (abi/libbpf/section_rules.h): the model has them all.
  for (std::string_view name :
       {".struct_ops", ".struct_ops.link", "?.struct_ops", "?.struct_ops.link"}) {
    const ElfSection* section = elf.Find(name);
    if (section == nullptr) continue;
    KC_RETURN_IF_ERROR(ReadMapSection(elf, *section, BPF_MAP_TYPE_STRUCT_OPS, "struct_ops map",
                                      object, [&](MapVariable& v) {
                                        v.map.type = BPF_MAP_TYPE_STRUCT_OPS;
                                        v.map.type_name = MapTypeName(v.map.type);
                                        return ReadStructOpsTable(elf, functions, *section, v,
                                                                  *object);
                                      }));
  }
  return absl::OkStatus();
}

}  // namespace kcontract
