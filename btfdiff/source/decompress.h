// Decompression of kernel images, modules and package members, with a hard
// cap on output so that a decompression bomb costs bounded memory and time.
#ifndef KCONTRACT_BTFDIFF_SOURCE_DECOMPRESS_H_
#define KCONTRACT_BTFDIFF_SOURCE_DECOMPRESS_H_

#include <cstdint>
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
// Default ceiling on all the bytes decompressed for one input (a package's
// data tarball and every compressed image and module in it): a Debian
// linux-image package decompresses to about 500 MB.
inline constexpr uint64_t kDefaultMaxDecompressedPerInput = 2ull << 30;

// Decompresses one stream. Trailing bytes after the end of the stream are
// ignored (the kernel appends the uncompressed size to bzImage payloads).
// `what` names the input in error messages, e.g. "vmlinuz-6.1.0: payload".
// Fails on a corrupt or truncated stream, an unsupported format, or output
// beyond `max_output` bytes.
absl::StatusOr<Bytes> Decompress(ByteView input, Compression kind,
                                 std::string_view what,
                                 uint64_t max_output = kDefaultMaxDecompressedSize);

}  // namespace kcontract

#endif  // KCONTRACT_BTFDIFF_SOURCE_DECOMPRESS_H_
