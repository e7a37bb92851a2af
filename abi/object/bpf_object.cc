#include "abi/object/bpf_object.h"

#include <bpf/libbpf.h>
#include <elf.h>

#include <algorithm>
#include <cstring>
#include <functional>
#include <map>
#include <set>
#include <type_traits>
#include <utility>

#include "abi/object/btf_ext.h"
#include "abi/object/opt_in_tags.h"
#include "absl/strings/str_format.h"
#include "btfdiff/base/file_bytes.h"
#include "btfdiff/base/status_macros.h"
#include "btfdiff/base/text.h"
#include "btfdiff/model/c_decl.h"

namespace kcontract {
namespace {

// ---------------------------------------------------------------------------
// A small ELF64 little-endian reader for BPF objects. BPF objects are small
// and often untrusted (pulled out of other binaries), so every field is read
// through ReadLe/Slice and every index is checked before use.

constexpr uint16_t kEmBpf = 247;  // EM_BPF
constexpr uint64_t kEhdrSize = 64;
constexpr uint64_t kShdrSize = 64;
constexpr uint64_t kSymSize = 24;
constexpr uint64_t kRelSize = 16;
constexpr uint64_t kInsnSize = 8;

constexpr uint32_t kMaxCoreReloKind = BPF_CORE_TYPE_MATCHES;
constexpr uint8_t kCallOpcode = BPF_JMP | BPF_CALL;       // 0x85
constexpr uint8_t kLdImm64Opcode = BPF_LD | BPF_IMM | BPF_DW;  // 0x18

struct ElfHeader {
  uint8_t elf_class = 0;
  uint8_t encoding = 0;
  uint16_t type = 0;
  uint16_t machine = 0;
  uint64_t shoff = 0;
  uint16_t shentsize = 0;
  uint16_t shnum = 0;
  uint16_t shstrndx = 0;
};

// The header fields, read little-endian; nullopt when `bytes` is shorter
// than an ELF64 header or lacks the magic.
std::optional<ElfHeader> ReadElfHeader(ByteView bytes) {
  if (!StartsWith(bytes, "\x7f" "ELF") || bytes.size() < kEhdrSize) return std::nullopt;
  ElfHeader h;
  h.elf_class = bytes[EI_CLASS];
  h.encoding = bytes[EI_DATA];
  h.type = *ReadLe<uint16_t>(bytes, 16);
  h.machine = *ReadLe<uint16_t>(bytes, 18);
  h.shoff = *ReadLe<uint64_t>(bytes, 40);
  h.shentsize = *ReadLe<uint16_t>(bytes, 58);
  h.shnum = *ReadLe<uint16_t>(bytes, 60);
  h.shstrndx = *ReadLe<uint16_t>(bytes, 62);
  return h;
}

std::string MachineName(uint16_t machine) {
  switch (machine) {
    case EM_X86_64: return "x86-64";
    case EM_386: return "i386";
    case EM_AARCH64: return "AArch64";
    case EM_ARM: return "ARM";
    case EM_RISCV: return "RISC-V";
    case EM_PPC64: return "PowerPC64";
    case EM_S390: return "s390";
    case EM_LOONGARCH: return "LoongArch";
    case kEmBpf: return "BPF";
    default: return absl::StrFormat("machine %d", machine);
  }
}

std::string ElfTypeName(uint16_t type) {
  switch (type) {
    case ET_REL: return "relocatable object";
    case ET_EXEC: return "executable";
    case ET_DYN: return "shared object";
    case ET_CORE: return "core file";
    default: return absl::StrFormat("file of type %d", type);
  }
}

// "an ELF executable for x86-64": what a non-BPF ELF file is.
std::string DescribeElf(ByteView bytes) {
  if (bytes.size() < kEhdrSize) return "a truncated ELF file";
  std::optional<ElfHeader> h = ReadElfHeader(bytes);
  if (!h) return "a truncated ELF file";
  if (h->elf_class != ELFCLASS64) return "a 32-bit ELF file";
  if (h->encoding != ELFDATA2LSB) return "a big-endian ELF file";
  return absl::StrFormat("an ELF %s for %s", ElfTypeName(h->type), MachineName(h->machine));
}

struct Section {
  uint32_t index = 0;
  std::string name;
  uint32_t type = 0;
  uint64_t flags = 0;
  uint64_t offset = 0;
  uint64_t size = 0;
  uint32_t link = 0;
  uint32_t info = 0;
  uint64_t entsize = 0;
  ByteView data;  // empty for SHT_NOBITS / SHT_NULL
};

struct Symbol {
  std::string name;
  uint8_t bind = 0;
  uint8_t type = 0;
  uint16_t shndx = 0;
  uint64_t value = 0;
  uint64_t size = 0;
};

struct Reloc {
  uint64_t offset = 0;
  uint32_t symbol = 0;
  uint32_t type = 0;
};

// A NUL-terminated string at `offset` of a string table, or nullopt.
std::optional<std::string> TableString(ByteView table, uint64_t offset) {
  if (offset >= table.size()) return std::nullopt;
  const uint8_t* begin = table.data() + offset;
  const void* nul = std::memchr(begin, 0, table.size() - offset);
  if (nul == nullptr) return std::nullopt;
  return std::string(reinterpret_cast<const char*>(begin),
                     static_cast<const uint8_t*>(nul) - begin);
}

class BpfElf {
 public:
  static absl::StatusOr<BpfElf> Parse(ByteView bytes, std::string_view what) {
    BpfElf elf;
    KC_RETURN_IF_ERROR(elf.ParseImpl(bytes, what));
    return elf;
  }

  const Section* Find(std::string_view name) const {
    for (const Section& s : sections) {
      if (s.index != 0 && s.name == name) return &s;
    }
    return nullptr;
  }
  const Section* At(uint32_t index) const {
    return index < sections.size() ? &sections[index] : nullptr;
  }
  // The relocation of the section's bytes at `offset`, if any.
  const Reloc* RelocAt(uint32_t section, uint64_t offset) const {
    auto it = reloc_index_.find({section, offset});
    return it == reloc_index_.end() ? nullptr : &it->second;
  }

  ElfHeader header;
  std::vector<Section> sections;
  std::vector<Symbol> symbols;
  bool has_symtab = false;

