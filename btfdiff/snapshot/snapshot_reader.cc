// Reading a snapshot: the header and section table are checked before
// anything is allocated, the chunks are decompressed in parallel into one
// buffer (stored chunks are parsed where they lie in the file), and the BTF
// blobs are parsed by libbpf as raw BTF would be.
#include <zlib.h>
#include <zstd.h>

#include <algorithm>
#include <memory>
#include <mutex>
#include <utility>

#include "absl/strings/str_format.h"
#include "btfdiff/base/parallel.h"
#include "btfdiff/base/status_macros.h"
#include "btfdiff/snapshot/snapshot.h"
#include "btfdiff/snapshot/snapshot_format.h"

namespace kcontract {
namespace {

using namespace snapshot_format;

struct SectionEntry {
  uint16_t type = 0;
  uint16_t codec = 0;
  uint32_t flags = 0;
  uint64_t offset = 0;
  uint64_t stored_size = 0;
  uint64_t raw_size = 0;
};

class SnapshotReader {
 public:
  SnapshotReader(ByteView bytes, std::string_view path, const SnapshotReadOptions& options)
      : bytes_(bytes), path_(path), options_(options) {}

  absl::StatusOr<std::unique_ptr<KernelBtf>> Read();

 private:
  absl::Status Corrupt(std::string_view why) const {
    return absl::DataLossError(absl::StrFormat("%s: corrupt snapshot: %s", path_, why));
  }
  absl::Status Truncated(uint64_t needed) const {
    return absl::DataLossError(absl::StrFormat(
        "%s: truncated snapshot: it ends at byte %d, its layout needs %d bytes", path_,
        bytes_.size(), needed));
  }
  absl::Status ReadHeader();
  absl::Status ReadTable();
  absl::StatusOr<Bytes> Decompress(size_t index, uint8_t* out) const;
  absl::Status ReadMetadata(ByteView raw);
  absl::Status ReadBtfIds(FieldReader& r, std::optional<BtfIdsSection>* out) const;
  absl::Status Assemble(ByteView stream);
  absl::Status AssembleInPlace(ByteView stream);
  absl::Status AssembleDecompressed(uint64_t stream_size);
  std::optional<ByteView> StoredStream(uint64_t stream_size) const;
  absl::Status CheckChunkCrc(size_t chunk) const;

  ByteView bytes_;
  std::string path_;
  const SnapshotReadOptions& options_;
  uint32_t version_ = 0;
  uint64_t file_size_ = 0;
  std::vector<SectionEntry> sections_;
  std::vector<size_t> chunks_;  // indexes into sections_, in stream order
  size_t metadata_ = 0;

