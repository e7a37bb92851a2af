#include "abi/object/object_elf.h"

#include <algorithm>
#include <tuple>
#include <utility>

#include "absl/strings/str_format.h"
#include "btfdiff/base/status_macros.h"
#include "btfdiff/base/text.h"

namespace kcontract {
namespace {

constexpr std::string_view kMalformed = "malformed BPF object";

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
    case EM_BPF: return "BPF";
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

// What libbpf requires of an object before it reads any section, each
// refusal saying what the file is instead.
absl::Status CheckIdentity(ByteView bytes, std::string_view what) {
  if (!IsElf(bytes)) {
    return absl::InvalidArgumentError(absl::StrFormat("%s: not an ELF file", what));
  }
  std::optional<ElfHeader> h = ReadElfHeader(bytes);
  if (!h || bytes.size() < kElf64HeaderSize) {
    return MalformedObject(what, absl::StrFormat("truncated ELF: %d bytes, shorter than the "
                                                 "%d-byte ELF header",
                                                 bytes.size(), kElf64HeaderSize));
  }
  if (h->elf_class != ELFCLASS64) {
    return absl::InvalidArgumentError(
        absl::StrFormat("%s: not a BPF object: %s", what, DescribeElf(bytes)));
  }
  // A big-endian BPF object is one: libbpf reads its header before it
  // refuses it for its byte order (BpfObject::big_endian).
  if (h->byte_order != ELFDATA2LSB && !IsBigEndianBpfElf(*h)) {
    return absl::InvalidArgumentError(
        absl::StrFormat("%s: not a BPF object: %s", what, DescribeElf(bytes)));
  }
  if (h->machine != EM_BPF) {
    return absl::InvalidArgumentError(
        absl::StrFormat("%s: not a BPF object: %s", what, DescribeElf(bytes)));
  }
  if (h->type != ET_REL) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "%s: BPF ELF %s, not a relocatable object (libbpf opens only ET_REL objects)", what,
        ElfTypeName(h->type)));
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status MalformedObject(std::string_view what, std::string_view reason) {
  return absl::DataLossError(absl::StrFormat("%s: %s: %s", what, kMalformed, reason));
}

bool IsBpfElf(const ElfHeader& header) {
  return header.elf_class == ELFCLASS64 && header.byte_order == ELFDATA2LSB &&
         header.machine == EM_BPF;
}

bool IsBigEndianBpfElf(const ElfHeader& header) {
  return header.elf_class == ELFCLASS64 && header.big_endian() && header.machine == EM_BPF;
}

std::string DescribeElf(ByteView bytes) {
  std::optional<ElfHeader> h = ReadElfHeader(bytes);
  if (!h || bytes.size() < kElf64HeaderSize) return "a truncated ELF file";
  if (h->elf_class != ELFCLASS64) return "a 32-bit ELF file";
  if (h->byte_order != ELFDATA2LSB) return "a big-endian ELF file";
  return absl::StrFormat("an ELF %s for %s", ElfTypeName(h->type), MachineName(h->machine));
}

bool IsCodeSection(const ElfSection& section) {
  return section.type == SHT_PROGBITS && (section.flags & SHF_EXECINSTR) != 0;
}

absl::StatusOr<ObjectElf> ObjectElf::Read(ByteView bytes, std::string_view what) {
  KC_RETURN_IF_ERROR(CheckIdentity(bytes, what));
  ObjectElf elf;
  KC_ASSIGN_OR_RETURN(elf.image_, ElfImage::Open(bytes, what,
                                                 {.malformed = kMalformed,
                                                  .all_sections_in_file = true}));
  KC_RETURN_IF_ERROR(elf.image_->CheckSectionNames());
  elf.has_symbol_table_ = elf.image_->HasSymbolTable();
  KC_ASSIGN_OR_RETURN(elf.symbols_, elf.image_->Symbols());
  for (const ElfSection& section : elf.image_->sections()) {
    if (section.type != SHT_REL) continue;
    if (elf.relocations_.size() + section.size / sizeof(Elf64_Rel) > kMaxObjectRelocations) {
      return MalformedObject(what, absl::StrFormat(
          "more than %d relocations (relocation section %s has %d): refused, no BPF object "
          "comes near that",
          kMaxObjectRelocations, PrintableName(section.name), section.size / sizeof(Elf64_Rel)));
    }
    KC_ASSIGN_OR_RETURN(std::vector<ElfRelocation> relocations,
                        elf.image_->Relocations(section, elf.symbols_.size()));
    for (const ElfRelocation& r : relocations) elf.relocations_.push_back({section.info, r});
  }
  std::stable_sort(elf.relocations_.begin(), elf.relocations_.end(),
                   [](const PlacedRelocation& a, const PlacedRelocation& b) {
                     return std::tie(a.section, a.relocation.offset) <
                            std::tie(b.section, b.relocation.offset);
                   });
  return elf;
}

const ElfSymbol* ObjectElf::SymbolIn(std::string_view name, uint32_t section) const {
  for (const ElfSymbol& sym : symbols_) {
    if (sym.section_index == section && sym.type != STT_SECTION && sym.name == name) return &sym;
  }
  return nullptr;
}

const ElfSymbol* ObjectElf::UndefinedSymbol(std::string_view name) const {
  for (const ElfSymbol& sym : symbols_) {
    if (sym.section_index == SHN_UNDEF && !sym.name.empty() && sym.name == name) return &sym;
  }
  return nullptr;
}

const ElfRelocation* ObjectElf::RelocationAt(uint32_t section, uint64_t offset) const {
  auto it = std::lower_bound(
      relocations_.begin(), relocations_.end(), std::make_pair(section, offset),
      [](const PlacedRelocation& r, const std::pair<uint32_t, uint64_t>& key) {
        return std::make_pair(r.section, r.relocation.offset) < key;
      });
  if (it == relocations_.end() || it->section != section || it->relocation.offset != offset) {
    return nullptr;
  }
  return &it->relocation;
}

}  // namespace kcontract