 private:
  absl::Status Error(std::string_view what, std::string_view message) const {
    return absl::DataLossError(absl::StrFormat("%s: malformed BPF object: %s", what, message));
  }

  absl::Status ParseImpl(ByteView bytes, std::string_view what) {
    std::optional<ElfHeader> h = ReadElfHeader(bytes);
    if (!h) {
      return Error(what, absl::StrFormat("truncated ELF: %d bytes, shorter than the %d-byte "
                                         "ELF header",
                                         bytes.size(), kEhdrSize));
    }
    header = *h;
    uint64_t count = h->shnum;
    if (h->shoff == 0) return Error(what, "no section header table");
    if (h->shentsize != kShdrSize) {
      return Error(what, absl::StrFormat("section header size %d (expected %d)", h->shentsize,
                                         kShdrSize));
    }
    if (count == 0) {
      // Extended numbering: the count lives in section 0's sh_size.
      std::optional<uint64_t> extended = ReadLe<uint64_t>(bytes, h->shoff + 32);
      if (!extended) {
        return Error(what, absl::StrFormat("truncated ELF: section header table at offset %d "
                                           "lies outside the file (%d bytes)",
                                           h->shoff, bytes.size()));
      }
      count = *extended;
    }
    if (count > bytes.size() / kShdrSize) {
      return Error(what, absl::StrFormat("truncated ELF: section header table (offset %d, %d "
                                         "entries) lies outside the file (%d bytes)",
                                         h->shoff, count, bytes.size()));
    }
    std::optional<ByteView> table = Slice(bytes, h->shoff, count * kShdrSize);
    if (!table) {
      return Error(what, absl::StrFormat("truncated ELF: section header table (offset %d, %d "
                                         "entries) lies outside the file (%d bytes)",
                                         h->shoff, count, bytes.size()));
    }
    sections.resize(count);
    for (uint64_t i = 0; i < count; ++i) {
      ByteView sh = table->subspan(i * kShdrSize, kShdrSize);
      Section& s = sections[i];
      s.index = static_cast<uint32_t>(i);
      s.type = *ReadLe<uint32_t>(sh, 4);
      s.flags = *ReadLe<uint64_t>(sh, 8);
      s.offset = *ReadLe<uint64_t>(sh, 24);
      s.size = *ReadLe<uint64_t>(sh, 32);
      s.link = *ReadLe<uint32_t>(sh, 40);
      s.info = *ReadLe<uint32_t>(sh, 44);
      s.entsize = *ReadLe<uint64_t>(sh, 56);
      if (i != 0 && s.type != SHT_NOBITS && s.type != SHT_NULL) {
        std::optional<ByteView> data = Slice(bytes, s.offset, s.size);
        if (!data) {
          return Error(what, absl::StrFormat("truncated ELF: section %d (offset %d, size %d) lies "
                                             "outside the file (%d bytes)",
                                             i, s.offset, s.size, bytes.size()));
        }
        s.data = *data;
      }
    }
    uint64_t shstrndx = h->shstrndx == SHN_XINDEX ? sections[0].link : h->shstrndx;
    if (shstrndx == 0 || shstrndx >= count || sections[shstrndx].type != SHT_STRTAB) {
      return Error(what, absl::StrFormat("section name table index %d is invalid", shstrndx));
    }
    for (uint64_t i = 1; i < count; ++i) {
      uint32_t name_off = *ReadLe<uint32_t>(table->subspan(i * kShdrSize, kShdrSize), 0);
      std::optional<std::string> name = TableString(sections[shstrndx].data, name_off);
      if (!name) {
        return Error(what, absl::StrFormat("section %d has a name offset %d outside the section "
                                           "name table",
                                           i, name_off));
      }
      sections[i].name = std::move(*name);
    }
    KC_RETURN_IF_ERROR(ParseSymbols(what));
    return ParseRelocs(what);
  }

  absl::Status ParseSymbols(std::string_view what) {
    for (const Section& s : sections) {
      if (s.type != SHT_SYMTAB) continue;
      if (s.entsize != kSymSize || s.size % kSymSize != 0) {
        return Error(what, absl::StrFormat("symbol table entry size %d (expected %d)", s.entsize,
                                           kSymSize));
      }
      const Section* strtab = At(s.link);
      if (strtab == nullptr || strtab->type != SHT_STRTAB) {
        return Error(what, absl::StrFormat("symbol table links to section %d, not a string table",
                                           s.link));
      }
      uint64_t count = s.size / kSymSize;
      symbols.resize(count);
      for (uint64_t i = 0; i < count; ++i) {
        ByteView raw = s.data.subspan(i * kSymSize, kSymSize);
        Symbol& sym = symbols[i];
        uint32_t name_off = *ReadLe<uint32_t>(raw, 0);
        uint8_t info = raw[4];
        sym.bind = ELF64_ST_BIND(info);
        sym.type = ELF64_ST_TYPE(info);
        sym.shndx = *ReadLe<uint16_t>(raw, 6);
        sym.value = *ReadLe<uint64_t>(raw, 8);
        sym.size = *ReadLe<uint64_t>(raw, 16);
        std::optional<std::string> name = TableString(strtab->data, name_off);
        if (!name) {
          return Error(what, absl::StrFormat("symbol %d has a name offset %d outside the string "
                                             "table",
                                             i, name_off));
        }
        sym.name = std::move(*name);
        if (sym.type == STT_SECTION && sym.name.empty()) {
          if (const Section* target = At(sym.shndx)) sym.name = target->name;
        }
      }
      has_symtab = true;
      return absl::OkStatus();
    }
    return absl::OkStatus();
  }

