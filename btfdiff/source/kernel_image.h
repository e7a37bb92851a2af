// x86 boot images (bzImage), including the signed EFI (PE/COFF) images that
// distributions ship: locating and decompressing the vmlinux payload.
#ifndef KCONTRACT_BTFDIFF_SOURCE_KERNEL_IMAGE_H_
#define KCONTRACT_BTFDIFF_SOURCE_KERNEL_IMAGE_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "btfdiff/base/bytes.h"
#include "btfdiff/source/decompress.h"

namespace kcontract {

// True when `bytes` carries the x86 boot protocol header ("HdrS" at 0x202).
bool IsBzImage(ByteView bytes);

struct BzImagePayload {
  Compression compression = Compression::kNone;
  ByteView compressed;   // points into the image passed to LocateBzImagePayload
  std::string release;   // from the header's kernel_version string, e.g. "6.1.0-50-amd64"; may be empty
  std::string version_line;  // the whole kernel_version string
};

// Finds the compressed payload using the boot header's setup_sects,
// payload_offset and payload_length, checking every field against the image
// size. `what` is the file name for error messages.
absl::StatusOr<BzImagePayload> LocateBzImagePayload(ByteView image,
                                                    std::string_view what);

// LocateBzImagePayload + Decompress: the vmlinux ELF image.
absl::StatusOr<Bytes> ExtractVmlinux(ByteView image, std::string_view what,
                                     uint64_t max_output = kDefaultMaxDecompressedSize);

}  // namespace kcontract

#endif  // KCONTRACT_BTFDIFF_SOURCE_KERNEL_IMAGE_H_
