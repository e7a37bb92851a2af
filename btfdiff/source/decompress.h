// Decompression of kernel images, modules and package members, with a hard
// cap on output so that a decompression bomb costs bounded memory and time.
#ifndef KCONTRACT_BTFDIFF_SOURCE_DECOMPRESS_H_
#define KCONTRACT_BTFDIFF_SOURCE_DECOMPRESS_H_

#include <atomic>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "btfdiff/base/bytes.h"

namespace kcontract {

enum class Compression { kNone, kGzip, kXz, kZstd, kLzma, kBzip2, kLz4, kLzo };

std::string_view CompressionName(Compression c);

// Recognises a compressed stream by its magic bytes.
Compression DetectCompression(ByteView bytes);

// Default ceiling on decompressed output: well above any real vmlinux
// (a distro vmlinux is 50-70 MB) and far below the machine's memory.
inline constexpr uint64_t kDefaultMaxDecompressedSize = 1ull << 30;
// Default ceiling on all the bytes one input decompresses to, every stream
// in it together (a package's data member, each module, the kernel image).
// Debian's full 6.1 linux-image package needs about 470 MB (its data.tar
// holds 410 MB, the image's payload 60 MB); 6.12's, whose modules are
// compressed one by one, about 650 MB.
inline constexpr uint64_t kDefaultMaxDecompressedTotal = 2ull << 30;

// The bytes one input may decompress to, all its streams together, shared
// by the threads that read its parts: a package's data member, each of its
// modules and its kernel image draw on one budget, so that a small input
// cannot make kcontract decompress more than the limit in total however its
// bytes are spread over files.
class DecompressBudget {
 public:
  explicit DecompressBudget(uint64_t limit) : limit_(limit), left_(limit) {}
  DecompressBudget(const DecompressBudget&) = delete;
  DecompressBudget& operator=(const DecompressBudget&) = delete;

  // Takes `n` bytes; false, leaving the budget spent, when fewer are left.
  bool Take(uint64_t n);
  uint64_t left() const { return left_.load(std::memory_order_relaxed); }
  uint64_t limit() const { return limit_; }

  // "<what>: ... exceeds the limit of N MiB for one input ..."
  absl::Status Exceeded(std::string_view what) const;

 private:
  const uint64_t limit_;
  std::atomic<uint64_t> left_;
};

// One compressed stream decoded piece by piece, for inputs whose output is
// read once and never held whole (a package's data member). Concatenated
// streams and trailing bytes are handled as by Decompress().
class StreamDecompressor {
 public:
  // `threads` > 1 decodes the blocks of a multi-block xz stream (what
  // `xz -T` and dpkg-deb write) in parallel. `budget` may be null.
  static absl::StatusOr<std::unique_ptr<StreamDecompressor>> Open(
      ByteView input, Compression kind, std::string_view what,
      DecompressBudget* budget = nullptr, unsigned threads = 1);
  virtual ~StreamDecompressor() = default;

  // Writes the next bytes of output into `out`; 0 at the end of the data.
  absl::StatusOr<size_t> Read(std::span<uint8_t> out);

 protected:
  explicit StreamDecompressor(std::string_view what) : what_(what) {}
  virtual absl::StatusOr<size_t> ReadSome(std::span<uint8_t> out) = 0;
  const std::string& what() const { return what_; }

 private:
  std::string what_;
  DecompressBudget* budget_ = nullptr;
};

// Decompresses one stream. Trailing bytes after the end of the stream are
// ignored (the kernel appends the uncompressed size to bzImage payloads).
// `what` names the input in error messages, e.g. "vmlinuz-6.1.0: payload".
// Fails on a corrupt or truncated stream, an unsupported format, or output
// beyond `max_output` bytes.
// With a `budget`, its output also counts against it.
absl::StatusOr<Bytes> Decompress(ByteView input, Compression kind,
                                 std::string_view what,
                                 uint64_t max_output = kDefaultMaxDecompressedSize,
                                 DecompressBudget* budget = nullptr);

}  // namespace kcontract

#endif  // KCONTRACT_BTFDIFF_SOURCE_DECOMPRESS_H_
