#include "btfdiff/base/elf_image.h"

#include <mutex>

#include "absl/strings/str_format.h"

namespace kcontract {
namespace {

void InitLibelfOnce() {
  static std::once_flag once;
  std::call_once(once, [] { elf_version(EV_CURRENT); });
}

absl::Status ElfError(std::string_view what, std::string_view doing) {
  const char* reason = elf_errmsg(-1);
  return absl::DataLossError(absl::StrFormat(
      "%s: malformed ELF: %s: %s", what, doing, reason ? reason : "unknown error"));
}

}  // namespace

bool IsElf(ByteView bytes) { return StartsWith(bytes, "\x7f" "ELF"); }

absl::StatusOr<std::unique_ptr<ElfImage>> ElfImage::Open(ByteView bytes,
                                                         std::string_view what) {
  InitLibelfOnce();
  if (!IsElf(bytes)) {
    return absl::InvalidArgumentError(absl::StrFormat("%s: not an ELF file", what));
  }
  if (bytes.size() < 5 || bytes[4] != ELFCLASS64) {
    return absl::InvalidArgumentError(
        absl::StrFormat("%s: only 64-bit ELF files are supported", what));
  }
  std::unique_ptr<ElfImage> image(new ElfImage());
  image->bytes_ = bytes;
  image->what_ = std::string(what);
  // libelf never writes through this pointer for an ELF_C_READ_MMAP-like
  // memory image opened read-only.
  image->elf_ = elf_memory(reinterpret_cast<char*>(const_cast<uint8_t*>(bytes.data())),
                           bytes.size());
  if (image->elf_ == nullptr) return ElfError(what, "cannot open");
  GElf_Ehdr ehdr;
  if (gelf_getehdr(image->elf_, &ehdr) == nullptr) return ElfError(what, "header");
  image->machine_ = ehdr.e_machine;
  image->type_ = ehdr.e_type;
  if (elf_getshdrstrndx(image->elf_, &image->shstrndx_) != 0) {
    return ElfError(what, "section name table");
  }
  return image;
}

ElfImage::~ElfImage() {
  if (elf_ != nullptr) elf_end(elf_);
}

uint32_t ElfImage::SectionIndex(std::string_view name) const {
  Elf_Scn* scn = nullptr;
  while ((scn = elf_nextscn(elf_, scn)) != nullptr) {
    GElf_Shdr shdr;
    if (gelf_getshdr(scn, &shdr) == nullptr) continue;
    const char* section_name = elf_strptr(elf_, shstrndx_, shdr.sh_name);
    if (section_name != nullptr && name == section_name) {
      return static_cast<uint32_t>(elf_ndxscn(scn));
    }
  }
  return 0;
}

absl::StatusOr<std::optional<ElfSection>> ElfImage::Section(std::string_view name) const {
  uint32_t index = SectionIndex(name);
  if (index == 0) return std::optional<ElfSection>();
  Elf_Scn* scn = elf_getscn(elf_, index);
  GElf_Shdr shdr;
  if (scn == nullptr || gelf_getshdr(scn, &shdr) == nullptr) {
    return ElfError(what_, absl::StrFormat("section %s", name));
  }
  if (shdr.sh_type == SHT_NOBITS) return ElfSection{ByteView(), shdr.sh_addr, index};
  std::optional<ByteView> data = Slice(bytes_, shdr.sh_offset, shdr.sh_size);
  if (!data) {
    return absl::DataLossError(absl::StrFormat(
        "%s: section %s (offset %d, size %d) lies outside the file (size %d)",
        what_, name, shdr.sh_offset, shdr.sh_size, bytes_.size()));
  }
  return ElfSection{*data, shdr.sh_addr, index};
}

absl::StatusOr<std::vector<ElfSymbol>> ElfImage::Symbols() const {
  std::vector<ElfSymbol> symbols;
  Elf_Scn* scn = nullptr;
  while ((scn = elf_nextscn(elf_, scn)) != nullptr) {
    GElf_Shdr shdr;
    if (gelf_getshdr(scn, &shdr) == nullptr || shdr.sh_type != SHT_SYMTAB) continue;
    if (!Slice(bytes_, shdr.sh_offset, shdr.sh_size) || shdr.sh_entsize == 0) {
      return absl::DataLossError(
          absl::StrFormat("%s: symbol table lies outside the file", what_));
    }
    Elf_Data* data = elf_getdata(scn, nullptr);
    if (data == nullptr) return ElfError(what_, "symbol table");
    size_t count = shdr.sh_size / shdr.sh_entsize;
    symbols.reserve(count);
    for (size_t i = 0; i < count; ++i) {
      GElf_Sym sym;
      if (gelf_getsym(data, static_cast<int>(i), &sym) == nullptr) break;
      const char* name = elf_strptr(elf_, shdr.sh_link, sym.st_name);
      symbols.push_back(ElfSymbol{name ? name : "", sym.st_value, sym.st_size,
                                  sym.st_shndx});
    }
    break;
  }
  return symbols;
}

}  // namespace kcontract
