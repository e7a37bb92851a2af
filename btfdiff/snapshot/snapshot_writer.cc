// Writing a snapshot: the metadata and the BTF stream's chunks are
// compressed independently (in parallel), or the chunks stored as they are,
// then laid out as snapshot_format.h says.
#include <zlib.h>
#include <zstd.h>

#include <algorithm>
#include <memory>
#include <utility>

#include "btfdiff/base/parallel.h"
#include "btfdiff/snapshot/snapshot.h"
#include "btfdiff/snapshot/snapshot_format.h"

namespace kcontract {
namespace {

using namespace snapshot_format;

// `path` as the snapshot records it: relative to the source it was read
// from, whose own path becomes its file name.
std::string RelativeToSource(std::string_view path, std::string_view source,
                             std::string_view name) {
  while (source.size() > 1 && source.back() == '/') source.remove_suffix(1);
  if (path == source) return std::string(name);
  if (path.size() > source.size() && path.starts_with(source) &&
      (path[source.size()] == '/' || path[source.size()] == ':')) {
    return std::string(path.substr(source.size() + 1));
  }
  return std::string(path);
}

std::string NameSource(std::string text, std::string_view source, std::string_view name) {
  if (source.empty() || source == name) return text;
  std::string out;
  for (size_t at = 0;;) {
    size_t found = text.find(source, at);
    if (found == std::string::npos) return out + text.substr(at);
    out += text.substr(at, found - at);
    out += name;
    at = found + source.size();
  }
}

void WriteBtfIds(FieldWriter& w, const BtfIdsSection* ids) {
  w.U8(ids != nullptr);
  if (ids == nullptr) return;
  w.Blob(ids->data);
  w.U64(ids->address);
  w.U32(ids->index);
  w.U32(static_cast<uint32_t>(ids->symbols.size()));
  for (const ElfSymbol& s : ids->symbols) {
    w.String(s.name);
    w.U64(s.value);
    w.U64(s.size);
    w.U32(s.section_index);
    w.U8(s.binding);
    w.U8(s.type);
    w.U8(s.visibility);
  }
}

// `chunk_crcs`: the version 2 trailer, absent (nullptr) in version 1.
Bytes EncodeMetadata(const SnapshotContents& c, const std::vector<uint32_t>* chunk_crcs) {
  FieldWriter w;
  w.String(SourceKindName(c.origin.kind));
  w.String(c.origin.name);
  w.String(c.origin.sha256);
  w.String(c.release);
  w.U8(c.config != nullptr);
  if (c.config != nullptr) {
    // A hash map has no stable order; the bytes must.
    std::vector<std::pair<std::string_view, std::string_view>> options(c.config->begin(),
                                                                       c.config->end());
    std::sort(options.begin(), options.end());
    w.U32(static_cast<uint32_t>(options.size()));
    for (const auto& [key, value] : options) {
      w.String(key);
      w.String(value);
    }
  }
  w.U32(static_cast<uint32_t>(c.warnings.size()));
  for (const std::string& warning : c.warnings) w.String(warning);
  w.U8(c.module_search.has_value());
  if (c.module_search) {
    w.U32(static_cast<uint32_t>(c.module_search->names.size()));
    for (const std::string& name : c.module_search->names) w.String(name);
  }
  w.U64(c.vmlinux_btf.size());
  WriteBtfIds(w, c.vmlinux_btf_ids);
  w.U32(static_cast<uint32_t>(c.modules.size()));
  for (const SnapshotModule& m : c.modules) {
    w.String(m.name);
    w.String(m.path);
    w.String(m.vermagic);
    w.U64(m.btf.size());
    WriteBtfIds(w, m.btf_ids);
  }
  if (chunk_crcs != nullptr) {
    w.U32(static_cast<uint32_t>(chunk_crcs->size()));
    for (uint32_t crc : *chunk_crcs) w.U32(crc);
  }
  return std::move(w.bytes());
}

// The BTF blobs, one after the other, read in chunks.
class BtfStream {
 public:
  explicit BtfStream(const SnapshotContents& c) {
    Add(c.vmlinux_btf);
    for (const SnapshotModule& m : c.modules) Add(m.btf);
  }
  uint64_t size() const { return size_; }

  // Bytes [offset, offset + n) of the stream.
  Bytes Read(uint64_t offset, uint64_t n) const {
    Bytes out;
    out.reserve(n);
    auto it = std::upper_bound(starts_.begin(), starts_.end(), offset) - 1;
    for (size_t i = it - starts_.begin(); out.size() < n && i < blobs_.size(); ++i) {
      uint64_t from = offset + out.size() - starts_[i];
      uint64_t take = std::min<uint64_t>(blobs_[i].size() - from, n - out.size());
      out.insert(out.end(), blobs_[i].begin() + from, blobs_[i].begin() + from + take);
    }
    return out;
  }

