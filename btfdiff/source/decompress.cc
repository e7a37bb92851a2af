#include "btfdiff/source/decompress.h"

#include <lzma.h>
#include <zlib.h>
#include <zstd.h>

#include <algorithm>
#include <cstddef>
#include <memory>
#include <span>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_format.h"

namespace kcontract {
namespace {

using std::string_view_literals::operator""sv;

constexpr uint64_t kMiB = 1ull << 20;

// First allocation; later ones double. Small inputs (modules, test data)
// stay small, a 60 MB vmlinux needs a handful of reallocations.
constexpr size_t kInitialOutputChunk = 256 * 1024;

// liblzma allocates the dictionary the header asks for; 4 GiB is legal in
// .lzma headers. Real kernels use at most 64 MiB (xz -9).
constexpr uint64_t kLzmaMemoryLimit = 512 * kMiB;

// zlib counts in 32-bit uInt; feed and drain it in pieces below that.
constexpr size_t kZlibMaxChunk = 1u << 30;

// Output that grows on demand and never exceeds max_output + 1 bytes: the
// one extra byte is how an over-long stream is noticed without letting the
// decoder run on.
class OutputBuffer {
 public:
  explicit OutputBuffer(uint64_t max_output) : max_output_(max_output) {}

  // Room for the decoder to write into; never empty while !Exceeded().
  std::span<uint8_t> Space() {
    if (produced_ == data_.size()) Grow();
    return std::span<uint8_t>(data_).subspan(produced_);
  }
  void Commit(size_t n) { produced_ += n; }
  bool Exceeded() const { return produced_ > max_output_; }

  Bytes Finish() && {
    data_.resize(produced_);
    data_.shrink_to_fit();
    return std::move(data_);
  }

 private:
  void Grow() {
    const uint64_t ceiling =
        max_output_ == UINT64_MAX ? max_output_ : max_output_ + 1;
    uint64_t target = std::max<uint64_t>(kInitialOutputChunk, data_.size() * 2);
    target = std::min(target, ceiling);
    // The last step goes straight to the ceiling: growing by one byte later
    // would copy the whole buffer again and double the peak.
    if (target >= max_output_) target = ceiling;
    data_.reserve(target);  // exactly: resize() alone may double capacity
    data_.resize(target);
  }

