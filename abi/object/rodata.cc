#include "abi/object/rodata.h"

#include <linux/bpf.h>

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <utility>

#include "btfdiff/model/c_decl.h"

namespace kcontract {
namespace {

constexpr uint8_t kLdImm64Opcode = BPF_LD | BPF_IMM | BPF_DW;  // 0x18

bool IsRodataSection(std::string_view name) {
  return name == ".rodata" || name.starts_with(".rodata.");
}

// Whether `type` (or, for an array, its elements) is both const and
// volatile: clang puts an array's qualifiers on its element type.
bool IsConstVolatile(const Btf& btf, TypeId type) {
  bool is_const = false;
  bool is_volatile = false;
  for (int depth = 0; depth < 64 && !type.is_void(); ++depth) {
    const btf_type* t = btf.Type(type);
    if (t == nullptr) return false;
    switch (btf_kind(t)) {
      case BTF_KIND_CONST: is_const = true; break;
      case BTF_KIND_VOLATILE: is_volatile = true; break;
      case BTF_KIND_RESTRICT:
      case BTF_KIND_TYPE_TAG: break;
      case BTF_KIND_ARRAY:
        if (is_const && is_volatile) return true;
        type = TypeId{btf_array(t)->type};
        continue;
      default: return is_const && is_volatile;
    }
    type = TypeId{t->type};
  }
  return is_const && is_volatile;
}

// For each function, the programs that run it: itself when it is one, and
// every program calling it, directly or not.
std::vector<std::set<std::string>> ProgramsRunning(const ObjectElf& elf,
                                                   const FunctionTable& functions) {
  const std::vector<Function>& all = functions.functions();
  std::vector<std::set<std::string>> running(all.size());
  const ElfSection* text = elf.Find(".text");
  for (size_t i = 0; i < all.size(); ++i) {
    if (text != nullptr && all[i].section == text->index) continue;  // subprograms
    const std::string& program = elf.symbols()[all[i].symbol].name;
    std::vector<size_t> stack{i};
    std::set<size_t> seen{i};
    while (!stack.empty()) {
      size_t f = stack.back();
      stack.pop_back();
      running[f].insert(program);
      for (size_t callee : all[f].callees) {
        if (seen.insert(callee).second) stack.push_back(callee);
      }
    }
  }
  return running;
}

// Where each 64-bit load of a read-only data address points, as (section
// index, byte offset), with the programs that run the load.
std::map<std::pair<uint32_t, uint64_t>, std::set<std::string>> RodataLoads(
    const ObjectElf& elf, const FunctionTable& functions) {
  std::map<std::pair<uint32_t, uint64_t>, std::set<std::string>> loads;
  std::vector<std::set<std::string>> running = ProgramsRunning(elf, functions);
  const std::vector<Function>& all = functions.functions();
  for (size_t i = 0; i < all.size(); ++i) {
    const Function& f = all[i];
    ByteView code = elf.At(f.section)->data;
    for (uint64_t off = f.offset; off + 2 * kInsnSize <= f.offset + f.size; off += kInsnSize) {
      if (code[off] != kLdImm64Opcode) continue;
      const ElfRelocation* reloc = elf.RelocationAt(f.section, off);
      if (reloc != nullptr && reloc->symbol < elf.symbols().size()) {
        const ElfSymbol& sym = elf.symbols()[reloc->symbol];
        const ElfSection* target = elf.At(sym.section_index);
        if (sym.section_index != SHN_UNDEF && sym.section_index < SHN_LORESERVE &&
            target != nullptr && IsRodataSection(target->name)) {
          // libbpf's data relocation: the symbol's value plus the
          // instruction's immediate (a section symbol's value is 0).
          int64_t at = static_cast<int64_t>(sym.value) + *ReadLe<int32_t>(code, off + 4);
          if (at >= 0) {
            std::set<std::string>& programs = loads[{sym.section_index, static_cast<uint64_t>(at)}];
            programs.insert(running[i].begin(), running[i].end());
          }
        }
      }
      off += kInsnSize;  // the second half of the 16-byte instruction
    }
  }
  return loads;
}

}  // namespace

void CollectRodata(const ObjectElf& elf, const FunctionTable& functions, BpfObject* object) {
  if (!object->btf) return;
  const Btf& btf = *object->btf;
  auto loads = RodataLoads(elf, functions);
  for (TypeId id : btf.IdsOfKind(BTF_KIND_DATASEC)) {
    std::string section_name(btf.Name(id));
    if (!IsRodataSection(section_name)) continue;
    const ElfSection* section = elf.Find(section_name);
    const btf_type* datasec = btf.Type(id);
    const btf_var_secinfo* entries = btf_var_secinfos(datasec);
    size_t first = object->rodata.size();
    for (uint16_t i = 0; i < btf_vlen(datasec); ++i) {
      TypeId var_id{entries[i].type};
      const btf_type* var = btf.Type(var_id);
      if (var == nullptr || !btf_is_var(var)) continue;
      RodataVariable v;
      v.name = std::string(btf.Name(var_id));
      v.section = section_name;
      // clang leaves a DATASEC's offsets at 0 in an object: libbpf takes
      // them from the variables' symbols when it opens it (btf_fixup_datasec).
      const ElfSymbol* symbol = section ? elf.SymbolIn(v.name, section->index) : nullptr;
      if (symbol == nullptr || symbol->value > UINT32_MAX) continue;
      v.offset = static_cast<uint32_t>(symbol->value);
      v.size = entries[i].size != 0 ? entries[i].size : static_cast<uint32_t>(symbol->size);
      v.type = TypeId{var->type};
      v.declaration = CDeclaration(btf, v.type, v.name);
      v.const_volatile = IsConstVolatile(btf, v.type);
      if (section != nullptr && section->type == SHT_NOBITS) {
        v.initial.assign(v.size, 0);
      } else if (section != nullptr) {
        if (std::optional<ByteView> bytes = Slice(section->data, v.offset, v.size)) {
          v.initial.assign(bytes->begin(), bytes->end());
        }
      }
      std::set<std::string> readers;
      if (section != nullptr) {
        auto begin = loads.lower_bound({section->index, v.offset});
        auto end = loads.lower_bound({section->index, uint64_t{v.offset} + v.size});
        for (auto it = begin; it != end; ++it) readers.insert(it->second.begin(), it->second.end());
      }
      v.read_by.assign(readers.begin(), readers.end());
      object->rodata.push_back(std::move(v));
    }
    std::sort(object->rodata.begin() + first, object->rodata.end(),
              [](const RodataVariable& a, const RodataVariable& b) { return a.offset < b.offset; });
  }
}

}  // namespace kcontract