  absl::Status ParseRelocs(std::string_view what) {
    for (const Section& s : sections) {
      if (s.type != SHT_REL) continue;
      if (s.entsize != kRelSize || s.size % kRelSize != 0) {
        return Error(what, absl::StrFormat("relocation section %s has entry size %d (expected %d)",
                                           PrintableName(s.name), s.entsize, kRelSize));
      }
      if (s.info == 0 || s.info >= sections.size()) {
        return Error(what, absl::StrFormat("relocation section %s applies to section %d, which "
                                           "does not exist",
                                           PrintableName(s.name), s.info));
      }
      std::vector<Reloc>& relocs = relocs_[s.info];
      for (uint64_t off = 0; off < s.size; off += kRelSize) {
        Reloc r;
        r.offset = *ReadLe<uint64_t>(s.data, off);
        uint64_t info = *ReadLe<uint64_t>(s.data, off + 8);
        r.symbol = static_cast<uint32_t>(ELF64_R_SYM(info));
        r.type = static_cast<uint32_t>(ELF64_R_TYPE(info));
        if (r.symbol >= symbols.size()) {
          return Error(what, absl::StrFormat("relocation in %s at offset %d names symbol %d, "
                                             "beyond the %d symbols",
                                             PrintableName(s.name), r.offset, r.symbol, symbols.size()));
        }
        relocs.push_back(r);
      }
    }
    for (const auto& [section, relocs] : relocs_) {
      for (const Reloc& r : relocs) reloc_index_.emplace(std::make_pair(section, r.offset), r);
    }
    return absl::OkStatus();
  }

