// Kernel snapshots (btfdiff/snapshot/), as `--kernel FILE` reads one. The
// first byte's low bit chooses: clear, the rest is a snapshot file; set, the
// rest is a snapshot's contents laid out plainly (u32 metadata size, the
// metadata, then the BTF stream), which the target packs into a snapshot
// (header, section table, sections, checksums) before reading it, so that
// mutations reach the metadata and the BTF past the checksums and the
// compression; the next bit packs the BTF chunks stored rather than zstd
// (format version 2, whose metadata the target ends with their CRC-32s). A kernel that reads goes through every consumer, as
// in fuzz_btf, and a snapshot written of it (stored or zstd, as that bit
// says) must read back and, written again, give the same bytes.
#include <zlib.h>
#include <zstd.h>

#include <cstring>

#include "btfdiff/snapshot/snapshot.h"
#include "btfdiff/snapshot/snapshot_format.h"
#include "btfdiff/source/kernel_source.h"
#include "tests/fuzz/fuzz_support.h"

namespace kcontract::fuzz {
namespace {

namespace sf = snapshot_format;

// The path the fuzzed snapshot is read as: snapshots name their source by
// it in paths and warnings.
constexpr std::string_view kPath = "fuzz.kcsnap";

// Small chunks, so that inputs of fuzzing size still have several.
constexpr size_t kChunk = 16 * 1024;

template <typename T>
void Put(Bytes& out, size_t at, T value) {
  std::memcpy(out.data() + at, &value, sizeof(T));
}

Bytes Compress(ByteView raw) {
  Bytes out(ZSTD_compressBound(raw.size()));
  const size_t n = ZSTD_compress(out.data(), out.size(), raw.data(), raw.size(), 1);
  if (ZSTD_isError(n)) Broken("zstd cannot compress");
  out.resize(n);
  return out;
}

// A snapshot file of the plain layout `plain`; nullopt when it is too short
// to say its metadata's size.
std::optional<Bytes> Pack(ByteView plain, bool store_btf) {
  std::optional<uint32_t> metadata_size = ReadLe<uint32_t>(plain, 0);
  if (!metadata_size) return std::nullopt;
  ByteView rest = plain.subspan(4);
  const size_t split = std::min<size_t>(*metadata_size, rest.size());
  std::vector<std::pair<sf::SectionType, ByteView>> raw = {{sf::kMetadata, rest.first(split)}};
  for (size_t at = split; at < rest.size(); at += kChunk) {
    raw.emplace_back(sf::kBtfChunk, rest.subspan(at, std::min(kChunk, rest.size() - at)));
  }
  // Stored chunks: the metadata ends with their CRC-32s (format version 2),
  // appended here as the writer would.
  Bytes metadata;
  if (store_btf) {
    metadata.assign(raw[0].second.begin(), raw[0].second.end());
    const uint32_t chunks = static_cast<uint32_t>(raw.size() - 1);
    metadata.resize(metadata.size() + 4 + 4 * size_t{chunks});
    std::memcpy(metadata.data() + split, &chunks, 4);
    for (uint32_t c = 0; c < chunks; ++c) {
      const uint32_t crc = crc32(0, raw[1 + c].second.data(), raw[1 + c].second.size());
      std::memcpy(metadata.data() + split + 4 + 4 * size_t{c}, &crc, 4);
    }
    raw[0].second = metadata;
  }
  const size_t table = raw.size() * sf::kSectionEntrySize;
  Bytes out(sf::kHeaderSize + table);
  std::memcpy(out.data(), sf::kMagic.data(), sf::kMagic.size());
  Put<uint32_t>(out, 8, store_btf ? sf::kStoredSinceVersion : 1);
  Put<uint32_t>(out, 12, static_cast<uint32_t>(raw.size()));
  for (size_t i = 0; i < raw.size(); ++i) {
    const bool store = store_btf && raw[i].first == sf::kBtfChunk;
    const Bytes stored = store ? Bytes(raw[i].second.begin(), raw[i].second.end())
                               : Compress(raw[i].second);
    const size_t entry = sf::kHeaderSize + i * sf::kSectionEntrySize;
    Put<uint16_t>(out, entry, raw[i].first);
    Put<uint16_t>(out, entry + 2, store ? sf::kStored : sf::kZstd);
    Put<uint32_t>(out, entry + 4, 0);
    Put<uint64_t>(out, entry + 8, out.size());
    Put<uint64_t>(out, entry + 16, stored.size());
    Put<uint64_t>(out, entry + 24, raw[i].second.size());
    out.insert(out.end(), stored.begin(), stored.end());
  }
  Put<uint64_t>(out, 16, out.size());
  Put<uint32_t>(out, 24, crc32(0, out.data() + sf::kHeaderSize, table));
  Put<uint32_t>(out, 28, crc32(0, out.data(), 28));
  return out;
}

Bytes Encode(const KernelBtf& kernel, SnapshotCompression compression) {
  SnapshotWriteOptions options;
  options.jobs = 1;
  options.level = 1;
  options.compression = compression;
  return EncodeSnapshot(ContentsOf(kernel, *kernel.origin), options);
}

// A kernel read from a snapshot, written as a snapshot again (what `kernel
// snapshot --kernel SNAPSHOT` does), must read back; that second snapshot,
// read and written again, must be the same bytes.
void CheckRewrite(const KernelBtf& kernel, const KernelLoadOptions& options,
                  SnapshotCompression compression) {
  if (!kernel.origin) Broken("a kernel read from a snapshot has no origin");
  const Bytes first = Encode(kernel, compression);
  absl::StatusOr<std::unique_ptr<KernelBtf>> again = LoadKernelFromBytes(first, kPath, options);
  if (!again.ok()) Broken("a snapshot kcontract wrote does not read back: " +
                          again.status().ToString());
  // A source name holding the path it is read as is renamed once more.
  if (kernel.origin->name.find(kPath) != std::string::npos) return;
  if (Encode(**again, compression) != first) Broken("a snapshot written twice gives other bytes");
}

}  // namespace
}  // namespace kcontract::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace kcontract;
  fuzz::GetFixtures();
  if (size < 1) return 0;
  ByteView input(data + 1, size - 1);
  const bool store_btf = (data[0] & 2) != 0;
  std::optional<Bytes> packed;
  if (data[0] & 1) {
    packed = fuzz::Pack(input, store_btf);
    if (!packed) return 0;
    input = *packed;
  }
  KernelLoadOptions options;
  options.jobs = 1;
  absl::StatusOr<std::unique_ptr<KernelBtf>> kernel =
      LoadKernelFromBytes(input, fuzz::kPath, options);
  if (!kernel.ok()) return 0;
  fuzz::ExerciseKernel(**kernel);
  fuzz::CheckRewrite(**kernel, options,
                     store_btf ? SnapshotCompression::kNone : SnapshotCompression::kZstd);
  return 0;
}
