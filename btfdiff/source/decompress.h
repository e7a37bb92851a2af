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
#include <utility>

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

// Default ceiling on the bytes one package's reading holds at once: its
// files read from the data member and not yet dropped, and what the workers
// decompress of them, on every thread together. Debian's packages hold at
// most 72 MiB (6.1's full one: its 63 MiB vmlinux while a few modules wait);
// without it a package of modules that each expand to the per-file limit
// held that limit on every thread at once (3.9 GB on two).
inline constexpr uint64_t kDefaultMaxDecompressedHeld = 256ull << 20;

// The bytes one input may decompress to, all its streams together, shared
// by the threads that read its parts: a package's data member, each of its
// modules and its kernel image draw on one budget, so that a small input
// cannot make kcontract decompress more than the limit in total however its
// bytes are spread over files. Also what they hold at once (Hold/Release),
// so that the memory a package takes does not grow with the threads.
class DecompressBudget {
 public:
  explicit DecompressBudget(uint64_t limit, uint64_t held_limit = UINT64_MAX)
      : limit_(limit), left_(limit), held_limit_(held_limit) {}
  DecompressBudget(const DecompressBudget&) = delete;
  DecompressBudget& operator=(const DecompressBudget&) = delete;

  // Takes `n` bytes; false, leaving the budget spent, when fewer are left.
  bool Take(uint64_t n);
  uint64_t left() const { return left_.load(std::memory_order_relaxed); }
  uint64_t limit() const { return limit_; }

  // "<what>: ... exceeds the limit of N MiB for one input ..."
  absl::Status Exceeded(std::string_view what) const;

  // Counts `n` more bytes as held; false, holding nothing more, when that
  // would pass the held limit. Release gives back what Hold counted.
  bool Hold(uint64_t n);
  void Release(uint64_t n) { held_.fetch_sub(n, std::memory_order_relaxed); }
  uint64_t held() const { return held_.load(std::memory_order_relaxed); }

  // "<what>: ... more than N MiB held at once for one input ..."
  absl::Status HeldExceeded(std::string_view what) const;

 private:
  const uint64_t limit_;
  std::atomic<uint64_t> left_;
  const uint64_t held_limit_;
  std::atomic<uint64_t> held_{0};
};

// Bytes counted as held against a budget until this is destroyed or
// released (nothing, without a budget).
class BudgetHold {
 public:
  BudgetHold() = default;
  BudgetHold(DecompressBudget* budget, uint64_t n) : budget_(budget), n_(n) {}
  BudgetHold(BudgetHold&& other) noexcept
      : budget_(std::exchange(other.budget_, nullptr)), n_(std::exchange(other.n_, 0)) {}
  BudgetHold& operator=(BudgetHold&& other) noexcept {
    if (this != &other) {
      Release();
      budget_ = std::exchange(other.budget_, nullptr);
      n_ = std::exchange(other.n_, 0);
    }
    return *this;
  }
  ~BudgetHold() { Release(); }

  void Release() {
    if (budget_ != nullptr) budget_->Release(n_);
    budget_ = nullptr;
    n_ = 0;
  }

 private:
  DecompressBudget* budget_ = nullptr;
  uint64_t n_ = 0;
};

// Decompressed bytes and what they hold.
struct HeldBytes {
  Bytes bytes;
  BudgetHold hold;
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

// The same, with the output also held against `budget` (not null) while it
// is decoded and for as long as the result lives: past the held limit it
// fails with the budget's HeldExceeded.
absl::StatusOr<HeldBytes> DecompressHeld(ByteView input, Compression kind,
                                         std::string_view what, uint64_t max_output,
                                         DecompressBudget* budget);

}  // namespace kcontract

#endif  // KCONTRACT_BTFDIFF_SOURCE_DECOMPRESS_H_