  std::map<uint32_t, std::vector<Reloc>> relocs_;
  std::map<std::pair<uint32_t, uint64_t>, Reloc> reloc_index_;
};

// ---------------------------------------------------------------------------
// Analysis of the object: functions, calls, maps, externs, CO-RE.

// Section name prefixes whose remainder names a kernel function, tracepoint
// or iterator target.
constexpr std::string_view kTargetPrefixes[] = {
    "fentry/",   "fexit/",   "fmod_ret/", "fentry.s/", "fexit.s/", "fmod_ret.s/",
    "lsm/",      "lsm.s/",   "lsm_cgroup/", "tp_btf/", "iter/",    "iter.s/",
};

bool StartsWithText(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

struct Function {
  uint32_t symbol = 0;
  uint32_t section = 0;
  uint64_t offset = 0;
  uint64_t size = 0;
  std::set<int32_t> helpers;
  std::set<std::string> kfuncs;
  std::set<size_t> callees;  // indexes into functions_
};

class ObjectReader {
 public:
  ObjectReader(const BpfElf& elf, std::string_view what, BpfObject* object)
      : elf_(elf), what_(what), object_(*object) {}

  absl::Status Run() {
    if (!elf_.has_symtab) {
      return absl::DataLossError(absl::StrFormat(
          "%s: malformed BPF object: no symbol table (libbpf cannot open a stripped object)",
          what_));
    }
    ReadLicense();
    KC_RETURN_IF_ERROR(ReadBtf());
    KC_RETURN_IF_ERROR(CollectFunctions());
    KC_RETURN_IF_ERROR(CollectCalls());
    CollectPrograms();
    KC_RETURN_IF_ERROR(CollectMaps());
    CollectExterns();
    KC_RETURN_IF_ERROR(CollectCoreRelocations());
    CollectOptIns();
    return absl::OkStatus();
  }

 private:
  absl::Status Malformed(std::string_view message) const {
    return absl::DataLossError(
        absl::StrFormat("%s: malformed BPF object: %s", what_, message));
  }
  void Warn(std::string message) { object_.warnings.push_back(std::move(message)); }

  void ReadLicense() {
    const Section* license = elf_.Find("license");
    if (license == nullptr) return;
    ByteView data = license->data;
    const void* nul = std::memchr(data.data(), 0, data.size());
    size_t length = nul ? static_cast<const uint8_t*>(nul) - data.data() : data.size();
    object_.license.assign(reinterpret_cast<const char*>(data.data()), length);
  }

  absl::Status ReadBtf() {
    const Section* btf_section = elf_.Find(".BTF");
    if (btf_section == nullptr) {
      Warn("no BTF: kfunc prototypes, struct_ops, CO-RE and map types cannot be checked");
      for (std::string_view needs_btf : {".maps", ".struct_ops", ".ksyms", ".kconfig"}) {
        if (elf_.Find(needs_btf) != nullptr) {
          Warn(absl::StrFormat("no BTF but a %s section: libbpf refuses to open the object "
                               "(\"BTF is required, but is missing or corrupted\")",
                               needs_btf));
          break;
        }
      }
      return absl::OkStatus();
    }
    KC_ASSIGN_OR_RETURN(object_.btf,
                        Btf::Parse(btf_section->data, absl::StrFormat("%s: section .BTF", what_)));
    const Section* ext_section = elf_.Find(".BTF.ext");
    if (ext_section == nullptr) return absl::OkStatus();
    KC_ASSIGN_OR_RETURN(btf_ext_, ParseBtfExt(ext_section->data, *object_.btf, what_));
    object_.has_btf_ext = true;
    return absl::OkStatus();
  }

  bool IsCodeSection(const Section& s) const {
    return s.type == SHT_PROGBITS && (s.flags & SHF_EXECINSTR) != 0;
  }

  absl::Status CollectFunctions() {
    for (uint32_t i = 0; i < elf_.symbols.size(); ++i) {
      const Symbol& sym = elf_.symbols[i];
      if (sym.type != STT_FUNC || sym.shndx == SHN_UNDEF || sym.shndx >= SHN_LORESERVE) continue;
      const Section* section = elf_.At(sym.shndx);
      if (section == nullptr) {
        return Malformed(absl::StrFormat("function %s lies in section %d, which does not exist",
                                         PrintableName(sym.name), sym.shndx));
      }
      if (!IsCodeSection(*section)) continue;
      if (sym.value > section->size || sym.size > section->size - sym.value) {
        return Malformed(absl::StrFormat(
            "function %s (offset %d, %d bytes) crosses the end of section %s (%d bytes)",
            PrintableName(sym.name), sym.value, sym.size, PrintableName(section->name),
            section->size));
      }
      if (sym.value % kInsnSize != 0 || sym.size % kInsnSize != 0) {
        return Malformed(absl::StrFormat(
            "function %s (offset %d, %d bytes) is not made of whole %d-byte instructions",
            PrintableName(sym.name), sym.value, sym.size, kInsnSize));
      }
      Function f;
      f.symbol = i;
      f.section = sym.shndx;
      f.offset = sym.value;
      f.size = sym.size;
      functions_.push_back(std::move(f));
    }
    std::sort(functions_.begin(), functions_.end(), [](const Function& a, const Function& b) {
      return std::tie(a.section, a.offset) < std::tie(b.section, b.offset);
    });
    return absl::OkStatus();
  }

  // The function whose bytes cover `offset` of `section`, or nullopt.
  std::optional<size_t> FunctionAt(uint32_t section, uint64_t offset) const {
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

  absl::Status CollectCalls() {
    for (Function& f : functions_) {
      const Section& section = *elf_.At(f.section);
      for (uint64_t off = f.offset; off < f.offset + f.size; off += kInsnSize) {
        uint8_t code = section.data[off];
        if (code == kLdImm64Opcode) {
          off += kInsnSize;  // the second half of a 16-byte instruction
          continue;
        }
        if (code != kCallOpcode) continue;
        uint8_t src_reg = section.data[off + 1] >> 4;
        int32_t imm = *ReadLe<int32_t>(section.data, off + 4);
        const Reloc* reloc = elf_.RelocAt(f.section, off);
        if (reloc != nullptr) {
          const Symbol& target = elf_.symbols[reloc->symbol];
          if (target.shndx == SHN_UNDEF) {
            if (target.name.empty()) continue;  // the null symbol: nothing to name
            // A call to an extern function: a kfunc. clang emits it as a
            // BPF_PSEUDO_CALL with a relocation; libbpf rewrites it to
            // BPF_PSEUDO_KFUNC_CALL with the kernel's BTF id.
            f.kfuncs.insert(target.name);
            continue;
          }
          if (src_reg == BPF_PSEUDO_CALL) {
            int64_t dest = static_cast<int64_t>(target.value) +
                           (static_cast<int64_t>(imm) + 1) * static_cast<int64_t>(kInsnSize);
            AddCallee(f, target.shndx, dest);
          }
          continue;
        }
        if (src_reg == 0) {
          f.helpers.insert(imm);
        } else if (src_reg == BPF_PSEUDO_CALL) {
          int64_t dest = static_cast<int64_t>(off) +
                         (static_cast<int64_t>(imm) + 1) * static_cast<int64_t>(kInsnSize);
          AddCallee(f, f.section, dest);
        }
      }
    }
    return absl::OkStatus();
  }

  void AddCallee(Function& caller, uint32_t section, int64_t offset) {
    if (offset < 0) return;
    std::optional<size_t> callee = FunctionAt(section, static_cast<uint64_t>(offset));
    if (callee) caller.callees.insert(*callee);
  }

  void CollectPrograms() {
    const Section* text = elf_.Find(".text");
    for (size_t i = 0; i < functions_.size(); ++i) {
      const Function& f = functions_[i];
      if (text != nullptr && f.section == text->index) continue;  // subprograms
      const Symbol& sym = elf_.symbols[f.symbol];
      BpfProgram program;
      program.name = sym.name;
      program.section = elf_.At(f.section)->name;
      // A leading '?' only turns autoload off; libbpf drops it from the name.
      if (!program.section.empty() && program.section[0] == '?') {
        program.section.erase(0, 1);
        program.autoload = false;
      }
      program.section_offset = f.offset;
      program.insn_count = f.size / kInsnSize;
      program.global = sym.bind != STB_LOCAL;
      if (!program.global) {
        Warn(absl::StrFormat("program %s in section %s is static: libbpf 1.x refuses to open "
                             "the object (\"program '%s' is static and not supported\")",
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
        const Function& g = functions_[stack.back()];
        stack.pop_back();
        helpers.insert(g.helpers.begin(), g.helpers.end());
        kfuncs.insert(g.kfuncs.begin(), g.kfuncs.end());
        for (size_t callee : g.callees) {
          if (seen.insert(callee).second) stack.push_back(callee);
        }
      }
      program.helper_calls.assign(helpers.begin(), helpers.end());
      program.kfunc_calls.assign(kfuncs.begin(), kfuncs.end());
      object_.programs.push_back(std::move(program));
    }
  }

  static void ClassifySection(BpfProgram* program) {
    const std::string& section = program->section;
    bpf_prog_type prog_type = BPF_PROG_TYPE_UNSPEC;
    bpf_attach_type attach_type = static_cast<bpf_attach_type>(0);
    if (libbpf_prog_type_by_name(section.c_str(), &prog_type, &attach_type) == 0) {
      const char* type_name = libbpf_bpf_prog_type_str(prog_type);
      program->prog_type = type_name ? type_name : absl::StrFormat("%d", prog_type);
      // Attach type 0 is BPF_CGROUP_INET_INGRESS, but libbpf also uses 0 for
      // "none": only cgroup_skb/ingress means it.
      bool has_attach = attach_type != 0 ||
                        (prog_type == BPF_PROG_TYPE_CGROUP_SKB &&
                         StartsWithText(section, "cgroup_skb/ingress"));
      if (has_attach) {
        const char* attach_name = libbpf_bpf_attach_type_str(attach_type);
        program->attach_type = attach_name ? attach_name : absl::StrFormat("%d", attach_type);
      }
    }
    for (std::string_view prefix : kTargetPrefixes) {
      if (StartsWithText(section, prefix)) {
        program->attach_target = section.substr(prefix.size());
        break;
      }
    }
  }

  // The ELF symbol (other than a section symbol) named `name` in `section`.
  const Symbol* SymbolIn(std::string_view name, uint32_t section) const {
    for (const Symbol& sym : elf_.symbols) {
      if (sym.shndx == section && sym.type != STT_SECTION && sym.name == name) return &sym;
    }
    return nullptr;
  }
  const Symbol* UndefinedSymbol(std::string_view name) const {
    for (const Symbol& sym : elf_.symbols) {
      if (sym.shndx == SHN_UNDEF && !sym.name.empty() && sym.name == name) return &sym;
    }
    return nullptr;
  }

  // The DATASEC named `name` in the object's BTF.
  std::optional<TypeId> Datasec(std::string_view name) const {
    if (!object_.btf) return std::nullopt;
    for (TypeId id : object_.btf->IdsOfKind(BTF_KIND_DATASEC)) {
      if (object_.btf->Name(id) == name) return id;
    }
    return std::nullopt;
  }

  absl::Status CollectMaps() {
    const Section* maps = elf_.Find(".maps");
    if (maps != nullptr) KC_RETURN_IF_ERROR(CollectBtfMaps(*maps));
    if (elf_.Find("maps") != nullptr) {
      Warn("legacy \"maps\" section (struct bpf_map_def): libbpf 1.x no longer supports it");
    }
    for (std::string_view name : {".struct_ops", ".struct_ops.link"}) {
      const Section* section = elf_.Find(name);
      if (section != nullptr) KC_RETURN_IF_ERROR(CollectStructOpsMaps(*section));
    }
    return absl::OkStatus();
  }

  static std::string MapTypeName(uint32_t type) {
    const char* name = libbpf_bpf_map_type_str(static_cast<bpf_map_type>(type));
    return name ? name : "";
  }

  void WarnIfStaticMap(const BpfMap& map, uint32_t section) {
    const Symbol* sym = SymbolIn(map.name, section);
    if (sym != nullptr && sym->bind == STB_LOCAL) {
      Warn(absl::StrFormat("map %s in section %s is static: libbpf 1.x refuses static maps",
                           PrintableName(map.name), map.section));
    }
  }

  absl::Status CollectBtfMaps(const Section& section) {
    std::optional<TypeId> datasec = Datasec(".maps");
    if (!datasec) return MapsFromSymbols(section, /*type=*/0);
    const Btf& btf = *object_.btf;
    const btf_type* ds = btf.Type(*datasec);
    const btf_var_secinfo* vars = btf_var_secinfos(ds);
    for (uint16_t i = 0; i < btf_vlen(ds); ++i) {
      TypeId var{vars[i].type};
      if (btf.Kind(var) != BTF_KIND_VAR) continue;
      BpfMap map;
      map.name = std::string(btf.Name(var));
      map.section = section.name;
      TypeId def = btf.SkipModsAndTypedefs(TypeId{btf.Type(var)->type});
      const btf_type* def_type = btf.Type(def);
      if (def_type == nullptr || !btf_is_struct(def_type)) {
        return Malformed(absl::StrFormat("map %s in .maps is not a struct (BTF type [%d])",
                                         PrintableName(map.name), def.value));
      }
      const btf_member* members = btf_members(def_type);
      for (uint16_t m = 0; m < btf_vlen(def_type); ++m) {
        if (btf.String(members[m].name_off) != "type") continue;
        // __uint(type, X) is "int (*type)[X]".
        const btf_type* ptr = btf.Type(btf.SkipModsAndTypedefs(TypeId{members[m].type}));
        if (ptr == nullptr || !btf_is_ptr(ptr)) break;
        const btf_type* array = btf.Type(btf.SkipMods(TypeId{ptr->type}));
        if (array == nullptr || !btf_is_array(array)) break;
        map.type = btf_array(array)->nelems;
      }
      map.type_name = MapTypeName(map.type);
      WarnIfStaticMap(map, section.index);
      object_.maps.push_back(std::move(map));
    }
    return absl::OkStatus();
  }

  // Without BTF (or its DATASEC), a section's maps are known only by their
  // symbols; `type` is what the section itself implies (0: unknown).
  absl::Status MapsFromSymbols(const Section& section, uint32_t type) {
    for (const Symbol& sym : elf_.symbols) {
      if (sym.shndx != section.index || sym.type != STT_OBJECT) continue;
      BpfMap map;
      map.name = sym.name;
      map.section = section.name;
      map.type = type;
      if (type != 0) map.type_name = MapTypeName(type);
      object_.maps.push_back(std::move(map));
    }
    return absl::OkStatus();
  }

  // The program a struct_ops relocation points to: a function symbol, or a
  // section symbol plus the offset (libbpf takes the symbol's value).
  std::string ProgramOfSymbol(const Symbol& sym) const {
    if (sym.type == STT_FUNC) return sym.name;
    if (sym.shndx == SHN_UNDEF || sym.shndx >= SHN_LORESERVE) return sym.name;
    std::optional<size_t> f = FunctionAt(sym.shndx, sym.value);
    return f ? elf_.symbols[functions_[*f].symbol].name : sym.name;
  }

  absl::Status CollectStructOpsMaps(const Section& section) {
    if (section.name == ".struct_ops.link") {
      Warn("section .struct_ops.link: libbpf 1.1 does not know it (added in libbpf 1.2) and "
           "ignores its struct_ops maps");
    }
    std::optional<TypeId> datasec = Datasec(section.name);
    if (!datasec) return MapsFromSymbols(section, BPF_MAP_TYPE_STRUCT_OPS);
    const Btf& btf = *object_.btf;
    const btf_type* ds = btf.Type(*datasec);
    const btf_var_secinfo* vars = btf_var_secinfos(ds);
    for (uint16_t i = 0; i < btf_vlen(ds); ++i) {
      TypeId var{vars[i].type};
      if (btf.Kind(var) != BTF_KIND_VAR) continue;
      BpfMap map;
      map.name = std::string(btf.Name(var));
      map.section = section.name;
      map.type = BPF_MAP_TYPE_STRUCT_OPS;
      map.type_name = MapTypeName(map.type);
      TypeId table = btf.SkipModsAndTypedefs(TypeId{btf.Type(var)->type});
      const btf_type* table_type = btf.Type(table);
      if (table_type == nullptr || !btf_is_struct(table_type)) {
        return Malformed(absl::StrFormat("struct_ops map %s in %s is not a struct (BTF type [%d])",
                                         PrintableName(map.name), section.name, table.value));
      }
      map.struct_ops_type = std::string(btf.Name(table));
      map.struct_ops_type_id = table;
      // clang leaves DATASEC offsets at 0 in objects; the symbol has the truth.
      const Symbol* sym = SymbolIn(map.name, section.index);
      uint64_t base = sym != nullptr ? sym->value : vars[i].offset;
      if (base > section.data.size() || table_type->size > section.data.size() - base) {
        return Malformed(absl::StrFormat(
            "struct_ops map %s (offset %d, %d bytes) lies outside section %s (%d bytes)",
            PrintableName(map.name), base, table_type->size, section.name, section.data.size()));
      }
      const btf_member* members = btf_members(table_type);
      for (uint16_t m = 0; m < btf_vlen(table_type); ++m) {
        std::string member_name(btf.String(members[m].name_off));
        uint32_t bit_offset = btf_member_bit_offset(table_type, m);
        uint32_t bit_size = btf_member_bitfield_size(table_type, m);
        uint64_t offset = base + bit_offset / 8;
        TypeId member_type = btf.SkipModsAndTypedefs(TypeId{members[m].type});
        const btf_type* mt = btf.Type(member_type);
        bool callback = false;
        if (mt != nullptr && btf_is_ptr(mt)) {
          const btf_type* pointee = btf.Type(btf.SkipModsAndTypedefs(TypeId{mt->type}));
          callback = pointee != nullptr && btf_is_func_proto(pointee);
        }
        if (callback) {
          const Reloc* reloc = elf_.RelocAt(section.index, offset);
          if (reloc != nullptr) {
            map.struct_ops_programs.push_back(
                {member_name, ProgramOfSymbol(elf_.symbols[reloc->symbol])});
          }
          continue;
        }
        uint64_t size;
        if (bit_size != 0) {
          size = (bit_offset % 8 + bit_size + 7) / 8;
        } else {
          size = btf.ResolveSize(TypeId{members[m].type}).value_or(0);
        }
        std::optional<ByteView> bytes = Slice(section.data, offset, size);
        if (!bytes || offset + size > base + table_type->size) {
          return Malformed(absl::StrFormat(
              "struct_ops map %s: member %s (offset %d, %d bytes) lies outside the struct",
              PrintableName(map.name), PrintableName(member_name), offset - base, size));
        }
        bool non_zero = std::any_of(bytes->begin(), bytes->end(), [](uint8_t b) { return b != 0; });
        if (non_zero) map.struct_ops_data_members.push_back(member_name);
      }
      object_.maps.push_back(std::move(map));
    }
    return absl::OkStatus();
  }

  void CollectExterns() {
    if (!object_.btf) return;
    const Btf& btf = *object_.btf;
    struct SectionKind {
      std::string_view datasec;
      bool kconfig;
    };
    for (SectionKind sk : {SectionKind{".ksyms", false}, SectionKind{".kconfig", true}}) {
      std::optional<TypeId> datasec = Datasec(sk.datasec);
      if (!datasec) continue;
      const btf_type* ds = btf.Type(*datasec);
      const btf_var_secinfo* vars = btf_var_secinfos(ds);
      for (uint16_t i = 0; i < btf_vlen(ds); ++i) {
        TypeId id{vars[i].type};
        const btf_type* t = btf.Type(id);
        if (t == nullptr) continue;
        BpfExtern ext;
        ext.name = std::string(btf.Name(id));
        if (btf_is_func(t)) {
          ext.kind = ExternKind::kKfunc;
          ext.type = TypeId{t->type};
          ext.declaration = CFunctionDeclaration(btf, id);
        } else if (btf_is_var(t)) {
          ext.kind = sk.kconfig ? ExternKind::kKconfig : ExternKind::kKsymVar;
          ext.type = TypeId{t->type};
          ext.declaration = CDeclaration(btf, ext.type, ext.name);
        } else {
          continue;
        }
        const Symbol* sym = UndefinedSymbol(ext.name);
        ext.weak = sym != nullptr && sym->bind == STB_WEAK;
        object_.externs.push_back(std::move(ext));
      }
    }
  }

  void CollectOptIns() {
    if (!object_.btf) return;
    OptInTags tags = ReadOptInTags(*object_.btf);
    object_.opt_ins = std::move(tags.tokens);
    for (std::string& warning : tags.warnings) Warn(std::move(warning));
  }

  absl::Status CollectCoreRelocations() {
    if (!btf_ext_) return absl::OkStatus();
    const Btf& btf = *object_.btf;
    for (const auto& block : btf_ext_->core_relos) {
      const Section* section = elf_.Find(block.section);
      if (section == nullptr || !IsCodeSection(*section)) {
        return Malformed(absl::StrFormat(".BTF.ext has CO-RE relocations for section %s, which "
                                         "is not a code section of the object",
                                         PrintableName(block.section)));
      }
      for (const BtfExtCoreRelo& record : block.records) {
        if (record.insn_off % kInsnSize != 0 || record.insn_off >= section->size) {
          return Malformed(absl::StrFormat(
              ".BTF.ext CO-RE relocation at offset %d lies outside section %s (%d bytes)",
              record.insn_off, PrintableName(block.section), section->size));
        }
        // libbpf fails the load on a kind it does not know; so do we, and
        // never hold an out-of-range value in the enum.
        if (record.kind > kMaxCoreReloKind) {
          return Malformed(absl::StrFormat(
              ".BTF.ext CO-RE relocation in %s at offset %d has unknown kind %d",
              PrintableName(block.section), record.insn_off, record.kind));
        }
        CoreRelocation relo;
        relo.section = block.section;
        relo.insn_offset = record.insn_off;
        if (record.insn_off < section->data.size()) relo.insn_code = section->data[record.insn_off];
        relo.kind = static_cast<bpf_core_relo_kind>(record.kind);
        relo.root = record.type;
        relo.root_name = std::string(btf.Name(record.type));
        relo.access_spec = record.access;
        std::optional<size_t> f = FunctionAt(section->index, record.insn_off);
        if (f) relo.program = elf_.symbols[functions_[*f].symbol].name;
        absl::StatusOr<std::string> path = RenderAccessPath(btf, relo);
        if (!path.ok()) {
          return Malformed(absl::StrFormat(
              ".BTF.ext CO-RE relocation in %s at offset %d (%s of %s, access \"%s\"): %s",
              PrintableName(block.section), record.insn_off, CoreRelocationKindName(relo.kind),
              PrintableName(CTypeName(btf, relo.root)), PrintableName(relo.access_spec),
              PrintableName(std::string(path.status().message()))));
        }
        relo.access_path = std::move(*path);
        object_.core_relocations.push_back(std::move(relo));
      }
    }
    return absl::OkStatus();
  }

  static absl::StatusOr<std::vector<uint32_t>> ParseAccessSpec(std::string_view spec) {
    std::vector<uint32_t> indexes;
    for (std::string_view piece : SplitView(spec, ':')) {
      if (piece.empty() || piece.size() > 10) {
        return absl::InvalidArgumentError("not a list of indexes");
      }
      uint64_t value = 0;
      for (char c : piece) {
        if (c < '0' || c > '9') return absl::InvalidArgumentError("not a list of indexes");
        value = value * 10 + static_cast<uint64_t>(c - '0');
      }
      if (value > UINT32_MAX) return absl::InvalidArgumentError("index out of range");
      indexes.push_back(static_cast<uint32_t>(value));
    }
    if (indexes.size() > 64) return absl::InvalidArgumentError("more than 64 indexes");
    return indexes;
  }

  static absl::StatusOr<std::string> RenderAccessPath(const Btf& btf, const CoreRelocation& relo) {
    KC_ASSIGN_OR_RETURN(std::vector<uint32_t> spec, ParseAccessSpec(relo.access_spec));
    switch (relo.kind) {
      case BPF_CORE_TYPE_ID_LOCAL:
      case BPF_CORE_TYPE_ID_TARGET:
      case BPF_CORE_TYPE_EXISTS:
      case BPF_CORE_TYPE_SIZE:
      case BPF_CORE_TYPE_MATCHES:
        return CTypeName(btf, relo.root);
      case BPF_CORE_ENUMVAL_EXISTS:
      case BPF_CORE_ENUMVAL_VALUE: {
        const btf_type* t = btf.Type(btf.SkipModsAndTypedefs(relo.root));
        if (t == nullptr || !(btf_is_enum(t) || btf_is_enum64(t))) {
          return absl::InvalidArgumentError("root type is not an enum");
        }
        if (spec.size() != 1 || spec[0] >= btf_vlen(t)) {
          return absl::InvalidArgumentError(
              absl::StrFormat("enumerator index out of range (%d values)", btf_vlen(t)));
        }
        uint32_t name_off = btf_is_enum(t) ? btf_enum(t)[spec[0]].name_off
                                           : btf_enum64(t)[spec[0]].name_off;
        return absl::StrFormat("%s::%s", CTypeName(btf, relo.root), btf.String(name_off));
      }
      case BPF_CORE_FIELD_BYTE_OFFSET:
      case BPF_CORE_FIELD_BYTE_SIZE:
      case BPF_CORE_FIELD_EXISTS:
      case BPF_CORE_FIELD_SIGNED:
      case BPF_CORE_FIELD_LSHIFT_U64:
      case BPF_CORE_FIELD_RSHIFT_U64:
        return RenderFieldPath(btf, relo, spec);
    }
    return relo.access_spec;  // not reached: kinds are checked before
  }

  // "task_struct->mm", "sk_buff->cb[2]", "task_struct[1]->pid": the root
  // type's name, an array index on the root when not 0, then the members
  // (anonymous ones skipped) and array elements the spec walks through.
  static absl::StatusOr<std::string> RenderFieldPath(const Btf& btf, const CoreRelocation& relo,
                                                     const std::vector<uint32_t>& spec) {
    std::string path = relo.root_name.empty() ? "(anon)" : relo.root_name;
    if (spec[0] != 0) path += absl::StrFormat("[%d]", spec[0]);
    std::string_view separator = "->";
    TypeId current = btf.SkipModsAndTypedefs(relo.root);
    for (size_t i = 1; i < spec.size(); ++i) {
      const btf_type* t = btf.Type(current);
      if (t == nullptr) return absl::InvalidArgumentError("invalid type");
      if (btf_is_composite(t)) {
        if (spec[i] >= btf_vlen(t)) {
          return absl::InvalidArgumentError(absl::StrFormat(
              "member index %d out of range for %s (%d members)", spec[i],
              CTypeName(btf, current), btf_vlen(t)));
        }
        const btf_member& member = btf_members(t)[spec[i]];
        std::string_view name = btf.String(member.name_off);
        if (!name.empty()) {
          path += absl::StrFormat("%s%s", separator, name);
          separator = ".";
        }
        current = btf.SkipModsAndTypedefs(TypeId{member.type});
      } else if (btf_is_array(t)) {
        path += absl::StrFormat("[%d]", spec[i]);
        current = btf.SkipModsAndTypedefs(TypeId{btf_array(t)->type});
      } else {
        return absl::InvalidArgumentError(absl::StrFormat(
            "index %d applied to %s, which is neither a struct, a union nor an array", spec[i],
            CTypeName(btf, current)));
      }
    }
    return path;
  }

  const BpfElf& elf_;
  std::string what_;
  BpfObject& object_;
  std::optional<BtfExt> btf_ext_;
  std::vector<Function> functions_;
};

// The size of the EM_BPF ELF image starting at `offset` of `file`, or 0 when
// the bytes there are not one: ELFCLASS64, little-endian, EM_BPF, ET_REL, a
// section header table and every section inside the file.
uint64_t EmbeddedImageSize(ByteView file, uint64_t offset) {
  ByteView bytes = file.subspan(offset);
  std::optional<ElfHeader> h = ReadElfHeader(bytes);
  if (!h || h->elf_class != ELFCLASS64 || h->encoding != ELFDATA2LSB || h->machine != kEmBpf ||
      h->type != ET_REL || h->shentsize != kShdrSize || h->shnum == 0 ||
      h->shstrndx >= h->shnum || h->shoff < kEhdrSize) {
    return 0;
  }
  uint64_t table_size = static_cast<uint64_t>(h->shnum) * kShdrSize;
  std::optional<ByteView> table = Slice(bytes, h->shoff, table_size);
  if (!table) return 0;
  uint64_t end = h->shoff + table_size;
  for (uint16_t i = 1; i < h->shnum; ++i) {
    ByteView sh = table->subspan(static_cast<uint64_t>(i) * kShdrSize, kShdrSize);
    uint32_t type = *ReadLe<uint32_t>(sh, 4);
    if (type == SHT_NOBITS || type == SHT_NULL) continue;
    uint64_t sec_offset = *ReadLe<uint64_t>(sh, 24);
    uint64_t sec_size = *ReadLe<uint64_t>(sh, 32);
    if (!Slice(bytes, sec_offset, sec_size)) return 0;
    end = std::max(end, sec_offset + sec_size);
  }
  return end;
}

absl::StatusOr<std::unique_ptr<BpfObject>> ReadBpfImage(ByteView bytes, std::string_view what) {
  std::optional<ElfHeader> h = ReadElfHeader(bytes);
  if (!StartsWith(bytes, "\x7f" "ELF")) {
    return absl::InvalidArgumentError(absl::StrFormat("%s: not an ELF file", what));
  }
  if (!h) {
    return absl::DataLossError(absl::StrFormat(
        "%s: malformed BPF object: truncated ELF: %d bytes, shorter than the %d-byte ELF header",
        what, bytes.size(), kEhdrSize));
  }
  if (h->elf_class != ELFCLASS64) {
    return absl::InvalidArgumentError(
        absl::StrFormat("%s: not a BPF object: %s", what, DescribeElf(bytes)));
  }
  if (h->encoding != ELFDATA2LSB) {
    uint16_t be_machine = static_cast<uint16_t>((bytes[18] << 8) | bytes[19]);
    if (be_machine == kEmBpf) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "%s: big-endian BPF objects (bpfeb) are not supported", what));
    }
    return absl::InvalidArgumentError(
        absl::StrFormat("%s: not a BPF object: %s", what, DescribeElf(bytes)));
  }
  if (h->machine != kEmBpf) {
    return absl::InvalidArgumentError(
        absl::StrFormat("%s: not a BPF object: %s", what, DescribeElf(bytes)));
  }
  if (h->type != ET_REL) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "%s: BPF ELF %s, not a relocatable object (libbpf opens only ET_REL objects)", what,
        ElfTypeName(h->type)));
  }
  KC_ASSIGN_OR_RETURN(BpfElf elf, BpfElf::Parse(bytes, what));
  auto object = std::make_unique<BpfObject>();
  object->path = std::string(what);
  KC_RETURN_IF_ERROR(ObjectReader(elf, what, object.get()).Run());
  return object;
}