  // What the metadata says.
  std::unique_ptr<KernelBtf> kernel_;
  uint64_t vmlinux_size_ = 0;
  std::vector<uint64_t> module_sizes_;
  std::vector<uint32_t> chunk_crcs_;  // format version 2: one per chunk
};

absl::Status SnapshotReader::ReadHeader() {
  // Magic and version keep their place in every format version, so a newer
  // snapshot is told from a damaged one before its header is trusted.
  std::optional<uint32_t> version = ReadLe<uint32_t>(bytes_, 8);
  if (!version) return Truncated(kHeaderSize);
  version_ = *version;
  if (version_ > kSnapshotFormatVersion) {
    return absl::FailedPreconditionError(absl::StrFormat(
        "%s: snapshot format version %d is newer than this kcontract reads (up to %d): "
        "read it with a newer kcontract, or make the snapshot again with this one",
        path_, version_, kSnapshotFormatVersion));
  }
  if (version_ == 0) return Corrupt("format version 0");
  if (bytes_.size() < kHeaderSize) return Truncated(kHeaderSize);
  if (crc32(0, bytes_.data(), 28) != *ReadLe<uint32_t>(bytes_, 28)) {
    return Corrupt("header checksum mismatch");
  }
  file_size_ = *ReadLe<uint64_t>(bytes_, 16);
  if (bytes_.size() < file_size_) return Truncated(file_size_);
  if (bytes_.size() > file_size_) {
    return Corrupt(absl::StrFormat("%d bytes after its end at byte %d",
                                   bytes_.size() - file_size_, file_size_));
  }
  return absl::OkStatus();
}

absl::Status SnapshotReader::ReadTable() {
  const uint32_t count = *ReadLe<uint32_t>(bytes_, 12);
  if (count == 0 || count > kMaxSections) {
    return Corrupt(absl::StrFormat("%d sections", count));
  }
  const uint64_t table_end = kHeaderSize + uint64_t{count} * kSectionEntrySize;
  if (table_end > file_size_) return Corrupt("section table runs past the end of the file");
  if (crc32(0, bytes_.data() + kHeaderSize, table_end - kHeaderSize) !=
      *ReadLe<uint32_t>(bytes_, 24)) {
    return Corrupt("section table checksum mismatch");
  }
  uint64_t next = table_end;
  uint64_t raw_total = 0;
  for (uint32_t i = 0; i < count; ++i) {
    const uint64_t at = kHeaderSize + uint64_t{i} * kSectionEntrySize;
    SectionEntry e{*ReadLe<uint16_t>(bytes_, at),     *ReadLe<uint16_t>(bytes_, at + 2),
                   *ReadLe<uint32_t>(bytes_, at + 4), *ReadLe<uint64_t>(bytes_, at + 8),
                   *ReadLe<uint64_t>(bytes_, at + 16), *ReadLe<uint64_t>(bytes_, at + 24)};
    // Sections tile the file in table order.
    if (e.offset != next || e.stored_size > file_size_ - e.offset) {
      return Corrupt(absl::StrFormat("section %d lies outside its place (bytes %d..%d)", i,
                                     e.offset, e.offset + e.stored_size));
    }
    next = e.offset + e.stored_size;
    const bool known = e.type == kMetadata || e.type == kBtfChunk;
    if (!known) {
      if (e.flags & kSectionOptional) continue;
      return absl::FailedPreconditionError(absl::StrFormat(
          "%s: snapshot has a section of type %d, which this kcontract does not know: "
          "read it with a newer kcontract",
          path_, e.type));
    }
    if (e.codec == kStored) {
      if (version_ < kStoredSinceVersion) {
        return Corrupt(absl::StrFormat(
            "section %d is stored uncompressed, which format version %d does not have", i,
            version_));
      }
      if (e.stored_size != e.raw_size) {
        return Corrupt(absl::StrFormat(
            "section %d is stored uncompressed in %d bytes but claims %d", i, e.stored_size,
            e.raw_size));
      }
    } else if (e.codec != kZstd) {
      return Corrupt(absl::StrFormat("section %d: unknown compression %d", i, e.codec));
    }
    const uint64_t ceiling = e.type == kMetadata ? kMaxMetadataRawSize : kMaxChunkRawSize;
    if (e.raw_size > ceiling) {
      return Corrupt(absl::StrFormat("section %d claims %d bytes, more than the %d it may hold",
                                     i, e.raw_size, ceiling));
    }
    raw_total += e.raw_size;
    if (raw_total > options_.max_decompressed) {
      return absl::ResourceExhaustedError(absl::StrFormat(
          "%s: snapshot decompresses to more than the limit of %d MiB", path_,
          options_.max_decompressed >> 20));
    }
    if (raw_total > file_size_ * kMaxExpansion + kExpansionAllowance) {
      return Corrupt(absl::StrFormat(
          "its sections expand to more than %d times its %d bytes (real snapshots: about 5)",
          kMaxExpansion, file_size_));
    }
    if (e.type == kMetadata) {
      if (i != 0) return Corrupt("the metadata is not the first section");
      metadata_ = i;
    } else {
      if (i == 0) return Corrupt("no metadata section");
      chunks_.push_back(i);
    }
    sections_.resize(i + 1);
    sections_[i] = e;
  }
  if (next != file_size_) return Corrupt("bytes between the last section and the end");
  if (sections_.empty() || sections_[0].type != kMetadata) return Corrupt("no metadata section");
  return absl::OkStatus();
}

struct ZstdDCtxDeleter {
  void operator()(ZSTD_DCtx* d) const { ZSTD_freeDCtx(d); }
};

// Decompresses section `index` into `out` (raw_size bytes), or into a new
// buffer when `out` is null.
absl::StatusOr<Bytes> SnapshotReader::Decompress(size_t index, uint8_t* out) const {
  const SectionEntry& e = sections_[index];
  Bytes owned;
  if (out == nullptr) {
    owned.resize(e.raw_size);
    out = owned.data();
  }
  if (e.codec == kStored) {
    std::copy_n(bytes_.data() + e.offset, e.raw_size, out);
    return owned;
  }
  std::unique_ptr<ZSTD_DCtx, ZstdDCtxDeleter> dctx(ZSTD_createDCtx());
  if (dctx == nullptr) return absl::ResourceExhaustedError("cannot set up zstd");
  const size_t n = ZSTD_decompressDCtx(dctx.get(), out, e.raw_size,
                                       bytes_.data() + e.offset, e.stored_size);
  if (ZSTD_isError(n)) {
    return Corrupt(absl::StrFormat("section %d (bytes %d..%d): %s", index, e.offset,
                                   e.offset + e.stored_size, ZSTD_getErrorName(n)));
  }
  if (n != e.raw_size) {
    return Corrupt(absl::StrFormat("section %d holds %d bytes, its entry says %d", index, n,
                                   e.raw_size));
  }
  return owned;
}

absl::Status SnapshotReader::ReadBtfIds(FieldReader& r,
                                        std::optional<BtfIdsSection>* out) const {
  if (r.U8() == 0) return absl::OkStatus();
  BtfIdsSection ids;
  ByteView data = r.Blob();
  ids.data.assign(data.begin(), data.end());
  ids.address = r.U64();
  ids.index = r.U32();
  // name (4) + value (8) + size (8) + section (4) + three bytes
  const uint32_t count = r.Count(27);
  ids.symbols.reserve(count);
  for (uint32_t i = 0; i < count && r.ok(); ++i) {
    ElfSymbol s;
    s.name = r.String();
    s.value = r.U64();
    s.size = r.U64();
    s.section_index = r.U32();
    s.binding = r.U8();
    s.type = r.U8();
    s.visibility = r.U8();
    ids.symbols.push_back(std::move(s));
  }
  *out = std::move(ids);
  return absl::OkStatus();
}

std::optional<SourceKind> SourceKindNamed(std::string_view name) {
  for (SourceKind kind :
       {SourceKind::kRunning, SourceKind::kRawBtf, SourceKind::kVmlinux, SourceKind::kBzImage,
        SourceKind::kCompressed, SourceKind::kModule, SourceKind::kDirectory,
        SourceKind::kDebPackage}) {
    if (SourceKindName(kind) == name) return kind;
  }
  return std::nullopt;
}

absl::Status SnapshotReader::ReadMetadata(ByteView raw) {
  FieldReader r(raw);
  kernel_ = std::make_unique<KernelBtf>();
  KernelBtf& k = *kernel_;
  KernelOrigin origin;
  std::string kind = r.String();
  origin.name = r.String();
  origin.sha256 = r.String();
  k.release = r.String();
  if (r.U8() != 0) {
    const uint32_t count = r.Count(8);
    KernelConfig config;
    config.reserve(count);
    for (uint32_t i = 0; i < count && r.ok(); ++i) {
      std::string key = r.String();
      config[std::move(key)] = r.String();
    }
    k.config = std::move(config);
  }
  const uint32_t warnings = r.Count(4);
  for (uint32_t i = 0; i < warnings && r.ok(); ++i) k.warnings.push_back(r.String());
  if (r.U8() != 0) {
    ModuleSearch search;
    const uint32_t count = r.Count(4);
    for (uint32_t i = 0; i < count && r.ok(); ++i) search.names.push_back(r.String());
    k.module_search = std::move(search);
  }
  vmlinux_size_ = r.U64();
  KC_RETURN_IF_ERROR(ReadBtfIds(r, &k.vmlinux_btf_ids));
  // name, path, vermagic (4 each) + size (8) + btf_ids flag (1)
  const uint32_t modules = r.Count(21);
  k.modules.reserve(modules);
  for (uint32_t i = 0; i < modules && r.ok(); ++i) {
    ModuleBtf m;
    m.name = r.String();
    m.path = path_ + ":" + r.String();
    m.vermagic = r.String();
    module_sizes_.push_back(r.U64());
    KC_RETURN_IF_ERROR(ReadBtfIds(r, &m.btf_ids));
    k.modules.push_back(std::move(m));
  }
  if (version_ >= kStoredSinceVersion) {
    const uint32_t crcs = r.Count(4);
    for (uint32_t i = 0; i < crcs && r.ok(); ++i) chunk_crcs_.push_back(r.U32());
  }
  if (!r.ok()) {
    return Corrupt(absl::StrFormat("metadata ends inside a field at byte %d of %d",
                                   r.failed_at(), raw.size()));
  }
  if (!r.at_end()) return Corrupt("bytes after the metadata's last field");
  if (version_ >= kStoredSinceVersion && chunk_crcs_.size() != chunks_.size()) {
    return Corrupt(absl::StrFormat("the metadata has checksums of %d chunks, the file %d",
                                   chunk_crcs_.size(), chunks_.size()));
  }
  std::optional<SourceKind> source_kind = SourceKindNamed(kind);
  if (!source_kind) return Corrupt(absl::StrFormat("unknown source kind '%s'", kind));
  origin.kind = *source_kind;
  k.origin = std::move(origin);
  return absl::OkStatus();
}

absl::Status SnapshotReader::Assemble(ByteView stream) {
  KernelBtf& k = *kernel_;
  uint64_t total = vmlinux_size_;
  for (uint64_t size : module_sizes_) {
    if (size == 0 || size > stream.size()) return Corrupt("a module's BTF has no bytes");
    total += size;
  }
  if (vmlinux_size_ == 0 || total != stream.size()) {
    return Corrupt(absl::StrFormat("the BTF chunks hold %d bytes, the kernel's BTF %d",
                                   stream.size(), total));
  }
  KC_ASSIGN_OR_RETURN(k.vmlinux, Btf::Parse(stream.first(vmlinux_size_), path_ + ": vmlinux"));
  std::vector<uint64_t> offsets;
  uint64_t offset = vmlinux_size_;
  for (uint64_t size : module_sizes_) {
    offsets.push_back(offset);
    offset += size;
  }
  std::vector<absl::Status> errors(k.modules.size());
  ParallelFor(k.modules.size(), EffectiveJobs(options_.jobs), [&](size_t i) {
    ModuleBtf& m = k.modules[i];
    absl::StatusOr<std::unique_ptr<Btf>> btf =
        Btf::Parse(stream.subspan(offsets[i], module_sizes_[i]),
                   path_ + ": module " + m.name, k.vmlinux.get());
    if (btf.ok()) {
      m.btf = std::move(*btf);
    } else {
      errors[i] = btf.status();
    }
  });
  for (const absl::Status& error : errors) KC_RETURN_IF_ERROR(error);
  return absl::OkStatus();
}

// Version 2 records the CRC-32 of every chunk's stored bytes; `chunk` is
// the chunk's place in the stream.
absl::Status SnapshotReader::CheckChunkCrc(size_t chunk) const {
  if (chunk >= chunk_crcs_.size()) return absl::OkStatus();  // version 1
  const size_t index = chunks_[chunk];
  const SectionEntry& e = sections_[index];
  if (crc32(0, bytes_.data() + e.offset, e.stored_size) != chunk_crcs_[chunk]) {
    return Corrupt(absl::StrFormat("section %d (bytes %d..%d): checksum mismatch", index,
                                   e.offset, e.offset + e.stored_size));
  }
  return absl::OkStatus();
}

// The BTF stream where it lies in the file, when every chunk is stored and
// they follow one another: libbpf copies what it parses, so nothing needs
// copying or decompressing first.
std::optional<ByteView> SnapshotReader::StoredStream(uint64_t stream_size) const {
  if (chunks_.empty()) return std::nullopt;
  uint64_t next = sections_[chunks_.front()].offset;
  for (size_t i : chunks_) {
    const SectionEntry& e = sections_[i];
    if (e.codec != kStored || e.offset != next) return std::nullopt;
    next += e.stored_size;
  }
  return bytes_.subspan(sections_[chunks_.front()].offset, stream_size);
}

// The checksums are checked while libbpf parses the BTF, on another core:
// a damaged snapshot is refused for its checksum either way, whatever the
// parse made of it.
absl::Status SnapshotReader::AssembleInPlace(ByteView stream) {
  absl::Status checked, parsed;
  ParallelFor(2, EffectiveJobs(options_.jobs), [&](size_t task) {
    if (task == 1) {
      parsed = Assemble(stream);
      return;
    }
    for (size_t c = 0; c < chunks_.size() && checked.ok(); ++c) checked = CheckChunkCrc(c);
  });
  KC_RETURN_IF_ERROR(checked);
  return parsed;
}

absl::Status SnapshotReader::AssembleDecompressed(uint64_t stream_size) {
  // One buffer for the whole stream, left uninitialised: only what the
  // chunks hold is ever written or touched.
  std::unique_ptr<uint8_t[]> stream(new uint8_t[std::max<uint64_t>(stream_size, 1)]);
  std::vector<uint64_t> starts;
  for (uint64_t at = 0; size_t i : chunks_) {
    starts.push_back(at);
    at += sections_[i].raw_size;
  }
  std::vector<absl::Status> errors(chunks_.size());
  ParallelFor(chunks_.size(), EffectiveJobs(options_.jobs), [&](size_t c) {
    errors[c] = CheckChunkCrc(c);
    if (!errors[c].ok()) return;
    absl::StatusOr<Bytes> done = Decompress(chunks_[c], stream.get() + starts[c]);
    if (!done.ok()) errors[c] = done.status();
  });
  for (const absl::Status& error : errors) KC_RETURN_IF_ERROR(error);
  return Assemble(ByteView(stream.get(), stream_size));
}

absl::StatusOr<std::unique_ptr<KernelBtf>> SnapshotReader::Read() {
  KC_RETURN_IF_ERROR(ReadHeader());
  KC_RETURN_IF_ERROR(ReadTable());
  KC_ASSIGN_OR_RETURN(Bytes metadata, Decompress(metadata_, nullptr));
  KC_RETURN_IF_ERROR(ReadMetadata(metadata));
  metadata = Bytes();

  uint64_t stream_size = 0;
  for (size_t i : chunks_) stream_size += sections_[i].raw_size;
  if (std::optional<ByteView> in_place = StoredStream(stream_size)) {
    KC_RETURN_IF_ERROR(AssembleInPlace(*in_place));
  } else {
    KC_RETURN_IF_ERROR(AssembleDecompressed(stream_size));
  }
  kernel_->kind = SourceKind::kSnapshot;
  kernel_->source = path_;
  return std::move(kernel_);
}

}  // namespace

absl::StatusOr<std::unique_ptr<KernelBtf>> DecodeSnapshot(ByteView bytes, std::string_view path,
                                                          const SnapshotReadOptions& options) {
  if (!IsSnapshot(bytes)) {
    return absl::InvalidArgumentError(
        absl::StrFormat("%s: not a kcontract snapshot (no snapshot magic)", path));
  }
  return SnapshotReader(bytes, path, options).Read();
}

}  // namespace kcontract
