#include "btfdiff/base/elf_image.h"

#include <algorithm>
#include <cstring>
#include <mutex>

#include "absl/strings/str_format.h"
#include "btfdiff/base/status_macros.h"
#include "btfdiff/base/text.h"

namespace kcontract {
namespace {

void InitLibelfOnce() {
  static std::once_flag once;
  std::call_once(once, [] { elf_version(EV_CURRENT); });
}

// Decodes one ELF structure of `type` at the start of `raw` from the file's
// byte order into `out`, with libelf's translation; false when it cannot.
template <typename T>
bool Decode(ByteView raw, Elf_Type type, uint8_t byte_order,
            Elf_Data* (*translate)(Elf_Data*, const Elf_Data*, unsigned int), T* out) {
  if (raw.size() < sizeof(T)) return false;
  // An aligned copy: the structure may sit at any offset of the file.
  T source;
  std::memcpy(&source, raw.data(), sizeof(T));
  Elf_Data from{};
  from.d_buf = &source;
  from.d_type = type;
  from.d_size = sizeof(T);
  from.d_version = EV_CURRENT;
  Elf_Data to = from;
  to.d_buf = out;
  InitLibelfOnce();
  return translate(&to, &from, byte_order) != nullptr;
}

template <typename Ehdr>
void FillHeader(const Ehdr& ehdr, ElfHeader* header) {
  header->type = ehdr.e_type;
  header->machine = ehdr.e_machine;
  header->section_header_offset = ehdr.e_shoff;
  header->section_header_size = ehdr.e_shentsize;
  header->section_count = ehdr.e_shnum;
  header->section_names_index = ehdr.e_shstrndx;
}

// Decodes the entries of a table section (symbols, relocations) from the
// file's byte order with libelf's translation, a batch at a time, and calls
// `each(index, entry)` until it fails. Like libbpf, this reads the section's
// bytes whatever its flags say.
template <typename Entry, typename Each>
absl::Status DecodeEntries(ByteView data, Elf_Type type, uint8_t byte_order, Each&& each) {
  constexpr uint64_t kBatch = 256;
  Entry batch[kBatch];
  uint64_t count = data.size() / sizeof(Entry);
  for (uint64_t first = 0; first < count; first += kBatch) {
    uint64_t n = std::min(kBatch, count - first);
    Elf_Data from{};
    from.d_buf = const_cast<uint8_t*>(data.data() + first * sizeof(Entry));
    from.d_type = type;
    from.d_size = n * sizeof(Entry);
    from.d_version = EV_CURRENT;
    Elf_Data to = from;
    to.d_buf = batch;
    if (elf64_xlatetom(&to, &from, byte_order) == nullptr) {
      const char* reason = elf_errmsg(-1);
      return absl::InternalError(reason ? reason : "unknown error");
    }
    for (uint64_t i = 0; i < n; ++i) KC_RETURN_IF_ERROR(each(first + i, batch[i]));
  }
  return absl::OkStatus();
}

}  // namespace

bool IsElf(ByteView bytes) { return StartsWith(bytes, "\x7f" "ELF"); }

std::optional<ElfHeader> ReadElfHeader(ByteView bytes) {
  if (!IsElf(bytes) || bytes.size() < EI_NIDENT) return std::nullopt;
  ElfHeader header;
  header.elf_class = bytes[EI_CLASS];
  header.byte_order = bytes[EI_DATA];
  header.version = bytes[EI_VERSION];
  bool is32 = header.elf_class == ELFCLASS32;
  if (bytes.size() < (is32 ? sizeof(Elf32_Ehdr) : sizeof(Elf64_Ehdr))) return std::nullopt;
  if (header.byte_order != ELFDATA2LSB && header.byte_order != ELFDATA2MSB) return header;
  if (header.elf_class == ELFCLASS64) {
    Elf64_Ehdr ehdr;
    if (Decode(bytes, ELF_T_EHDR, header.byte_order, elf64_xlatetom, &ehdr)) {
      FillHeader(ehdr, &header);
    }
  } else if (is32) {
    Elf32_Ehdr ehdr;
    if (Decode(bytes, ELF_T_EHDR, header.byte_order, elf32_xlatetom, &ehdr)) {
      FillHeader(ehdr, &header);
    }
  }
  return header;
}

absl::StatusOr<std::unique_ptr<ElfImage>> ElfImage::Open(ByteView bytes, std::string_view what,
                                                         const ElfOpenOptions& options) {
  if (!IsElf(bytes)) {
    return absl::InvalidArgumentError(absl::StrFormat("%s: not an ELF file", what));
  }
  if (bytes.size() <= EI_CLASS || bytes[EI_CLASS] != ELFCLASS64) {
    return absl::InvalidArgumentError(
        absl::StrFormat("%s: only 64-bit ELF files are supported", what));
  }
  std::unique_ptr<ElfImage> image(new ElfImage());
  image->bytes_ = bytes;
  image->what_ = std::string(what);
  image->malformed_ = std::string(options.malformed);
  std::optional<ElfHeader> header = ReadElfHeader(bytes);
  if (!header) {
    return image->Malformed(absl::StrFormat(
        "truncated ELF: cut at byte %d, inside the %d-byte ELF header", bytes.size(),
        kElf64HeaderSize));
  }
  image->header_ = *header;
  if (!header->big_endian() && header->byte_order != ELFDATA2LSB) {
    return image->Malformed(
        absl::StrFormat("byte order %d is neither little- nor big-endian", header->byte_order));
  }
  if (header->version != EV_CURRENT) {
    return image->Malformed(
        absl::StrFormat("ELF version %d (expected %d)", header->version, EV_CURRENT));
  }
  uint64_t count = 0;
  KC_RETURN_IF_ERROR(image->CheckSectionHeaderTable(&count));
  InitLibelfOnce();
  // libelf never writes through this pointer: the image is only read.
  image->elf_ = elf_memory(reinterpret_cast<char*>(const_cast<uint8_t*>(bytes.data())),
                           bytes.size());
  if (image->elf_ == nullptr) return image->LibelfError("cannot open");
  GElf_Ehdr ehdr;
  if (gelf_getehdr(image->elf_, &ehdr) == nullptr) return image->LibelfError("header");
  KC_RETURN_IF_ERROR(image->ReadSectionHeaders(count));
  if (options.all_sections_in_file) {
    for (const ElfSection& s : image->sections_) {
      if (s.HasFileBytes() && !Slice(bytes, s.offset, s.size)) {
        return image->Malformed(absl::StrFormat(
            "truncated ELF: cut at byte %d: section %d (offset %d, size %d) lies outside the file",
            bytes.size(), s.index, s.offset, s.size));
      }
    }
  }
  return image;
}

ElfImage::~ElfImage() {
  if (elf_ != nullptr) elf_end(elf_);
}

absl::Status ElfImage::Malformed(std::string_view reason) const {
  return absl::DataLossError(absl::StrFormat("%s: %s: %s", what_, malformed_, reason));
}

absl::Status ElfImage::LibelfError(std::string_view doing) const {
  const char* reason = elf_errmsg(-1);
  return Malformed(absl::StrFormat("%s: %s", doing, reason ? reason : "unknown error"));
}

// Checked before libelf reads the table, so that a cut file is named as one.
absl::Status ElfImage::CheckSectionHeaderTable(uint64_t* count) const {
  const ElfHeader& h = header_;
  if (h.section_header_offset == 0) return Malformed("no section header table");
  if (h.section_header_size != sizeof(Elf64_Shdr)) {
    return Malformed(absl::StrFormat("section header size %d (expected %d)",
                                     h.section_header_size, sizeof(Elf64_Shdr)));
  }
  *count = h.section_count;
  if (*count == 0) {
    // Extended numbering: the count lives in section 0's sh_size.
    std::optional<ByteView> raw =
        Slice(bytes_, h.section_header_offset, sizeof(Elf64_Shdr));
    Elf64_Shdr first;
    if (!raw || !Decode(*raw, ELF_T_SHDR, h.byte_order, elf64_xlatetom, &first)) {
      return Malformed(absl::StrFormat(
          "truncated ELF: cut at byte %d: section header table at offset %d lies outside the file",
          bytes_.size(), h.section_header_offset));
    }
    *count = first.sh_size;
  }
  if (*count > bytes_.size() / sizeof(Elf64_Shdr) ||
      !Slice(bytes_, h.section_header_offset, *count * sizeof(Elf64_Shdr))) {
    return Malformed(absl::StrFormat(
        "truncated ELF: cut at byte %d: section header table (offset %d, %d entries) lies "
        "outside the file",
        bytes_.size(), h.section_header_offset, *count));
  }
  return absl::OkStatus();
}

absl::Status ElfImage::ReadSectionHeaders(uint64_t count) {
  sections_.resize(count);
  for (uint64_t i = 0; i < count; ++i) {
    Elf_Scn* scn = elf_getscn(elf_, i);
    GElf_Shdr shdr;
    if (scn == nullptr || gelf_getshdr(scn, &shdr) == nullptr) {
      return LibelfError(absl::StrFormat("section %d", i));
    }
    ElfSection& s = sections_[i];
    s.index = static_cast<uint32_t>(i);
    s.address = shdr.sh_addr;
    s.name_offset = shdr.sh_name;
    s.type = shdr.sh_type;
    s.flags = shdr.sh_flags;
    s.offset = shdr.sh_offset;
    s.size = shdr.sh_size;
    s.link = shdr.sh_link;
    s.info = shdr.sh_info;
    s.entsize = shdr.sh_entsize;
    if (s.HasFileBytes()) s.data = Slice(bytes_, s.offset, s.size).value_or(ByteView());
  }
  section_names_index_ = header_.section_names_index;
  if (section_names_index_ == SHN_XINDEX) {
    section_names_index_ = count != 0 ? sections_[0].link : 0;
  }
  const ElfSection* names = SectionAt(section_names_index_);
  if (section_names_index_ == 0 || names == nullptr || names->type != SHT_STRTAB) {
    return absl::OkStatus();  // every name stays empty; CheckSectionNames says why
  }
  // Without its names no section can be found: a cut name table is a cut
  // file, not a file without the sections asked for.
  if (names->data.size() != names->size) {
    return Malformed(absl::StrFormat(
        "truncated ELF: cut at byte %d: the section name table (section %d, offset %d, size %d) "
        "lies outside the file",
        bytes_.size(), names->index, names->offset, names->size));
  }
  for (ElfSection& s : sections_) {
    if (s.index == 0) continue;
    const char* name = elf_strptr(elf_, section_names_index_, s.name_offset);
    if (name != nullptr) s.name = name;
  }
  return absl::OkStatus();
}

absl::Status ElfImage::CheckSectionNames() const {
  const ElfSection* names = SectionAt(section_names_index_);
  if (section_names_index_ == 0 || names == nullptr || names->type != SHT_STRTAB) {
    return Malformed(
        absl::StrFormat("section name table index %d is invalid", section_names_index_));
  }
  if (names->flags & SHF_COMPRESSED) {
    return Malformed(absl::StrFormat("section name table (section %d) is compressed",
                                     section_names_index_));
  }
  for (const ElfSection& s : sections_) {
    if (s.index == 0) continue;
    if (elf_strptr(elf_, section_names_index_, s.name_offset) == nullptr) {
      return Malformed(absl::StrFormat(
          "section %d has a name offset %d outside the section name table", s.index,
          s.name_offset));
    }
  }
  return absl::OkStatus();
}

const ElfSection* ElfImage::FindSection(std::string_view name) const {
  for (const ElfSection& s : sections_) {
    if (s.index != 0 && s.name == name) return &s;
  }
  return nullptr;
}

const ElfSection* ElfImage::SectionAt(uint64_t index) const {
  return index < sections_.size() ? &sections_[index] : nullptr;
}

uint64_t ElfImage::Extent() const {
  uint64_t end = header_.section_header_offset + sections_.size() * sizeof(Elf64_Shdr);
  for (const ElfSection& s : sections_) {
    if (s.HasFileBytes()) end = std::max(end, s.offset + s.size);
  }
  return end;
}

absl::StatusOr<std::optional<ElfSection>> ElfImage::Section(std::string_view name) const {
  const ElfSection* section = FindSection(name);
  if (section == nullptr) return std::optional<ElfSection>();
  if (section->type != SHT_NOBITS && !Slice(bytes_, section->offset, section->size)) {
    return Malformed(absl::StrFormat(
        "truncated ELF: cut at byte %d: section %s (offset %d, size %d) lies outside the file",
        bytes_.size(), name, section->offset, section->size));
  }
  return *section;
}

bool ElfImage::HasSymbolTable() const {
  return std::any_of(sections_.begin(), sections_.end(),
                     [](const ElfSection& s) { return s.type == SHT_SYMTAB; });
}

absl::StatusOr<std::vector<ElfSymbol>> ElfImage::Symbols() const {
  std::vector<ElfSymbol> symbols;
  auto table = std::find_if(sections_.begin(), sections_.end(),
                            [](const ElfSection& s) { return s.type == SHT_SYMTAB; });
  if (table == sections_.end()) return symbols;
  if (!Slice(bytes_, table->offset, table->size)) {
    return absl::DataLossError(
        absl::StrFormat("%s: symbol table lies outside the file", what_));
  }
  if (table->entsize != sizeof(Elf64_Sym) || table->size % sizeof(Elf64_Sym) != 0) {
    return Malformed(absl::StrFormat("symbol table entry size %d (expected %d)", table->entsize,
                                     sizeof(Elf64_Sym)));
  }
  const ElfSection* strings = SectionAt(table->link);
  if (strings == nullptr || strings->type != SHT_STRTAB) {
    return Malformed(absl::StrFormat(
        "symbol table links to section %d, not a string table", table->link));
  }
  if (strings->flags & SHF_COMPRESSED) {
    return Malformed(absl::StrFormat(
        "symbol table links to section %d, a compressed string table", table->link));
  }
  symbols.resize(table->size / sizeof(Elf64_Sym));
  absl::Status decoded = DecodeEntries<Elf64_Sym>(
      table->data, ELF_T_SYM, header_.byte_order,
      [&](uint64_t i, const Elf64_Sym& sym) -> absl::Status {
        const char* name = elf_strptr(elf_, table->link, sym.st_name);
        if (name == nullptr) {
          return Malformed(absl::StrFormat(
              "symbol %d has a name offset %d outside the string table", i, sym.st_name));
        }
        ElfSymbol& symbol = symbols[i];
        symbol.name = name;
        symbol.value = sym.st_value;
        symbol.size = sym.st_size;
        symbol.section_index = sym.st_shndx;
        symbol.binding = ELF64_ST_BIND(sym.st_info);
        symbol.type = ELF64_ST_TYPE(sym.st_info);
        symbol.visibility = ELF64_ST_VISIBILITY(sym.st_other);
        if (symbol.type == STT_SECTION && symbol.name.empty()) {
          if (const ElfSection* target = SectionAt(symbol.section_index)) {
            symbol.name = target->name;
          }
        }
        return absl::OkStatus();
      });
  if (decoded.code() == absl::StatusCode::kInternal) {
    return Malformed(absl::StrFormat("symbol table: %s", decoded.message()));
  }
  KC_RETURN_IF_ERROR(decoded);
  return symbols;
}

absl::StatusOr<std::vector<ElfRelocation>> ElfImage::Relocations(const ElfSection& section,
                                                                 uint64_t symbol_count) const {
  std::string name = PrintableName(section.name);
  if (section.data.size() != section.size) {
    return Malformed(absl::StrFormat("relocation section %s lies outside the file", name));
  }
  if (section.entsize != sizeof(Elf64_Rel) || section.size % sizeof(Elf64_Rel) != 0) {
    return Malformed(absl::StrFormat("relocation section %s has entry size %d (expected %d)",
                                     name, section.entsize, sizeof(Elf64_Rel)));
  }
  if (section.info == 0 || section.info >= sections_.size()) {
    return Malformed(absl::StrFormat(
        "relocation section %s applies to section %d, which does not exist", name,
        section.info));
  }
  std::vector<ElfRelocation> relocations(section.size / sizeof(Elf64_Rel));
  absl::Status decoded = DecodeEntries<Elf64_Rel>(
      section.data, ELF_T_REL, header_.byte_order,
      [&](uint64_t i, const Elf64_Rel& rel) -> absl::Status {
        ElfRelocation& r = relocations[i];
        r.offset = rel.r_offset;
        r.symbol = static_cast<uint32_t>(ELF64_R_SYM(rel.r_info));
        r.type = static_cast<uint32_t>(ELF64_R_TYPE(rel.r_info));
        if (r.symbol >= symbol_count) {
          return Malformed(absl::StrFormat(
              "relocation in %s at offset %d names symbol %d, beyond the %d symbols", name,
              r.offset, r.symbol, symbol_count));
        }
        return absl::OkStatus();
      });
  if (decoded.code() == absl::StatusCode::kInternal) {
    return Malformed(absl::StrFormat("relocation section %s: %s", name, decoded.message()));
  }
  KC_RETURN_IF_ERROR(decoded);
  return relocations;
}

}  // namespace kcontract
