// ELF files held in memory (vmlinux, kernel modules, BPF objects), read with
// libelf, as libbpf reads BPF objects: the header, every section header,
// symbols and relocations, each checked against the file before use.
#ifndef KCONTRACT_BTFDIFF_BASE_ELF_IMAGE_H_
#define KCONTRACT_BTFDIFF_BASE_ELF_IMAGE_H_

#include <gelf.h>
#include <libelf.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "btfdiff/base/bytes.h"

namespace kcontract {

bool IsElf(ByteView bytes);

// The identification bytes and the file header. libelf decodes the header
// from the file's own byte order, so a big-endian BPF object (bpfeb) reads
// as EM_BPF like a little-endian one; `byte_order` tells them apart.
struct ElfHeader {
  uint8_t elf_class = 0;   // EI_CLASS: ELFCLASS64, ELFCLASS32, or anything found there
  uint8_t byte_order = 0;  // EI_DATA: ELFDATA2LSB, ELFDATA2MSB, or anything found there
  uint8_t version = 0;     // EI_VERSION: EV_CURRENT in every well-formed file
  // The fields below are 0 when the class or the byte order is invalid.
  uint16_t type = 0;       // ET_REL, ET_EXEC, ...
  uint16_t machine = 0;    // EM_BPF, EM_X86_64, ...
  uint64_t section_header_offset = 0;  // e_shoff
  uint16_t section_header_size = 0;    // e_shentsize
  uint16_t section_count = 0;          // e_shnum: 0 with extended numbering
  uint16_t section_names_index = 0;    // e_shstrndx: SHN_XINDEX with extended numbering

  bool big_endian() const { return byte_order == ELFDATA2MSB; }
};

// The size of an ELF64 file header: the least an ELF file can be.
inline constexpr uint64_t kElf64HeaderSize = sizeof(Elf64_Ehdr);

// The header of `bytes`; nullopt without the ELF magic or when `bytes` is
// shorter than the header of its class (of ELF64 when the class is invalid).
std::optional<ElfHeader> ReadElfHeader(ByteView bytes);

// One section header, with the bytes it covers.
struct ElfSection {
  ByteView data;         // empty for SHT_NOBITS and SHT_NULL, and for bytes outside the file
  uint64_t address = 0;  // sh_addr: 0 in relocatable files
  uint32_t index = 0;
  std::string name;      // "" when the section name table does not hold it
  uint32_t name_offset = 0;  // sh_name
  uint32_t type = 0;         // SHT_*
  uint64_t flags = 0;        // SHF_*
  uint64_t offset = 0;       // sh_offset
  uint64_t size = 0;         // sh_size
  uint32_t link = 0;
  uint32_t info = 0;
  uint64_t entsize = 0;

  // Whether the section's bytes take room in the file (and so must lie in it).
  bool HasFileBytes() const { return index != 0 && type != SHT_NOBITS && type != SHT_NULL; }
};

struct ElfSymbol {
  std::string name;  // for an unnamed section symbol (STT_SECTION): its section's name
  uint64_t value = 0;
  uint64_t size = 0;
  uint32_t section_index = 0;  // st_shndx: SHN_UNDEF, a section, or SHN_LORESERVE and up
  uint8_t binding = 0;         // STB_LOCAL, STB_GLOBAL, STB_WEAK
  uint8_t type = 0;            // STT_FUNC, STT_OBJECT, STT_SECTION, ...
  uint8_t visibility = 0;      // STV_DEFAULT, STV_HIDDEN, ...
};

struct ElfRelocation {
  uint64_t offset = 0;  // r_offset: in the section the relocations apply to
  uint32_t symbol = 0;  // index into the symbol table
  uint32_t type = 0;    // R_BPF_*, R_X86_64_*, ...
};

struct ElfOpenOptions {
  // Begins the reason of every error about malformed bytes:
  // "<what>: <malformed>: <reason>".
  std::string_view malformed = "malformed ELF";
  // Whether every section's bytes must lie inside the file (small files
  // read whole: BPF objects) or only those of a section asked for by name
  // (kernels: a cut debug section does not stop reading .BTF).
  bool all_sections_in_file = false;
};

class ElfImage {
 public:
  // Parses the ELF header and every section header of `bytes`, which must
  // outlive the result. The header must be a well-formed ELF64 one (either
  // byte order) and the section header table must lie inside the file:
  // both are checked before libelf reads them, so that a cut or corrupt
  // file is named as one.
  static absl::StatusOr<std::unique_ptr<ElfImage>> Open(ByteView bytes, std::string_view what,
                                                        const ElfOpenOptions& options = {});
  ~ElfImage();
  ElfImage(const ElfImage&) = delete;
  ElfImage& operator=(const ElfImage&) = delete;

  const ElfHeader& header() const { return header_; }
  uint16_t machine() const { return header_.machine; }
  uint16_t type() const { return header_.type; }  // ET_EXEC, ET_REL, ...

  // Every section header, in table order; sections()[0] is the null section.
  const std::vector<ElfSection>& sections() const { return sections_; }
  // The first section named `name`, or null.
  const ElfSection* FindSection(std::string_view name) const;
  // The section at `index`, or null when there is none.
  const ElfSection* SectionAt(uint64_t index) const;
  // The end of the last byte the section header table or a section's bytes
  // take: the size of an ELF image found inside a larger file.
  uint64_t Extent() const;

  // Fails when the section name table is not a string table, or a section's
  // name lies outside it. (Open leaves such names empty.)
  absl::Status CheckSectionNames() const;

  // The contents of the named section, nullopt when absent. Fails when the
  // section header points outside the file.
  absl::StatusOr<std::optional<ElfSection>> Section(std::string_view name) const;

  bool HasSymbolTable() const;
  // Symbols from .symtab (empty when stripped). Fails on a table whose
  // entries are not ELF64 symbols, that links to no string table, or whose
  // names lie outside it.
  absl::StatusOr<std::vector<ElfSymbol>> Symbols() const;

  // The entries of the SHT_REL section `section`. Fails on entries that are
  // not ELF64 relocations, on a target section that does not exist, and on
  // a symbol index not below `symbol_count`.
  absl::StatusOr<std::vector<ElfRelocation>> Relocations(const ElfSection& section,
                                                         uint64_t symbol_count) const;

  const std::string& what() const { return what_; }

 private:
  ElfImage() = default;
  absl::Status Malformed(std::string_view reason) const;
  absl::Status LibelfError(std::string_view doing) const;
  absl::Status CheckSectionHeaderTable(uint64_t* count) const;
  absl::Status ReadSectionHeaders(uint64_t count);

  ByteView bytes_;
  std::string what_;
  std::string malformed_;
  ElfHeader header_;
  Elf* elf_ = nullptr;
  std::vector<ElfSection> sections_;
  uint64_t section_names_index_ = 0;
};

}  // namespace kcontract

#endif  // KCONTRACT_BTFDIFF_BASE_ELF_IMAGE_H_
