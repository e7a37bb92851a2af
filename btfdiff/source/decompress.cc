#include "btfdiff/source/decompress.h"

#include <lzma.h>
#include <sys/mman.h>
#include <zlib.h>
#include <zstd.h>

#include <algorithm>
#include <cstddef>
#include <cstring>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_format.h"
#include "btfdiff/base/status_macros.h"

namespace kcontract {
namespace {

using std::string_view_literals::operator""sv;

constexpr uint64_t kMiB = 1ull << 20;

// The first chunk of output; later ones double, up to the largest. Small
// inputs (modules, test data) take one chunk, a 60 MB vmlinux a dozen.
constexpr size_t kInitialOutputChunk = 256 * 1024;
// Also the steps in which the budget shared between threads is charged.
constexpr size_t kMaxOutputChunk = 8 * kMiB;

// liblzma allocates the dictionary the header asks for; 4 GiB is legal in
// .lzma headers. Real kernels use at most 64 MiB (xz -9).
constexpr uint64_t kLzmaMemoryLimit = 512 * kMiB;
// With several threads, liblzma holds each block in flight whole (24 MiB in
// the blocks dpkg-deb writes, plus an 8 MiB dictionary); beyond this it
// falls back to decoding on one thread rather than failing.
constexpr uint64_t kLzmaThreadingMemory = 256 * kMiB;

// zlib counts in 32-bit uInt; feed and drain it in pieces below that.
constexpr size_t kZlibMaxChunk = 1u << 30;

// Output that grows on demand and never exceeds max_output + 1 bytes: the
// one extra byte is how an over-long stream is noticed without letting the
// decoder run on. It grows by chunks, neither zero-filled nor copied as they
// come, joined once at the end: its memory is what was decoded (plus one
// chunk while joining), never the 1.5 to 2 times of a doubling buffer. With
// a budget, every chunk is held against it.
class OutputBuffer {
 public:
  OutputBuffer(uint64_t max_output, DecompressBudget* budget)
      : max_output_(max_output), budget_(budget) {}
  ~OutputBuffer() {
    if (budget_ != nullptr) budget_->Release(held_);
  }

  // Room for the decoder to write into, never empty; an error when the
  // budget cannot hold another chunk or the system has none.
  absl::StatusOr<std::span<uint8_t>> Space(std::string_view what) {
    if (chunks_.empty() || last_used_ == chunks_.back().size) {
      const uint64_t ceiling = max_output_ == UINT64_MAX ? max_output_ : max_output_ + 1;
      const uint64_t size = std::min<uint64_t>(
          std::min<uint64_t>(std::max<uint64_t>(kInitialOutputChunk, allocated_), kMaxOutputChunk),
          ceiling - allocated_);
      if (budget_ != nullptr) {
        if (!budget_->Hold(size)) return budget_->HeldExceeded(what);
        held_ += size;
      }
      // Mapped, not malloc'ed: pages are touched only as the decoder writes
      // and go back to the system when the chunk is freed. From malloc they
      // would stay in the freeing thread's arena, so that the threads of a
      // package read each kept what its last file needed (100 MiB more at
      // the peak of a package of modules that expand to the held limit).
      void* data = mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
      if (data == MAP_FAILED) {
        return absl::ResourceExhaustedError(
            absl::StrFormat("%s: out of memory while decompressing", what));
      }
      chunks_.push_back(Chunk{ChunkData(static_cast<uint8_t*>(data), ChunkUnmap{size}), size});
      allocated_ += size;
      last_used_ = 0;
    }
    return std::span<uint8_t>(chunks_.back().data.get() + last_used_,
                              chunks_.back().size - last_used_);
  }
  void Commit(size_t n) {
    produced_ += n;
    last_used_ += n;
  }
  bool Exceeded() const { return produced_ > max_output_; }

  // The output in one buffer of its exact size, each chunk freed once
  // copied. With a budget, the result stays held (`held` gets how much)
  // and this buffer gives back only the rest.
  Bytes Finish(uint64_t* held = nullptr) && {
    Bytes out;
    out.reserve(produced_);
    for (size_t i = 0; i < chunks_.size(); ++i) {
      const size_t used = i + 1 == chunks_.size() ? last_used_ : chunks_[i].size;
      out.insert(out.end(), chunks_[i].data.get(), chunks_[i].data.get() + used);
      chunks_[i].data.reset();
    }
    if (held != nullptr && budget_ != nullptr) {
      budget_->Release(held_ - produced_);
      *held = produced_;
      held_ = 0;
    }
    return out;
  }