#define KC_HELPER_NAME(name) "bpf_" #name
constexpr const char* kHelperNames[] = {__BPF_FUNC_MAPPER(KC_HELPER_NAME)};
#undef KC_HELPER_NAME
static_assert(std::size(kHelperNames) == __BPF_FUNC_MAX_ID);

}  // namespace

std::string_view CoreRelocationKindName(bpf_core_relo_kind kind) {
  switch (static_cast<std::underlying_type_t<bpf_core_relo_kind>>(kind)) {
    case BPF_CORE_FIELD_BYTE_OFFSET: return "byte_off";
    case BPF_CORE_FIELD_BYTE_SIZE: return "byte_sz";
    case BPF_CORE_FIELD_EXISTS: return "field_exists";
    case BPF_CORE_FIELD_SIGNED: return "signed";
    case BPF_CORE_FIELD_LSHIFT_U64: return "lshift_u64";
    case BPF_CORE_FIELD_RSHIFT_U64: return "rshift_u64";
    case BPF_CORE_TYPE_ID_LOCAL: return "local_type_id";
    case BPF_CORE_TYPE_ID_TARGET: return "target_type_id";
    case BPF_CORE_TYPE_EXISTS: return "type_exists";
    case BPF_CORE_TYPE_MATCHES: return "type_matches";
    case BPF_CORE_TYPE_SIZE: return "type_size";
    case BPF_CORE_ENUMVAL_EXISTS: return "enumval_exists";
    case BPF_CORE_ENUMVAL_VALUE: return "enumval_value";
  }
  return "unknown";
}

