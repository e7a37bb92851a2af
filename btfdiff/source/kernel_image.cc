#include "btfdiff/source/kernel_image.h"

#include <algorithm>
#include <optional>

#include "absl/status/status.h"
#include "absl/strings/str_format.h"
#include "btfdiff/base/status_macros.h"

namespace kcontract {
namespace {

// Offsets into the x86 boot protocol's setup header
// (Documentation/arch/x86/boot.rst).
constexpr uint64_t kSetupSectsOffset = 0x1f1;
constexpr uint64_t kHeaderMagicOffset = 0x202;
constexpr uint64_t kBootProtocolOffset = 0x206;
constexpr uint64_t kKernelVersionOffset = 0x20e;
constexpr uint64_t kPayloadOffsetOffset = 0x248;
constexpr uint64_t kPayloadLengthOffset = 0x24c;

constexpr uint32_t kHdrSMagic = 0x53726448;  // "HdrS", little-endian
// payload_offset/payload_length arrived with protocol 2.08 (2.6.26).
constexpr uint16_t kMinBootProtocol = 0x0208;
// kernel_version is relative to the start of the setup header block.
constexpr uint64_t kKernelVersionBase = 0x200;
constexpr uint64_t kSectorSize = 512;
// Images predating the field leave setup_sects at 0, meaning 4.
constexpr uint8_t kDefaultSetupSects = 4;
// Real version strings are ~130 bytes; anything far longer is not one.
constexpr size_t kMaxVersionLine = 1024;

// The NUL-terminated kernel_version string, or "" when the field is unset,
// points outside the file, is unterminated or is not printable text. It is
// informational, so a bad one is not worth failing the whole image for.
std::string ReadVersionLine(ByteView image) {
  const std::optional<uint16_t> rel =
      ReadLe<uint16_t>(image, kKernelVersionOffset);
  if (!rel.has_value() || *rel == 0) return "";
  const uint64_t start = kKernelVersionBase + *rel;
  if (start >= image.size()) return "";
  ByteView tail = image.subspan(start);
  tail = tail.first(std::min(tail.size(), kMaxVersionLine));
  const auto nul = std::find(tail.begin(), tail.end(), uint8_t{0});
  if (nul == tail.end()) return "";
  std::string line(tail.begin(), nul);
  const bool printable = std::all_of(
      line.begin(), line.end(), [](char c) { return c >= 0x20 && c < 0x7f; });
  return printable ? line : "";
}

std::string ReleaseOf(std::string_view version_line) {
  return std::string(version_line.substr(0, version_line.find(' ')));
}

std::string HexMagic(ByteView bytes) {
  std::string hex;
  for (uint8_t b : bytes.first(std::min<size_t>(bytes.size(), 4))) {
    absl::StrAppendFormat(&hex, "%02x", b);
  }
  return hex.empty() ? "none" : "0x" + hex;
}

}  // namespace

bool IsBzImage(ByteView bytes) {
  return ReadLe<uint32_t>(bytes, kHeaderMagicOffset) == kHdrSMagic;
}

absl::StatusOr<BzImagePayload> LocateBzImagePayload(ByteView image,
                                                    std::string_view what) {
  if (!IsBzImage(image)) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "%s: not an x86 bzImage (no \"HdrS\" boot header at 0x202)", what));
  }
  const std::optional<uint16_t> protocol =
      ReadLe<uint16_t>(image, kBootProtocolOffset);
  const std::optional<uint32_t> payload_offset =
      ReadLe<uint32_t>(image, kPayloadOffsetOffset);
  const std::optional<uint32_t> payload_length =
      ReadLe<uint32_t>(image, kPayloadLengthOffset);
  if (!protocol.has_value() || !payload_offset.has_value() ||
      !payload_length.has_value()) {
    return absl::DataLossError(
        absl::StrFormat("%s: bzImage boot header is truncated", what));
  }
  if (*protocol < kMinBootProtocol) {
    return absl::UnimplementedError(absl::StrFormat(
        "%s: bzImage boot protocol %d.%02d predates payload_offset (needs "
        "2.08)",
        what, *protocol >> 8, *protocol & 0xff));
  }
  if (*payload_length == 0) {
    return absl::DataLossError(
        absl::StrFormat("%s: bzImage has no payload", what));
  }
  uint8_t setup_sects = ReadLe<uint8_t>(image, kSetupSectsOffset).value_or(0);
  if (setup_sects == 0) setup_sects = kDefaultSetupSects;
  // 64-bit arithmetic: neither term can overflow, so the bounds check in
  // Slice sees the true offset.
  const uint64_t protected_mode_start =
      (uint64_t{setup_sects} + 1) * kSectorSize;
  const uint64_t offset = protected_mode_start + *payload_offset;
  const std::optional<ByteView> compressed =
      Slice(image, offset, *payload_length);
  if (!compressed.has_value()) {
    return absl::DataLossError(absl::StrFormat(
        "%s: bzImage payload lies outside the file (offset %d, length %d, "
        "file size %d)",
        what, offset, *payload_length, image.size()));
  }
  BzImagePayload payload;
  payload.compression = DetectCompression(*compressed);
  if (payload.compression == Compression::kNone) {
    return absl::UnimplementedError(
        absl::StrFormat("%s: unrecognised payload compression (magic %s)", what,
                        HexMagic(*compressed)));
  }
  payload.compressed = *compressed;
  payload.version_line = ReadVersionLine(image);
  payload.release = ReleaseOf(payload.version_line);
  return payload;
}

absl::StatusOr<Bytes> ExtractVmlinux(ByteView image, std::string_view what,
                                     uint64_t max_output) {
  KC_ASSIGN_OR_RETURN(BzImagePayload payload,
                      LocateBzImagePayload(image, what));
  KC_ASSIGN_OR_RETURN(
      Bytes vmlinux,
      Decompress(payload.compressed, payload.compression,
                 absl::StrFormat("%s: %s payload", what,
                                 CompressionName(payload.compression)),
                 max_output));
  if (!StartsWith(vmlinux, "\177ELF")) {
    return absl::DataLossError(absl::StrFormat(
        "%s: decompressed payload is not an ELF image (starts with %s)", what,
        HexMagic(vmlinux)));
  }
  return vmlinux;
}

}  // namespace kcontract
