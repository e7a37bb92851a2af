// The ELF layer of a BPF object: the checks libbpf makes before it opens an
// object (ELF64, EM_BPF, ET_REL; its byte order is judged later, as libbpf
// does, so a big-endian object is read), then its sections, symbols
// and relocations, read with libelf (btfdiff/base/elf_image.h) and checked
// whole before any analysis looks at them. BPF objects are small and often
// untrusted (pulled out of other binaries).
#ifndef KCONTRACT_ABI_OBJECT_OBJECT_ELF_H_
#define KCONTRACT_ABI_OBJECT_OBJECT_ELF_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "btfdiff/base/bytes.h"
#include "btfdiff/base/elf_image.h"

namespace kcontract {

inline constexpr uint64_t kInsnSize = 8;  // one BPF instruction (a 16-byte ld_imm64 is two)

// ELF relocations one object may carry: a large real object (Cilium's
// bpf_lxc.o) has some tens of thousands.
inline constexpr uint64_t kMaxObjectRelocations = 1'000'000;

// "<what>: malformed BPF object: <reason>": how every structural error of
// an object reads.
absl::Status MalformedObject(std::string_view what, std::string_view reason);

// Whether `header` is that of a little-endian BPF object: ELF64, EM_BPF.
bool IsBpfElf(const ElfHeader& header);

// Whether `header` is that of a big-endian BPF object (clang -target bpfeb):
// ELF64, EM_BPF. libbpf refuses it on a little-endian host, but it is a BPF
// object, read as one (BpfObject::big_endian).
bool IsBigEndianBpfElf(const ElfHeader& header);

// "an ELF executable for x86-64": what a non-BPF ELF file is.
std::string DescribeElf(ByteView bytes);

// A section of instructions: PROGBITS and executable.
bool IsCodeSection(const ElfSection& section);

class ObjectElf {
 public:
  // Reads `bytes` (which must outlive the result) as a BPF object, `what`
  // naming it in errors: InvalidArgument when it is not one, DataLoss when
  // its structure is malformed.
  static absl::StatusOr<ObjectElf> Read(ByteView bytes, std::string_view what);

  // The first section named `name`, or null.
  const ElfSection* Find(std::string_view name) const { return image_->FindSection(name); }
  // The section at `index`, or null.
  const ElfSection* At(uint64_t index) const { return image_->SectionAt(index); }

  bool has_symbol_table() const { return has_symbol_table_; }
  // The object is big-endian: libelf translates its headers, sections'
  // table, symbols and relocations, but section contents (BTF,
  // instructions) are in its byte order.
  bool big_endian() const { return image_->header().big_endian(); }
  const std::vector<ElfSymbol>& symbols() const { return symbols_; }
  // The symbol (other than a section symbol) named `name` in `section`.
  const ElfSymbol* SymbolIn(std::string_view name, uint32_t section) const;
  // The undefined symbol named `name`: an extern.
  const ElfSymbol* UndefinedSymbol(std::string_view name) const;

  // The relocation of the bytes at `offset` of section `section`, if any.
  const ElfRelocation* RelocationAt(uint32_t section, uint64_t offset) const;

 private:
  struct PlacedRelocation {
    uint32_t section = 0;  // the section the relocation applies to
    ElfRelocation relocation;
  };

  std::unique_ptr<ElfImage> image_;
  bool has_symbol_table_ = false;
  std::vector<ElfSymbol> symbols_;
  // Sorted by (section, offset); of two at one place, the first read comes first.
  std::vector<PlacedRelocation> relocations_;
};

}  // namespace kcontract

#endif  // KCONTRACT_ABI_OBJECT_OBJECT_ELF_H_