std::string_view BpfHelperName(int32_t id) {
  if (id <= 0 || static_cast<size_t>(id) >= std::size(kHelperNames)) return {};
  return kHelperNames[id];
}

std::string_view ExternKindName(ExternKind kind) {
  switch (kind) {
    case ExternKind::kKfunc: return "kfunc";
    case ExternKind::kKsymVar: return "ksym";
    case ExternKind::kKconfig: return "kconfig";
  }
  return "unknown";
}

absl::StatusOr<std::unique_ptr<BpfObject>> ReadBpfObject(ByteView bytes, std::string_view what) {
  return ReadBpfImage(bytes, what);
}

std::vector<EmbeddedRange> FindEmbeddedBpfObjects(ByteView file) {
  std::vector<EmbeddedRange> ranges;
  uint64_t pos = 0;
  while (pos + 4 <= file.size()) {
    const void* hit = std::memchr(file.data() + pos, 0x7f, file.size() - pos);
    if (hit == nullptr) break;
    uint64_t offset = static_cast<const uint8_t*>(hit) - file.data();
    uint64_t size = EmbeddedImageSize(file, offset);
    if (size != 0) {
      ranges.push_back({offset, size});
      pos = offset + size;
    } else {
      pos = offset + 1;
    }
  }
  return ranges;
}

