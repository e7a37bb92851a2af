#include "abi/object/code_reader.h"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <string_view>
#include <tuple>
#include <utility>

#include "abi/object/datasec.h"

namespace kcontract {
namespace {

// The most bytes of a data section kept for the analysis: .rodata is small;
// a larger section (a hostile .bss of gigabytes) is read as unknown.
constexpr uint64_t kMaxDataBytes = 1 << 20;

bool StartsWith(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

// The sections libbpf turns into internal maps, by name.
bool IsDataSectionName(std::string_view name) {
  return name == ".rodata" || name == ".data" || name == ".bss" || StartsWith(name, ".rodata.") ||
         StartsWith(name, ".data.");
}

void CollectSections(const ObjectElf& elf, const FunctionTable& functions, ObjectCode* code) {
  std::vector<uint32_t> indexes;
  for (const Function& f : functions.functions()) {
    if (std::find(indexes.begin(), indexes.end(), f.section) == indexes.end()) {
      indexes.push_back(f.section);
    }
  }
  std::sort(indexes.begin(), indexes.end());
  for (uint32_t index : indexes) {
    const ElfSection* section = elf.At(index);
    if (section == nullptr || !section->HasFileBytes()) continue;
    CodeSection out;
    out.index = index;
    out.name = section->name;
    out.insns.resize(section->data.size() / sizeof(bpf_insn));
    if (!out.insns.empty()) {
      std::memcpy(out.insns.data(), section->data.data(), out.insns.size() * sizeof(bpf_insn));
    }
    code->sections.push_back(std::move(out));
  }
}

void CollectFunctions(const ObjectElf& elf, const FunctionTable& functions, ObjectCode* code) {
  for (const Function& f : functions.functions()) {
    const ElfSymbol& symbol = elf.symbols()[f.symbol];
    code->functions.push_back(CodeFunction{symbol.name, f.section,
                                           static_cast<uint32_t>(f.offset / sizeof(bpf_insn)),
                                           static_cast<uint32_t>(f.size / sizeof(bpf_insn)),
                                           symbol.binding == STB_GLOBAL});
  }
}

void CollectReferences(const ObjectElf& elf, ObjectCode* code) {
  for (const CodeSection& section : code->sections) {
    for (uint32_t i = 0; i < section.insns.size(); ++i) {
      const ElfRelocation* relocation = elf.RelocationAt(section.index, uint64_t{i} * 8);
      if (relocation == nullptr || relocation->symbol >= elf.symbols().size()) continue;
      const ElfSymbol& symbol = elf.symbols()[relocation->symbol];
      CodeReference ref;
      ref.section = section.index;
      ref.insn = i;
      ref.symbol = symbol.type == STT_SECTION ? "" : symbol.name;
      ref.target_section = symbol.section_index;
      ref.symbol_offset = symbol.value;
      const ElfSection* target =
          symbol.section_index == SHN_UNDEF || symbol.section_index >= SHN_LORESERVE
              ? nullptr
              : elf.At(symbol.section_index);
      if (target == nullptr) {
        ref.kind = CodeReference::Kind::kExtern;
      } else if (IsCodeSection(*target)) {
        ref.kind = CodeReference::Kind::kFunction;
      } else if (target->name == ".maps" || target->name == "maps") {
        ref.kind = CodeReference::Kind::kMap;
      } else {
        ref.kind = CodeReference::Kind::kData;
      }
      code->references.push_back(std::move(ref));
    }
  }
}

void CollectData(const ObjectElf& elf, const Btf* btf, ObjectCode* code) {
  for (uint32_t index = 1;; ++index) {
    const ElfSection* section = elf.At(index);
    if (section == nullptr) break;
    if (!IsDataSectionName(section->name)) continue;
    DataSection out;
    out.index = index;
    out.name = section->name;
    out.read_only = StartsWith(section->name, ".rodata");
    if (section->size <= kMaxDataBytes) {
      if (section->type == SHT_NOBITS) {
        out.bytes.assign(section->size, 0);
      } else if (section->HasFileBytes()) {
        out.bytes.assign(section->data.begin(), section->data.end());
      }
    }
    if (auto entries = DatasecEntries(btf, section->name)) {
      for (const btf_var_secinfo& entry : *entries) {
        DataVariable v{std::string(btf->Name(TypeId{entry.type})), entry.offset, entry.size};
        // clang leaves a DATASEC's offsets at 0 in an object: libbpf takes
        // them from the variables' symbols when it opens it (btf_fixup_datasec).
        if (const ElfSymbol* symbol = elf.SymbolIn(v.name, index);
            symbol != nullptr && symbol->value <= UINT32_MAX) {
          v.offset = static_cast<uint32_t>(symbol->value);
        }
        out.variables.push_back(std::move(v));
      }
    }
    code->data.push_back(std::move(out));
  }
}

void CollectLines(const std::optional<BtfExt>& btf_ext, ObjectCode* code) {
  if (!btf_ext) return;
  for (const BtfExtSection<BtfExtLineInfo>& section : btf_ext->line_info) {
    auto it = std::find_if(code->sections.begin(), code->sections.end(),
                           [&](const CodeSection& s) { return s.name == section.section; });
    if (it == code->sections.end()) continue;
    for (const BtfExtLineInfo& line : section.records) {
      code->lines.push_back(ObjectCode::LineRecord{
          it->index, line.insn_off / 8, SourceLine{line.file, line.line_number, line.line}});
    }
  }
  std::stable_sort(code->lines.begin(), code->lines.end(),
                   [](const ObjectCode::LineRecord& a, const ObjectCode::LineRecord& b) {
                     return std::tie(a.section, a.insn) < std::tie(b.section, b.insn);
                   });
}

}  // namespace

void CollectCode(const ObjectElf& elf, const FunctionTable& functions,
                 const std::optional<BtfExt>& btf_ext, BpfObject* object) {
  ObjectCode& code = object->code;
  CollectSections(elf, functions, &code);
  CollectFunctions(elf, functions, &code);
  CollectReferences(elf, &code);
  CollectData(elf, object->btf.get(), &code);
  CollectLines(btf_ext, &code);
}

}  // namespace kcontract
