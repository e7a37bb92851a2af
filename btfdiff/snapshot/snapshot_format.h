// The snapshot file's layout (format version 1), shared by the writer and
// the reader. Little-endian throughout.
//
//   offset 0   magic "\x89KCSNAP\n"        8 bytes  } the same in every
//   offset 8   u32 format version                   } format version
//   offset 12  u32 section count
//   offset 16  u64 file size
//   offset 24  u32 CRC-32 of the section table
//   offset 28  u32 CRC-32 of bytes 0..27
//   offset 32  section table: per section 32 bytes
//                u16 type, u16 codec, u32 flags,
//                u64 offset, u64 stored size, u64 raw (decompressed) size
//   then the sections' bytes, in table order: a zstd frame with its content
//   checksum (codec 1), or, from format version 2, the raw bytes as they
//   are (codec 2, stored: stored size = raw size).
//
// A writer uses the oldest version that holds what it writes: 1 when every
// section is zstd, 2 when any is stored.
//
// Version 2's metadata ends with the CRC-32 of every BTF chunk as stored
// (u32 count = the number of chunks, then one u32 each), which the reader
// checks before using a chunk: zstd frames carry their own checksum, stored
// bytes would otherwise carry none.
//
// Sections: one kMetadata (the fields below, FieldWriter-encoded), then the
// BTF stream in kBtfChunk sections: the raw BTF of vmlinux and of every
// module concatenated, cut into chunks of kBtfChunkSize bytes that are
// compressed, and decompressed, independently (in parallel).
#ifndef KCONTRACT_BTFDIFF_SNAPSHOT_SNAPSHOT_FORMAT_H_
#define KCONTRACT_BTFDIFF_SNAPSHOT_SNAPSHOT_FORMAT_H_

#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>

#include "btfdiff/base/bytes.h"

namespace kcontract::snapshot_format {

using std::string_view_literals::operator""sv;

inline constexpr std::string_view kMagic = "\x89KCSNAP\n"sv;
inline constexpr size_t kHeaderSize = 32;
inline constexpr size_t kSectionEntrySize = 32;

enum SectionType : uint16_t {
  kMetadata = 1,
  kBtfChunk = 2,
};
enum Codec : uint16_t {
  kZstd = 1,
  kStored = 2,  // from format version 2
};
// The first format version that has kStored.
inline constexpr uint32_t kStoredSinceVersion = 2;
// A section a reader may skip when it does not know its type; any other
// unknown section makes the snapshot unreadable.
inline constexpr uint32_t kSectionOptional = 1u << 0;

inline constexpr uint64_t kBtfChunkSize = 1ull << 20;
// Ceilings a reader applies before allocating anything.
inline constexpr uint64_t kMaxChunkRawSize = 16ull << 20;
inline constexpr uint64_t kMaxMetadataRawSize = 256ull << 20;
inline constexpr uint32_t kMaxSections = 1u << 16;
// How far a snapshot may expand: all its sections' raw bytes at most
// kMaxExpansion times the file, plus kExpansionAllowance. Kernel BTF
// compresses about 4.4 times (Debian 6.1's whole package: 64.5 MB of BTF in
// a 14.7 MB snapshot); zstd can expand a few kilobytes to gigabytes, and
// a reader would hold them all before any BTF check could refuse them.
inline constexpr uint64_t kMaxExpansion = 64;
inline constexpr uint64_t kExpansionAllowance = 1ull << 20;

// Appends fixed-width integers and length-prefixed strings.
class FieldWriter {
 public:
  void U8(uint8_t v) { bytes_.push_back(v); }
  void U16(uint16_t v) { Raw(&v, sizeof(v)); }
  void U32(uint32_t v) { Raw(&v, sizeof(v)); }
  void U64(uint64_t v) { Raw(&v, sizeof(v)); }
  void String(std::string_view s) {
    U32(static_cast<uint32_t>(s.size()));
    Raw(s.data(), s.size());
  }
  void Blob(ByteView b) {
    U32(static_cast<uint32_t>(b.size()));
    Raw(b.data(), b.size());
  }
  Bytes& bytes() { return bytes_; }

 private:
  void Raw(const void* p, size_t n) {
    const auto* b = static_cast<const uint8_t*>(p);
    bytes_.insert(bytes_.end(), b, b + n);
  }
  Bytes bytes_;
};

// Reads what FieldWriter wrote; every read is bounds-checked, and the first
// failure sticks (ok() turns false, failed_at() says where).
class FieldReader {
 public:
  explicit FieldReader(ByteView bytes) : bytes_(bytes) {}

  template <typename T>
  T Int() {
    std::optional<T> v = ok_ ? ReadLe<T>(bytes_, at_) : std::nullopt;
    if (!v) return Fail(T{});
    at_ += sizeof(T);
    return *v;
  }
  uint8_t U8() { return Int<uint8_t>(); }
  uint32_t U32() { return Int<uint32_t>(); }
  uint64_t U64() { return Int<uint64_t>(); }
  std::string String() {
    ByteView b = Blob();
    return std::string(reinterpret_cast<const char*>(b.data()), b.size());
  }
  ByteView Blob() {
    uint32_t size = U32();
    std::optional<ByteView> b = ok_ ? Slice(bytes_, at_, size) : std::nullopt;
    if (!b) return Fail(ByteView());
    at_ += size;
    return *b;
  }
  // A count of items each at least `min_item_size` bytes long: one that the
  // remaining bytes cannot hold fails here, before anything is reserved.
  uint32_t Count(size_t min_item_size) {
    uint32_t n = U32();
    if (ok_ && static_cast<uint64_t>(n) * min_item_size > bytes_.size() - at_) return Fail(0u);
    return n;
  }

  bool ok() const { return ok_; }
  bool at_end() const { return at_ == bytes_.size(); }
  uint64_t failed_at() const { return failed_at_; }

 private:
  template <typename T>
  T Fail(T value) {
    if (ok_) failed_at_ = at_;
    ok_ = false;
    return value;
  }
  ByteView bytes_;
  uint64_t at_ = 0;
  bool ok_ = true;
  uint64_t failed_at_ = 0;
};

}  // namespace kcontract::snapshot_format

#endif  // KCONTRACT_BTFDIFF_SNAPSHOT_SNAPSHOT_FORMAT_H_