 private:
  struct ChunkUnmap {
    size_t size;
    void operator()(uint8_t* data) const { munmap(data, size); }
  };
  using ChunkData = std::unique_ptr<uint8_t, ChunkUnmap>;
  struct Chunk {
    ChunkData data;
    uint64_t size;
  };
  uint64_t max_output_;
  DecompressBudget* budget_;
  std::vector<Chunk> chunks_;
  uint64_t allocated_ = 0;  // all chunks' sizes
  uint64_t produced_ = 0;
  uint64_t last_used_ = 0;  // of the last chunk
  uint64_t held_ = 0;       // against budget_
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

// ---- uncompressed -------------------------------------------------------

class CopyStream final : public StreamDecompressor {
 public:
  CopyStream(ByteView input, std::string_view what)
      : StreamDecompressor(what), input_(input) {}

 private:
  absl::StatusOr<size_t> ReadSome(std::span<uint8_t> out) override {
    const size_t n = std::min(out.size(), input_.size() - at_);
    std::memcpy(out.data(), input_.data() + at_, n);
    at_ += n;
    return n;
  }
  ByteView input_;
  size_t at_ = 0;
};

// ---- gzip ---------------------------------------------------------------

constexpr std::string_view kGzipMagic = "\x1f\x8b\x08"sv;
constexpr size_t kGzipMinMember = 18;  // 10-byte header + 8-byte trailer

class GzipStream final : public StreamDecompressor {
 public:
  GzipStream(ByteView input, std::string_view what)
      : StreamDecompressor(what), input_(input) {}
  ~GzipStream() override {
    if (initialised_) inflateEnd(&z_);
  }

  absl::Status Init() {
    // 16 + MAX_WBITS: gzip wrapper only, so zlib/raw deflate are rejected.
    if (inflateInit2(&z_, 16 + MAX_WBITS) != Z_OK) {
      return absl::InternalError(absl::StrFormat("%s: cannot set up zlib", what()));
    }
    initialised_ = true;
    return absl::OkStatus();
  }

 private:
  absl::StatusOr<size_t> ReadSome(std::span<uint8_t> out) override {
    while (!done_) {
      if (z_.avail_in == 0 && fed_ < input_.size()) {
        const size_t n = std::min(input_.size() - fed_, kZlibMaxChunk);
        z_.next_in = const_cast<Bytef*>(input_.data() + fed_);
        z_.avail_in = static_cast<uInt>(n);
        fed_ += n;
      }
      const size_t offered = std::min(out.size(), kZlibMaxChunk);
      z_.next_out = out.data();
      z_.avail_out = static_cast<uInt>(offered);
      const int rc = inflate(&z_, Z_NO_FLUSH);
      const size_t produced = offered - z_.avail_out;
      if (rc == Z_STREAM_END) {
        const size_t consumed = fed_ - z_.avail_in;
        ByteView rest = input_.subspan(consumed);
        if (StartsNextStream(rest, kGzipMagic, kGzipMinMember)) {
          inflateReset(&z_);
        } else {
          done_ = true;
        }
      } else if (rc == Z_BUF_ERROR && z_.avail_in == 0 && fed_ == input_.size()) {
        return Truncated(what());
      } else if (rc == Z_MEM_ERROR) {
        return absl::ResourceExhaustedError(
            absl::StrFormat("%s: out of memory while inflating", what()));
      } else if (rc != Z_OK) {
        return Corrupt(what(), Compression::kGzip,
                       z_.msg != nullptr ? z_.msg : absl::StrFormat("zlib error %d", rc));
      }
      if (produced > 0) return produced;
    }
    return 0;
  }

  ByteView input_;
  z_stream z_{};
  bool initialised_ = false;
  size_t fed_ = 0;  // bytes of `input` handed to zlib so far
  bool done_ = false;
};

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

// Between concatenated xz streams there may be Stream Padding: zero bytes
// in multiples of four.
ByteView SkipXzPadding(ByteView rest) {
  while (rest.size() >= 4 && rest[0] == 0 && rest[1] == 0 && rest[2] == 0 &&
         rest[3] == 0) {
    rest = rest.subspan(4);
  }
  return rest;
}

class XzStream final : public StreamDecompressor {
 public:
  XzStream(ByteView input, Compression kind, std::string_view what, unsigned threads)
      : StreamDecompressor(what), input_(input), kind_(kind), threads_(threads) {}
  ~XzStream() override { lzma_end(&s_); }

  absl::Status Start(ByteView input) {
    lzma_ret rc;
    if (kind_ == Compression::kLzma) {
      rc = lzma_alone_decoder(&s_, kLzmaMemoryLimit);
    } else if (threads_ > 1) {
      lzma_mt mt{};
      mt.threads = threads_;
      mt.memlimit_threading = kLzmaThreadingMemory;
      mt.memlimit_stop = kLzmaMemoryLimit;
      rc = lzma_stream_decoder_mt(&s_, &mt);
    } else {
      // No LZMA_CONCATENATED: it would reject the bytes after the stream.
      rc = lzma_stream_decoder(&s_, kLzmaMemoryLimit, 0);
    }
    if (rc != LZMA_OK) {
      return absl::InternalError(absl::StrFormat("%s: cannot set up liblzma", what()));
    }
    s_.next_in = input.data();
    s_.avail_in = input.size();
    return absl::OkStatus();
  }

