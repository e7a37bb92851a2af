#include "abi/object/rodata.h"

#include <linux/bpf.h>

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <utility>

#include "abi/object/datasec.h"
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
// index, byte offset), with the programs that run the load: from the code's
// data references (abi/object/object_code.h), as libbpf relocates them.
std::map<std::pair<uint32_t, uint64_t>, std::set<std::string>> RodataLoads(
    const ObjectElf& elf, const FunctionTable& functions, const ObjectCode& code) {
  std::map<std::pair<uint32_t, uint64_t>, std::set<std::string>> loads;
  std::vector<std::set<std::string>> running = ProgramsRunning(elf, functions);
  const std::vector<Function>& all = functions.functions();
  for (size_t i = 0; i < all.size(); ++i) {
    const Function& f = all[i];
    const CodeSection* section = code.Section(f.section);
    if (section == nullptr) continue;
    uint64_t first = f.offset / kInsnSize;
    uint64_t last = std::min<uint64_t>((f.offset + f.size) / kInsnSize, section->insns.size());
    for (uint64_t insn = first; insn + 1 < last; ++insn) {
      if (section->insns[insn].code != kLdImm64Opcode) continue;
      const CodeReference* ref = code.ReferenceAt(f.section, static_cast<uint32_t>(insn));
      const DataSection* data = ref != nullptr && ref->kind == CodeReference::Kind::kData
                                    ? code.Data(ref->target_section)
                                    : nullptr;
      if (data != nullptr && data->read_only) {
        // libbpf's data relocation: the symbol's value plus the
        // instruction's immediate (a section symbol's value is 0).
        int64_t at = static_cast<int64_t>(ref->symbol_offset) + section->insns[insn].imm;
        if (at >= 0) {
          std::set<std::string>& programs = loads[{data->index, static_cast<uint64_t>(at)}];
          programs.insert(running[i].begin(), running[i].end());
        }
      }
      ++insn;  // the second half of the 16-byte instruction
    }
  }
  return loads;
}

}  // namespace

void CollectRodata(const ObjectElf& elf, const FunctionTable& functions, BpfObject* object) {
  if (!object->btf) return;
  const Btf& btf = *object->btf;
  auto loads = RodataLoads(elf, functions, object->code);
  for (const DataSection& section : object->code.data) {
    if (!IsRodataSection(section.name)) continue;
    // The code reader keeps one variable per entry of the section's DATASEC,
    // in its order: the entries give each variable's BTF type.
    auto entries = DatasecEntries(&btf, section.name);
    if (!entries || entries->size() != section.variables.size()) continue;
    size_t first = object->rodata.size();
    for (size_t i = 0; i < entries->size(); ++i) {
      const DataVariable& data = section.variables[i];
      const btf_type* var = btf.Type(TypeId{(*entries)[i].type});
      if (var == nullptr || !btf_is_var(var)) continue;
      RodataVariable v;
      v.name = data.name;
      v.section = section.name;
      v.offset = data.offset;
      v.size = data.size;
      v.type = TypeId{var->type};
      v.declaration = CDeclaration(btf, v.type, v.name);
      v.const_volatile = IsConstVolatile(btf, v.type);
      if (uint64_t{v.offset} + v.size <= section.bytes.size()) {
        v.initial.assign(section.bytes.begin() + v.offset, section.bytes.begin() + v.offset + v.size);
      }
      std::set<std::string> readers;
      auto begin = loads.lower_bound({section.index, v.offset});
      auto end = loads.lower_bound({section.index, uint64_t{v.offset} + v.size});
      for (auto it = begin; it != end; ++it) readers.insert(it->second.begin(), it->second.end());
      v.read_by.assign(readers.begin(), readers.end());
      object->rodata.push_back(std::move(v));
    }
    std::sort(object->rodata.begin() + first, object->rodata.end(),
              [](const RodataVariable& a, const RodataVariable& b) { return a.offset < b.offset; });
  }
}

}  // namespace kcontract
