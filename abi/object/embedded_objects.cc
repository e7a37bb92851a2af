// BPF objects inside other files: libbpf skeletons embed the object in
// executables and libraries, as a whole ELF image at some offset.
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "abi/object/bpf_object.h"
#include "abi/object/object_elf.h"
#include "absl/strings/str_format.h"
#include "btfdiff/base/elf_image.h"
#include "btfdiff/base/file_bytes.h"
#include "btfdiff/base/status_macros.h"

namespace kcontract {
namespace {

// The size of the EM_BPF ELF image starting at `offset` of `file`, or 0 when
// the bytes there are not one: ELFCLASS64, little-endian, EM_BPF, ET_REL, a
// section header table and every section inside the file.
uint64_t EmbeddedImageSize(ByteView file, uint64_t offset) {
  ByteView bytes = file.subspan(offset);
  std::optional<ElfHeader> h = ReadElfHeader(bytes);
  if (!h || bytes.size() < kElf64HeaderSize || !IsBpfElf(*h) || h->type != ET_REL ||
      h->section_count == 0 || h->section_names_index >= h->section_count ||
      h->section_header_offset < kElf64HeaderSize) {
    return 0;
  }
  absl::StatusOr<std::unique_ptr<ElfImage>> image =
      ElfImage::Open(bytes, "embedded", {.all_sections_in_file = true});
  return image.ok() ? (*image)->Extent() : 0;
}

}  // namespace

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
  return ReadBpfObjectsFromBytes(file.bytes(), path);
}

absl::StatusOr<std::vector<std::unique_ptr<BpfObject>>> ReadBpfObjectsFromBytes(
    ByteView bytes, const std::string& path) {
  std::vector<std::unique_ptr<BpfObject>> objects;
  bool is_elf = IsElf(bytes);
  // A cut header is read as an object, to be named as a truncated one.
  std::optional<ElfHeader> h = ReadElfHeader(bytes);
  bool is_bpf = is_elf && (!h || bytes.size() < kElf64HeaderSize || IsBpfElf(*h));
  if (is_bpf) {
    KC_ASSIGN_OR_RETURN(std::unique_ptr<BpfObject> object, ReadBpfObject(bytes, path));
    objects.push_back(std::move(object));
    return objects;
  }
  for (const EmbeddedRange& range : FindEmbeddedBpfObjects(bytes)) {
    std::string what = absl::StrFormat("%s@0x%x", path, range.offset);
    KC_ASSIGN_OR_RETURN(std::unique_ptr<BpfObject> object,
                        ReadBpfObject(bytes.subspan(range.offset, range.size), what));
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