 private:
  absl::StatusOr<size_t> ReadSome(std::span<uint8_t> out) override {
    while (!done_) {
      s_.next_out = out.data();
      s_.avail_out = out.size();
      // LZMA_FINISH: all input is present, so running dry means truncation.
      const lzma_ret rc = lzma_code(&s_, LZMA_FINISH);
      const size_t produced = out.size() - s_.avail_out;
      if (rc == LZMA_STREAM_END) {
        ByteView rest = SkipXzPadding(input_.subspan(input_.size() - s_.avail_in));
        // .lzma has no concatenation.
        if (kind_ == Compression::kLzma || !StartsNextStream(rest, kXzMagic, kXzMinStream)) {
          done_ = true;
        } else {
          KC_RETURN_IF_ERROR(Start(rest));
        }
      } else if (rc == LZMA_BUF_ERROR) {
        return Truncated(what());
      } else if (rc == LZMA_MEM_ERROR) {
        return absl::ResourceExhaustedError(
            absl::StrFormat("%s: out of memory while decompressing", what()));
      } else if (rc == LZMA_MEMLIMIT_ERROR) {
        return absl::ResourceExhaustedError(absl::StrFormat(
            "%s: %s stream needs %d MiB of decoder memory, more than the limit "
            "of %d MiB",
            what(), CompressionName(kind_), lzma_memusage(&s_) / kMiB,
            kLzmaMemoryLimit / kMiB));
      } else if (rc != LZMA_OK) {
        return Corrupt(what(), kind_, LzmaReason(rc, kind_));
      }
      if (produced > 0) return produced;
    }
    return 0;
  }

  ByteView input_;
  Compression kind_;
  unsigned threads_;
  lzma_stream s_ = LZMA_STREAM_INIT;
  bool done_ = false;
};

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

class ZstdStream final : public StreamDecompressor {
 public:
  ZstdStream(ByteView input, std::string_view what)
      : StreamDecompressor(what), input_(input), dctx_(ZSTD_createDCtx()) {}
  ~ZstdStream() override { ZSTD_freeDCtx(dctx_); }

  absl::Status Init() {
    if (dctx_ == nullptr) {
      return absl::InternalError(absl::StrFormat("%s: cannot set up zstd", what()));
    }
    return absl::OkStatus();
  }

 private:
  absl::StatusOr<size_t> ReadSome(std::span<uint8_t> out) override {
    while (!done_) {
      ZSTD_outBuffer dst{out.data(), out.size(), 0};
      // Streaming, so the frame's declared content size (if any) is never
      // trusted for allocation and an absent one is fine.
      const size_t rc = ZSTD_decompressStream(dctx_, &dst, &in_);
      if (ZSTD_isError(rc)) {
        return Corrupt(what(), Compression::kZstd, ZSTD_getErrorName(rc));
      }
      if (rc == 0) {  // a frame is complete and fully flushed
        ByteView rest = input_.subspan(in_.pos);
        done_ = !StartsNextStream(rest, kZstdMagic, kZstdMinFrame) &&
                !IsZstdSkippableFrame(rest);
      } else if (in_.pos == in_.size && dst.pos < dst.size) {
        // Output room left over with all input consumed: the decoder is
        // waiting for bytes that do not exist.
        return Truncated(what());
      }
      if (dst.pos > 0) return dst.pos;
    }
    return 0;
  }