absl::StatusOr<std::vector<std::unique_ptr<BpfObject>>> ReadBpfObjects(const std::string& path) {
  KC_ASSIGN_OR_RETURN(FileBytes file, FileBytes::Open(path));
  ByteView bytes = file.bytes();
  std::vector<std::unique_ptr<BpfObject>> objects;
  std::optional<ElfHeader> h = ReadElfHeader(bytes);
  bool is_elf = StartsWith(bytes, "\x7f" "ELF");
  bool is_bpf = is_elf && (!h || (h->elf_class == ELFCLASS64 && h->encoding == ELFDATA2LSB &&
                                  h->machine == kEmBpf));
  if (is_bpf) {
    KC_ASSIGN_OR_RETURN(std::unique_ptr<BpfObject> object, ReadBpfImage(bytes, path));
    objects.push_back(std::move(object));
    return objects;
  }
  for (const EmbeddedRange& range : FindEmbeddedBpfObjects(bytes)) {
    std::string what = absl::StrFormat("%s@0x%x", path, range.offset);
    KC_ASSIGN_OR_RETURN(std::unique_ptr<BpfObject> object,
                        ReadBpfImage(bytes.subspan(range.offset, range.size), what));
    objects.push_back(std::move(object));
  }
  if (objects.empty()) {
    if (is_elf) {
      return absl::NotFoundError(absl::StrFormat(
          "%s: no BPF object found (%s, not EM_BPF, and none embedded)", path, DescribeElf(bytes)));
    }
    return absl::NotFoundError(absl::StrFormat(
        "%s: no BPF object found (not an EM_BPF ELF, and none embedded)", path));
  }
  return objects;
}

}  // namespace kcontract