  uint64_t max_output_;
  Bytes data_;
  size_t produced_ = 0;
};

absl::Status TooBig(std::string_view what, uint64_t max_output) {
  // Round up so that a limit below 1 MiB does not print as "0 MiB".
  return absl::ResourceExhaustedError(absl::StrFormat(
      "%s: decompressed data exceeds the limit of %d MiB (a decompression "
      "bomb?)",
      what, max_output / kMiB + (max_output % kMiB != 0 ? 1 : 0)));
}

absl::Status Truncated(std::string_view what) {
  return absl::DataLossError(
      absl::StrFormat("%s: compressed stream is truncated", what));
}

absl::Status Corrupt(std::string_view what, Compression kind,
                     std::string_view reason) {
  return absl::DataLossError(absl::StrFormat("%s: corrupt %s stream: %s", what,
                                             CompressionName(kind), reason));
}

// Concatenated streams are legal in gzip, xz and zstd, and their tools
// decode them all. A following stream is only entered when it is long
// enough to be one, so the kernel's 4-byte size trailer (or other short
// garbage) can never be mistaken for the start of a stream.
bool StartsNextStream(ByteView rest, std::string_view magic,
                      size_t min_stream_size) {
  return rest.size() >= min_stream_size && StartsWith(rest, magic);
}

// ---- gzip ---------------------------------------------------------------

constexpr std::string_view kGzipMagic = "\x1f\x8b\x08"sv;
constexpr size_t kGzipMinMember = 18;  // 10-byte header + 8-byte trailer

struct ZlibStreamDeleter {
  void operator()(z_stream* z) const {
    inflateEnd(z);
    delete z;
  }
};

absl::StatusOr<Bytes> Gunzip(ByteView input, std::string_view what,
                             uint64_t max_output) {
  std::unique_ptr<z_stream, ZlibStreamDeleter> z(new z_stream{});
  // 16 + MAX_WBITS: gzip wrapper only, so zlib/raw deflate are rejected.
  if (inflateInit2(z.get(), 16 + MAX_WBITS) != Z_OK) {
    return absl::InternalError(absl::StrFormat("%s: cannot set up zlib", what));
  }
  OutputBuffer out(max_output);
  size_t fed = 0;  // bytes of `input` handed to zlib so far
  while (true) {
    if (z->avail_in == 0 && fed < input.size()) {
      const size_t n = std::min(input.size() - fed, kZlibMaxChunk);
      z->next_in = const_cast<Bytef*>(input.data() + fed);
      z->avail_in = static_cast<uInt>(n);
      fed += n;
    }
    std::span<uint8_t> space = out.Space();
    const size_t offered = std::min(space.size(), kZlibMaxChunk);
    z->next_out = space.data();
    z->avail_out = static_cast<uInt>(offered);
    const int rc = inflate(z.get(), Z_NO_FLUSH);
    out.Commit(offered - z->avail_out);
    if (out.Exceeded()) return TooBig(what, max_output);
    if (rc == Z_STREAM_END) {
      const size_t consumed = fed - z->avail_in;
      ByteView rest = input.subspan(consumed);
      if (!StartsNextStream(rest, kGzipMagic, kGzipMinMember)) break;
      inflateReset(z.get());
      continue;
    }
    if (rc == Z_OK) continue;
    if (rc == Z_BUF_ERROR && z->avail_in == 0 && fed == input.size()) {
      return Truncated(what);
    }
    if (rc == Z_MEM_ERROR) {
      return absl::ResourceExhaustedError(
          absl::StrFormat("%s: out of memory while inflating", what));
    }
    return Corrupt(
        what, Compression::kGzip,
        z->msg != nullptr ? z->msg : absl::StrFormat("zlib error %d", rc));
  }
  return std::move(out).Finish();
}

// ---- xz and legacy .lzma ----------------------------------------------

// \xfd "7zXZ" \0
constexpr std::string_view kXzMagic = "\xfd\x37\x7a\x58\x5a\x00"sv;
constexpr size_t kXzMinStream = 32;  // header + index + footer

std::string LzmaReason(lzma_ret rc, Compression kind) {
  switch (rc) {
    case LZMA_FORMAT_ERROR:
      return kind == Compression::kXz ? "not in xz format"
                                      : "not in .lzma format";
    case LZMA_OPTIONS_ERROR:
      return "unsupported compression options";
    case LZMA_DATA_ERROR:
      return "compressed data is corrupt";
    case LZMA_UNSUPPORTED_CHECK:
      return "unsupported integrity check";
    default:
      return absl::StrFormat("liblzma error %d", static_cast<int>(rc));
  }
}

struct LzmaStreamDeleter {
  void operator()(lzma_stream* s) const {
    lzma_end(s);
    delete s;
  }
};

lzma_ret StartLzmaDecoder(lzma_stream* s, Compression kind) {
  if (kind == Compression::kLzma) {
    return lzma_alone_decoder(s, kLzmaMemoryLimit);
  }
  // No LZMA_CONCATENATED: it would reject the bytes after the stream.
  return lzma_stream_decoder(s, kLzmaMemoryLimit, 0);
}

// Between concatenated xz streams there may be Stream Padding: zero bytes
// in multiples of four.
ByteView SkipXzPadding(ByteView rest) {
  while (rest.size() >= 4 && rest[0] == 0 && rest[1] == 0 && rest[2] == 0 &&
         rest[3] == 0) {
    rest = rest.subspan(4);
  }
  return rest;
}

absl::StatusOr<Bytes> Unxz(ByteView input, Compression kind,
                           std::string_view what, uint64_t max_output) {
  std::unique_ptr<lzma_stream, LzmaStreamDeleter> s(
      new lzma_stream(LZMA_STREAM_INIT));
  if (StartLzmaDecoder(s.get(), kind) != LZMA_OK) {
    return absl::InternalError(
        absl::StrFormat("%s: cannot set up liblzma", what));
  }
  s->next_in = input.data();
  s->avail_in = input.size();
  OutputBuffer out(max_output);
  while (true) {
    std::span<uint8_t> space = out.Space();
    s->next_out = space.data();
    s->avail_out = space.size();
    // LZMA_FINISH: all input is present, so running dry means truncation.
    const lzma_ret rc = lzma_code(s.get(), LZMA_FINISH);
    out.Commit(space.size() - s->avail_out);
    if (out.Exceeded()) return TooBig(what, max_output);
    if (rc == LZMA_OK) continue;
    if (rc == LZMA_STREAM_END) {
      if (kind == Compression::kLzma) break;  // .lzma has no concatenation
      ByteView rest = SkipXzPadding(input.subspan(input.size() - s->avail_in));
      if (!StartsNextStream(rest, kXzMagic, kXzMinStream)) break;
      if (StartLzmaDecoder(s.get(), kind) != LZMA_OK) {
        return absl::InternalError(
            absl::StrFormat("%s: cannot set up liblzma", what));
      }
      s->next_in = rest.data();
      s->avail_in = rest.size();
      continue;
    }
    if (rc == LZMA_BUF_ERROR) return Truncated(what);
    if (rc == LZMA_MEM_ERROR) {
      return absl::ResourceExhaustedError(
          absl::StrFormat("%s: out of memory while decompressing", what));
    }
    if (rc == LZMA_MEMLIMIT_ERROR) {
      return absl::ResourceExhaustedError(absl::StrFormat(
          "%s: %s stream needs %d MiB of decoder memory, more than the limit "
          "of %d MiB",
          what, CompressionName(kind), lzma_memusage(s.get()) / kMiB,
          kLzmaMemoryLimit / kMiB));
    }
    return Corrupt(what, kind, LzmaReason(rc, kind));
  }
  return std::move(out).Finish();
}

// ---- zstd ---------------------------------------------------------------

constexpr std::string_view kZstdMagic = "\x28\xb5\x2f\xfd"sv;
// Magic, frame header descriptor, window descriptor, one block header.
constexpr size_t kZstdMinFrame = 9;

// Skippable frames (magic 0x184D2A5?) may sit between data frames.
bool IsZstdSkippableFrame(ByteView rest) {
  const auto magic = ReadLe<uint32_t>(rest, 0);
  return magic.has_value() && (*magic & 0xfffffff0u) == 0x184d2a50u &&
         rest.size() >= 8;
}

struct ZstdDctxDeleter {
  void operator()(ZSTD_DCtx* d) const { ZSTD_freeDCtx(d); }
};

absl::StatusOr<Bytes> Unzstd(ByteView input, std::string_view what,
                             uint64_t max_output) {
  std::unique_ptr<ZSTD_DCtx, ZstdDctxDeleter> dctx(ZSTD_createDCtx());
  if (dctx == nullptr) {
    return absl::InternalError(absl::StrFormat("%s: cannot set up zstd", what));
  }
  ZSTD_inBuffer in{input.data(), input.size(), 0};
  OutputBuffer out(max_output);
  while (true) {
    std::span<uint8_t> space = out.Space();
    ZSTD_outBuffer dst{space.data(), space.size(), 0};
    // Streaming, so the frame's declared content size (if any) is never
    // trusted for allocation and an absent one is fine.
    const size_t rc = ZSTD_decompressStream(dctx.get(), &dst, &in);
    out.Commit(dst.pos);
    if (ZSTD_isError(rc)) {
      return Corrupt(what, Compression::kZstd, ZSTD_getErrorName(rc));
    }
    if (out.Exceeded()) return TooBig(what, max_output);
    if (rc == 0) {  // a frame is complete and fully flushed
      ByteView rest = input.subspan(in.pos);
      if (!StartsNextStream(rest, kZstdMagic, kZstdMinFrame) &&
          !IsZstdSkippableFrame(rest)) {
        break;
      }
      continue;
    }
    // Output room left over with all input consumed: the decoder is
    // waiting for bytes that do not exist.
    if (in.pos == in.size && dst.pos < dst.size) return Truncated(what);
  }
  return std::move(out).Finish();
}

absl::StatusOr<Bytes> CopyUncompressed(ByteView input, std::string_view what,
                                       uint64_t max_output) {
  if (input.size() > max_output) return TooBig(what, max_output);
  return Bytes(input.begin(), input.end());
}

absl::Status Unsupported(std::string_view what, Compression kind) {
  return absl::UnimplementedError(absl::StrFormat(
      "%s: %s payloads are not supported; decompress the file with the %s "
      "tool first",
      what, CompressionName(kind), CompressionName(kind)));
}

}  // namespace

std::string_view CompressionName(Compression c) {
  switch (c) {
    case Compression::kNone:
      return "uncompressed";
    case Compression::kGzip:
      return "gzip";
    case Compression::kXz:
      return "xz";
    case Compression::kZstd:
      return "zstd";
    case Compression::kLzma:
      return "lzma";
    case Compression::kBzip2:
      return "bzip2";
    case Compression::kLz4:
      return "lz4";
    case Compression::kLzo:
      return "lzo";
  }
  return "unknown";
}

Compression DetectCompression(ByteView bytes) {
  if (StartsWith(bytes, "\x1f\x8b")) return Compression::kGzip;
  if (StartsWith(bytes, kXzMagic)) return Compression::kXz;
  if (StartsWith(bytes, kZstdMagic)) return Compression::kZstd;
  // bzip2: "BZh" and the block size digit.
  if (StartsWith(bytes, "BZh") && bytes.size() > 3 && bytes[3] >= '1' &&
      bytes[3] <= '9') {
    return Compression::kBzip2;
  }
  // lz4: the legacy frame the kernel uses, and the modern frame format.
  if (StartsWith(bytes, "\x02\x21\x4c\x18") ||
      StartsWith(bytes, "\x04\x22\x4d\x18")) {
    return Compression::kLz4;
  }
  if (StartsWith(bytes, "\x89LZO\0\r\n\x1a\n"sv)) return Compression::kLzo;
  // .lzma has no magic; the kernel, like file(1), keys on the properties
  // byte every lzma(1) preset writes (lc=3 lp=0 pb=2) and a 13-byte header.
  if (bytes.size() >= 13 && bytes[0] == 0x5d && bytes[1] == 0x00) {
    return Compression::kLzma;
  }
  return Compression::kNone;
}

absl::StatusOr<Bytes> Decompress(ByteView input, Compression kind,
                                 std::string_view what, uint64_t max_output) {
  switch (kind) {
    case Compression::kNone:
      return CopyUncompressed(input, what, max_output);
    case Compression::kGzip:
      return Gunzip(input, what, max_output);
    case Compression::kXz:
    case Compression::kLzma:
      return Unxz(input, kind, what, max_output);
    case Compression::kZstd:
      return Unzstd(input, what, max_output);
    case Compression::kBzip2:
    case Compression::kLz4:
    case Compression::kLzo:
      return Unsupported(what, kind);
  }
  return absl::InvalidArgumentError(
      absl::StrFormat("%s: unknown compression kind", what));
}

}  // namespace kcontract