  ByteView input_;
  ZSTD_DCtx* dctx_;
  ZSTD_inBuffer in_{input_.data(), input_.size(), 0};
  bool done_ = false;
};

absl::Status Unsupported(std::string_view what, Compression kind) {
  return absl::UnimplementedError(absl::StrFormat(
      "%s: %s payloads are not supported; decompress the file with the %s "
      "tool first",
      what, CompressionName(kind), CompressionName(kind)));
}

}  // namespace

bool DecompressBudget::Take(uint64_t n) {
  uint64_t left = left_.load(std::memory_order_relaxed);
  do {
    if (n > left) {
      left_.store(0, std::memory_order_relaxed);
      return false;
    }
  } while (!left_.compare_exchange_weak(left, left - n, std::memory_order_relaxed));
  return true;
}

absl::Status DecompressBudget::Exceeded(std::string_view what) const {
  return absl::ResourceExhaustedError(absl::StrFormat(
      "%s: decompressed data exceeds the limit of %d MiB for one input, all its "
      "compressed files together (a decompression bomb?)",
      what, limit_ / kMiB + (limit_ % kMiB != 0 ? 1 : 0)));
}

bool DecompressBudget::Hold(uint64_t n) {
  uint64_t held = held_.load(std::memory_order_relaxed);
  do {
    if (n > held_limit_ - std::min(held_limit_, held)) return false;
  } while (!held_.compare_exchange_weak(held, held + n, std::memory_order_relaxed));
  return true;
}

absl::Status DecompressBudget::HeldExceeded(std::string_view what) const {
  return absl::ResourceExhaustedError(absl::StrFormat(
      "%s: decompressed data held at once exceeds the limit of %d MiB for one input "
      "(a decompression bomb?)",
      what, held_limit_ / kMiB + (held_limit_ % kMiB != 0 ? 1 : 0)));
}

absl::StatusOr<std::unique_ptr<StreamDecompressor>> StreamDecompressor::Open(
    ByteView input, Compression kind, std::string_view what, DecompressBudget* budget,
    unsigned threads) {
  std::unique_ptr<StreamDecompressor> stream;
  switch (kind) {
    case Compression::kNone:
      stream = std::make_unique<CopyStream>(input, what);
      break;
    case Compression::kGzip: {
      auto gzip = std::make_unique<GzipStream>(input, what);
      KC_RETURN_IF_ERROR(gzip->Init());
      stream = std::move(gzip);
      break;
    }
    case Compression::kXz:
    case Compression::kLzma: {
      auto xz = std::make_unique<XzStream>(input, kind, what, threads);
      KC_RETURN_IF_ERROR(xz->Start(input));
      stream = std::move(xz);
      break;
    }
    case Compression::kZstd: {
      auto zstd = std::make_unique<ZstdStream>(input, what);
      KC_RETURN_IF_ERROR(zstd->Init());
      stream = std::move(zstd);
      break;
    }
    case Compression::kBzip2:
    case Compression::kLz4:
    case Compression::kLzo:
      return Unsupported(what, kind);
  }
  if (stream == nullptr) {
    return absl::InvalidArgumentError(
        absl::StrFormat("%s: unknown compression kind", what));
  }
  stream->budget_ = budget;
  return stream;
}

absl::StatusOr<size_t> StreamDecompressor::Read(std::span<uint8_t> out) {
  if (out.empty()) return 0;
  KC_ASSIGN_OR_RETURN(size_t n, ReadSome(out));
  if (budget_ != nullptr && !budget_->Take(n)) return budget_->Exceeded(what_);
  return n;
}

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

namespace {

// Decompress and DecompressHeld: `held`, when given, gets what the result
// stays held for against `budget`.
absl::StatusOr<Bytes> DecompressInto(ByteView input, Compression kind, std::string_view what,
                                     uint64_t max_output, DecompressBudget* budget,
                                     bool hold, uint64_t* held) {
  if (kind == Compression::kNone) {
    if (input.size() > max_output) return TooBig(what, max_output);
    if (budget != nullptr && !budget->Take(input.size())) return budget->Exceeded(what);
    if (hold && budget != nullptr) {
      if (!budget->Hold(input.size())) return budget->HeldExceeded(what);
      *held = input.size();
    }
    return Bytes(input.begin(), input.end());
  }
  KC_ASSIGN_OR_RETURN(std::unique_ptr<StreamDecompressor> stream,
                      StreamDecompressor::Open(input, kind, what, budget));
  OutputBuffer out(max_output, hold ? budget : nullptr);
  while (true) {
    KC_ASSIGN_OR_RETURN(std::span<uint8_t> space, out.Space(what));
    KC_ASSIGN_OR_RETURN(size_t n, stream->Read(space));
    out.Commit(n);
    if (out.Exceeded()) return TooBig(what, max_output);
    if (n == 0) break;
  }
  return std::move(out).Finish(held);
}

}  // namespace

absl::StatusOr<Bytes> Decompress(ByteView input, Compression kind, std::string_view what,
                                 uint64_t max_output, DecompressBudget* budget) {
  return DecompressInto(input, kind, what, max_output, budget, /*hold=*/false, nullptr);
}

absl::StatusOr<HeldBytes> DecompressHeld(ByteView input, Compression kind,
                                         std::string_view what, uint64_t max_output,
                                         DecompressBudget* budget) {
  uint64_t held = 0;
  KC_ASSIGN_OR_RETURN(Bytes bytes, DecompressInto(input, kind, what, max_output, budget,
                                                  /*hold=*/true, &held));
  return HeldBytes{std::move(bytes), BudgetHold(budget, held)};
}

}  // namespace kcontract
