// ObjectCode: a BPF object's instructions and data as libbpf links them,
// kept after reading so that the verifier-reach analysis (abi/reach) can
// rebuild each program the way libbpf hands it to the kernel: the
// program's function with the subprograms it calls appended, each
// instruction's relocation resolved, .rodata's initial bytes, and the
// source line of each instruction from .BTF.ext.
#ifndef KCONTRACT_ABI_OBJECT_OBJECT_CODE_H_
#define KCONTRACT_ABI_OBJECT_OBJECT_CODE_H_

#include <linux/bpf.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kcontract {

// A section of instructions (a program section or .text).
struct CodeSection {
  uint32_t index = 0;  // ELF section index
  std::string name;
  std::vector<bpf_insn> insns;
};

// A function: a program, or a subprogram (.text) programs may call.
struct CodeFunction {
  std::string name;
  uint32_t section = 0;  // ELF section index
  uint32_t first = 0;    // instruction index in its section
  uint32_t count = 0;
  bool global = false;   // STB_GLOBAL: the verifier checks a global subprogram on its own
};

// A relocation of one instruction: what libbpf puts there.
struct CodeReference {
  enum class Kind {
    kMap,       // an LD_IMM64 of a map (.maps, legacy maps): its fd
    kData,      // an LD_IMM64 into a data section: a map-value pointer
    kExtern,    // a kfunc call, or an LD_IMM64 of a ksym or kconfig extern
    kFunction,  // a BPF-to-BPF call or a function pointer into another section
  };
  uint32_t section = 0;  // the section of the relocated instruction
  uint32_t insn = 0;     // its index there
  Kind kind = Kind::kData;
  std::string symbol;    // the map, extern or function symbol ("" for a section symbol)
  uint32_t target_section = 0;  // kData, kFunction: the section referred to
  uint64_t symbol_offset = 0;   // the symbol's value: its byte offset in that section
};

// A data section (.rodata*, .data*, .bss, .kconfig) and its variables.
struct DataVariable {
  std::string name;
  uint32_t offset = 0;
  uint32_t size = 0;
};
struct DataSection {
  uint32_t index = 0;
  std::string name;
  // libbpf maps .rodata* with BPF_F_RDONLY_PROG and freezes it: the
  // verifier reads its bytes as constants.
  bool read_only = false;
  std::vector<uint8_t> bytes;  // initial contents (zeros for .bss)
  std::vector<DataVariable> variables;  // from the section's BTF DATASEC
};

struct SourceLine {
  std::string file;
  uint32_t line = 0;
  std::string text;
};

struct ObjectCode {
  std::vector<CodeSection> sections;
  std::vector<CodeFunction> functions;  // by (section, first)
  std::vector<CodeReference> references;  // by (section, insn)
  std::vector<DataSection> data;

  const CodeSection* Section(uint32_t index) const;
  const CodeSection* SectionNamed(std::string_view name) const;
  const DataSection* Data(uint32_t index) const;
  // The function covering instruction `insn` of `section`, or null.
  const CodeFunction* FunctionAt(uint32_t section, uint32_t insn) const;
  // The function starting at instruction `insn` of `section`, or null.
  const CodeFunction* FunctionStartingAt(uint32_t section, uint32_t insn) const;
  const CodeFunction* FunctionNamed(std::string_view name) const;
  const CodeReference* ReferenceAt(uint32_t section, uint32_t insn) const;
  // The source line of instruction `insn` of `section` (.BTF.ext line info:
  // the last record at or before it), or nullopt.
  std::optional<SourceLine> LineAt(uint32_t section, uint32_t insn) const;

  // .BTF.ext line info, by section index: (instruction index, line).
  struct LineRecord {
    uint32_t section = 0;
    uint32_t insn = 0;
    SourceLine line;
  };
  std::vector<LineRecord> lines;  // by (section, insn)
};

}  // namespace kcontract

#endif  // KCONTRACT_ABI_OBJECT_OBJECT_CODE_H_
