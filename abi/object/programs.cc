#include "abi/object/programs.h"

#include <linux/bpf.h>

#include <algorithm>
#include <tuple>
#include <utility>

#include "abi/object/bpf_names.h"
#include "absl/strings/str_format.h"
#include "btfdiff/base/status_macros.h"
#include "btfdiff/base/text.h"

namespace kcontract {
namespace {

constexpr uint8_t kCallOpcode = BPF_JMP | BPF_CALL;            // 0x85
constexpr uint8_t kLdImm64Opcode = BPF_LD | BPF_IMM | BPF_DW;  // 0x18

// The byte offset a BPF_PSEUDO_CALL at `from` lands on: imm counts
// instructions after the call's own.
int64_t CallTarget(int64_t from, int32_t imm) {
  return from + (static_cast<int64_t>(imm) + 1) * static_cast<int64_t>(kInsnSize);
}

}  // namespace

absl::StatusOr<FunctionTable> FunctionTable::Read(const ObjectElf& elf, std::string_view what) {
  FunctionTable table;
  KC_RETURN_IF_ERROR(table.Collect(elf, what));
  // A big-endian object's instructions are in its byte order: not read.
  if (elf.big_endian()) return table;
  for (Function& f : table.functions_) table.CollectCalls(elf, f);
  return table;
}

absl::Status FunctionTable::Collect(const ObjectElf& elf, std::string_view what) {
  const std::vector<ElfSymbol>& symbols = elf.symbols();
  for (uint32_t i = 0; i < symbols.size(); ++i) {
    const ElfSymbol& sym = symbols[i];
    if (sym.type != STT_FUNC || sym.section_index == SHN_UNDEF ||
        sym.section_index >= SHN_LORESERVE) {
      continue;
    }
    const ElfSection* section = elf.At(sym.section_index);
    if (section == nullptr) {
      return MalformedObject(what, absl::StrFormat(
          "function %s lies in section %d, which does not exist", PrintableName(sym.name),
          sym.section_index));
    }
    if (!IsCodeSection(*section)) continue;
    if (sym.value > section->size || sym.size > section->size - sym.value) {
      return MalformedObject(what, absl::StrFormat(
          "function %s (offset %d, %d bytes) crosses the end of section %s (%d bytes)",
          PrintableName(sym.name), sym.value, sym.size, PrintableName(section->name),
          section->size));
    }
    if (sym.value % kInsnSize != 0 || sym.size % kInsnSize != 0) {
      return MalformedObject(what, absl::StrFormat(
          "function %s (offset %d, %d bytes) is not made of whole %d-byte instructions",
          PrintableName(sym.name), sym.value, sym.size, kInsnSize));
    }
    Function f;
    f.symbol = i;
    f.section = sym.section_index;
    f.offset = sym.value;
    f.size = sym.size;
    functions_.push_back(std::move(f));
  }
  std::sort(functions_.begin(), functions_.end(), [](const Function& a, const Function& b) {
    return std::tie(a.section, a.offset) < std::tie(b.section, b.offset);
  });
  return absl::OkStatus();
}

std::optional<size_t> FunctionTable::At(uint32_t section, uint64_t offset) const {
  // functions_ is sorted by (section, offset): walk back from the last
  // function starting at or before `offset`.
  auto after = std::upper_bound(
      functions_.begin(), functions_.end(), std::make_pair(section, offset),
      [](const std::pair<uint32_t, uint64_t>& key, const Function& f) {
        return key < std::make_pair(f.section, f.offset);
      });
  while (after != functions_.begin()) {
    --after;
    const Function& f = *after;
    if (f.section != section) break;
    if (offset < f.offset + f.size || (f.size == 0 && offset == f.offset)) {
      return static_cast<size_t>(after - functions_.begin());
    }
  }
  return std::nullopt;
}

std::optional<std::string> FunctionTable::NameAt(const ObjectElf& elf, uint32_t section,
                                                 uint64_t offset) const {
  std::optional<size_t> f = At(section, offset);
  if (!f) return std::nullopt;
  return elf.symbols()[functions_[*f].symbol].name;
}

void FunctionTable::CollectCalls(const ObjectElf& elf, Function& f) const {
  ByteView code = elf.At(f.section)->data;
  for (uint64_t off = f.offset; off < f.offset + f.size; off += kInsnSize) {
    uint8_t opcode = code[off];
    if (opcode == kLdImm64Opcode) {
      off += kInsnSize;  // the second half of a 16-byte instruction
      continue;
    }
    if (opcode != kCallOpcode) continue;
    uint8_t src_reg = code[off + 1] >> 4;
    int32_t imm = *ReadLe<int32_t>(code, off + 4);
    if (const ElfRelocation* reloc = elf.RelocationAt(f.section, off)) {
      const ElfSymbol& target = elf.symbols()[reloc->symbol];
      if (target.section_index == SHN_UNDEF) {
        if (target.name.empty()) continue;  // the null symbol: nothing to name
        // A call to an extern function: a kfunc. clang emits it as a
        // BPF_PSEUDO_CALL with a relocation; libbpf rewrites it to
        // BPF_PSEUDO_KFUNC_CALL with the kernel's BTF id.
        f.kfuncs.insert(target.name);
        continue;
      }
      if (src_reg == BPF_PSEUDO_CALL) {
        AddCallee(f, target.section_index,
                  CallTarget(static_cast<int64_t>(target.value), imm));
      }
      continue;
    }
    if (src_reg == 0) {
      f.helpers.insert(imm);
    } else if (src_reg == BPF_PSEUDO_CALL) {
      AddCallee(f, f.section, CallTarget(static_cast<int64_t>(off), imm));
    }
  }
}

void FunctionTable::AddCallee(Function& caller, uint32_t section, int64_t offset) const {
  if (offset < 0) return;
  std::optional<size_t> callee = At(section, static_cast<uint64_t>(offset));
  if (callee) caller.callees.insert(*callee);
}

void CollectPrograms(const ObjectElf& elf, const FunctionTable& functions, BpfObject* object) {
  const ElfSection* text = elf.Find(".text");
  const std::vector<Function>& all = functions.functions();
  for (size_t i = 0; i < all.size(); ++i) {
    const Function& f = all[i];
    if (text != nullptr && f.section == text->index) continue;  // subprograms
    const ElfSymbol& sym = elf.symbols()[f.symbol];
    BpfProgram program;
    program.name = sym.name;
    program.section = elf.At(f.section)->name;
    // A leading '?' only turns autoload off; libbpf drops it from the name.
    if (!program.section.empty() && program.section[0] == '?') {
      program.section.erase(0, 1);
      program.autoload = false;
    }
    program.section_offset = f.offset;
    program.insn_count = f.size / kInsnSize;
    program.global = sym.binding != STB_LOCAL;
    if (!program.global) {
      object->warnings.push_back(absl::StrFormat(
          "program %s in section %s is static: libbpf 1.x refuses to open the object "
          "(\"program '%s' is static and not supported\")",
          PrintableName(program.name), PrintableName(program.section),
          PrintableName(program.name)));
    }
    ClassifySection(&program);
    // Calls of the program and of every subprogram it reaches.
    std::set<int32_t> helpers;
    std::set<std::string> kfuncs;
    std::set<size_t> seen{i};
    std::vector<size_t> stack{i};
    while (!stack.empty()) {
      const Function& g = all[stack.back()];
      stack.pop_back();
      helpers.insert(g.helpers.begin(), g.helpers.end());
      kfuncs.insert(g.kfuncs.begin(), g.kfuncs.end());
      for (size_t callee : g.callees) {
        if (seen.insert(callee).second) stack.push_back(callee);
      }
    }
    program.helper_calls.assign(helpers.begin(), helpers.end());
    program.kfunc_calls.assign(kfuncs.begin(), kfuncs.end());
    object->programs.push_back(std::move(program));
  }
}

}  // namespace kcontract