 private:
  void Add(ByteView blob) {
    if (blob.empty()) return;
    starts_.push_back(size_);
    blobs_.push_back(blob);
    size_ += blob.size();
  }
  std::vector<uint64_t> starts_;
  std::vector<ByteView> blobs_;
  uint64_t size_ = 0;
};

struct ZstdCCtxDeleter {
  void operator()(ZSTD_CCtx* c) const { ZSTD_freeCCtx(c); }
};

// One zstd frame with its content size and checksum. Single-threaded
// zstd: its output depends only on the input and the level.
Bytes Compress(ByteView raw, int level) {
  std::unique_ptr<ZSTD_CCtx, ZstdCCtxDeleter> cctx(ZSTD_createCCtx());
  ZSTD_CCtx_setParameter(cctx.get(), ZSTD_c_compressionLevel, level);
  ZSTD_CCtx_setParameter(cctx.get(), ZSTD_c_checksumFlag, 1);
  ZSTD_CCtx_setParameter(cctx.get(), ZSTD_c_contentSizeFlag, 1);
  Bytes out(ZSTD_compressBound(raw.size()));
  size_t n = ZSTD_compress2(cctx.get(), out.data(), out.size(), raw.data(), raw.size());
  // Compressing into a buffer of ZSTD_compressBound bytes cannot fail but
  // for lack of memory, which the allocation above would have met first.
  if (ZSTD_isError(n)) std::abort();
  out.resize(n);
  return out;
}

struct Section {
  SectionType type;
  Codec codec;
  uint64_t raw_size;
  Bytes stored;
};

template <typename T>
void Put(Bytes& out, size_t at, T value) {
  std::memcpy(out.data() + at, &value, sizeof(T));
}

}  // namespace

bool IsSnapshot(ByteView bytes) { return StartsWith(bytes, kMagic); }

uint32_t SnapshotFormatVersionOf(ByteView snapshot) {
  return ReadLe<uint32_t>(snapshot, kMagic.size()).value_or(0);
}

SnapshotContents ContentsOf(const KernelBtf& kernel, const KernelOrigin& origin) {
  SnapshotContents c;
  c.origin = origin;
  c.release = kernel.release;
  c.config = kernel.config ? &*kernel.config : nullptr;
  for (const std::string& warning : kernel.warnings) {
    c.warnings.push_back(NameSource(warning, kernel.source, origin.name));
  }
  if (kernel.vmlinux) c.vmlinux_btf = kernel.vmlinux->RawData();
  c.vmlinux_btf_ids = kernel.vmlinux_btf_ids ? &*kernel.vmlinux_btf_ids : nullptr;
  for (const ModuleBtf& m : kernel.modules) {
    c.modules.push_back(SnapshotModule{m.name, RelativeToSource(m.path, kernel.source, origin.name),
                                       m.vermagic, m.btf->RawData(),
                                       m.btf_ids ? &*m.btf_ids : nullptr});
  }
  c.module_search = kernel.module_search;
  return c;
}

Bytes EncodeSnapshot(const SnapshotContents& contents, const SnapshotWriteOptions& options) {
  const BtfStream stream(contents);
  const uint64_t chunks = (stream.size() + kBtfChunkSize - 1) / kBtfChunkSize;
  std::vector<Section> sections(1 + chunks);
  const bool store_btf = options.compression == SnapshotCompression::kNone;
  std::vector<uint32_t> chunk_crcs(chunks);
  ParallelFor(chunks, EffectiveJobs(options.jobs), [&](size_t c) {
    Section& section = sections[1 + c];
    const uint64_t offset = c * kBtfChunkSize;
    Bytes raw = stream.Read(offset, std::min(kBtfChunkSize, stream.size() - offset));
    section.type = kBtfChunk;
    section.raw_size = raw.size();
    section.codec = store_btf ? kStored : kZstd;
    section.stored = store_btf ? std::move(raw) : Compress(raw, options.level);
    if (store_btf) chunk_crcs[c] = crc32(0, section.stored.data(), section.stored.size());
  });
  // Version 2 when a chunk is stored; its metadata ends with the chunks'
  // CRC-32s.
  const bool any_stored = store_btf && chunks > 0;
  // The metadata is compressed either way: it is small once compressed,
  // and read once.
  Bytes metadata = EncodeMetadata(contents, any_stored ? &chunk_crcs : nullptr);
  sections[0] = Section{kMetadata, kZstd, metadata.size(), Compress(metadata, options.level)};

  const uint64_t table_size = sections.size() * kSectionEntrySize;
  uint64_t file_size = kHeaderSize + table_size;
  for (const Section& s : sections) file_size += s.stored.size();
  Bytes out(kHeaderSize + table_size);
  std::memcpy(out.data(), kMagic.data(), kMagic.size());
  Put<uint32_t>(out, 8, any_stored ? kStoredSinceVersion : 1);
  Put<uint32_t>(out, 12, static_cast<uint32_t>(sections.size()));
  Put<uint64_t>(out, 16, file_size);
  uint64_t offset = kHeaderSize + table_size;
  for (size_t i = 0; i < sections.size(); ++i) {
    const size_t entry = kHeaderSize + i * kSectionEntrySize;
    Put<uint16_t>(out, entry, sections[i].type);
    Put<uint16_t>(out, entry + 2, sections[i].codec);
    Put<uint32_t>(out, entry + 4, 0);
    Put<uint64_t>(out, entry + 8, offset);
    Put<uint64_t>(out, entry + 16, sections[i].stored.size());
    Put<uint64_t>(out, entry + 24, sections[i].raw_size);
    offset += sections[i].stored.size();
  }
  Put<uint32_t>(out, 24, crc32(0, out.data() + kHeaderSize, table_size));
  Put<uint32_t>(out, 28, crc32(0, out.data(), 28));
  out.reserve(file_size);
  for (const Section& s : sections) out.insert(out.end(), s.stored.begin(), s.stored.end());
  return out;
}

}  // namespace kcontract
