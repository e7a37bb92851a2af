#include "btfdiff/source/kernel_image.h"

#include <lzma.h>
#include <zlib.h>

#include <algorithm>
#include <cstring>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "gtest/gtest.h"
#include "tests/test_support.h"

namespace kcontract {
namespace {

constexpr uint64_t kMiB = 1ull << 20;

::testing::AssertionResult MessageStartsWith(const absl::Status& status,
                                             std::string_view prefix) {
  if (std::string(status.message()).starts_with(prefix)) {
    return ::testing::AssertionSuccess();
  }
  return ::testing::AssertionFailure()
         << "status " << status << " does not start with \"" << prefix << "\"";
}

Bytes AsBytes(std::string_view s) { return Bytes(s.begin(), s.end()); }

Bytes GzipCompress(ByteView input) {
  z_stream z{};
  EXPECT_EQ(
      deflateInit2(&z, 6, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY),
      Z_OK);
  Bytes out(deflateBound(&z, input.size()));
  z.next_in = const_cast<Bytef*>(input.data());
  z.avail_in = static_cast<uInt>(input.size());
  z.next_out = out.data();
  z.avail_out = static_cast<uInt>(out.size());
  EXPECT_EQ(deflate(&z, Z_FINISH), Z_STREAM_END);
  out.resize(z.total_out);
  deflateEnd(&z);
  return out;
}

Bytes XzCompress(ByteView input) {
  Bytes out(lzma_stream_buffer_bound(input.size()));
  size_t pos = 0;
  EXPECT_EQ(lzma_easy_buffer_encode(1, LZMA_CHECK_CRC32, nullptr, input.data(),
                                    input.size(), out.data(), &pos, out.size()),
            LZMA_OK);
  out.resize(pos);
  return out;
}

// Stands in for vmlinux: an ELF identification and some body.
Bytes FakeVmlinux() {
  Bytes elf = AsBytes(std::string("\177ELF\x02\x01\x01", 7));
  for (int i = 0; i < 50000; ++i) elf.push_back(static_cast<uint8_t>(i * 7));
  return elf;
}

template <typename T>
void PutLe(Bytes& image, size_t offset, T value) {
  ASSERT_LE(offset + sizeof(T), image.size());
  std::memcpy(image.data() + offset, &value, sizeof(T));
}

// A minimal image in the layout the x86 boot protocol describes: setup
// sectors, then the protected-mode part holding the payload at
// payload_offset. Fields can be overridden to build broken images.
struct FakeImage {
  uint8_t setup_sects = 2;
  uint16_t protocol = 0x020f;
  bool efi_stub = false;  // "MZ" at 0, as signed distro images
  std::string version = "6.9.0-test (builder@example.org) #1 SMP PREEMPT";
  std::optional<uint16_t> version_field;  // default: points at `version`
  uint32_t payload_gap = 0x200;  // bytes before the payload in the pm part
  Bytes payload;                 // already compressed
  std::optional<uint32_t> payload_offset;  // default: payload_gap
  std::optional<uint32_t> payload_length;  // default: payload + size trailer
  size_t truncate_to = 0;                  // 0: keep the whole image

  Bytes Build() const {
    constexpr size_t kVersionAt = 0x300;
    const size_t sects = setup_sects == 0 ? 4 : setup_sects;
    const size_t pm_start = (sects + 1) * 512;
    // The kernel appends the uncompressed size and counts it in the length.
    const uint32_t trailer = 0x12345678;
    Bytes image(pm_start + payload_gap + payload.size() + sizeof(trailer) + 64,
                0xcc);
    if (efi_stub) {
      image[0] = 'M';
      image[1] = 'Z';
    }
    image[0x1f1] = setup_sects;
    PutLe<uint16_t>(image, 0x1fe, 0xaa55);
    std::memcpy(image.data() + 0x202, "HdrS", 4);
    PutLe<uint16_t>(image, 0x206, protocol);
    PutLe<uint16_t>(image, 0x20e, version_field.value_or(kVersionAt - 0x200));
    std::memcpy(image.data() + kVersionAt, version.c_str(), version.size() + 1);
    PutLe<uint32_t>(image, 0x248, payload_offset.value_or(payload_gap));
    PutLe<uint32_t>(image, 0x24c,
                    payload_length.value_or(payload.size() + sizeof(trailer)));
    std::copy(payload.begin(), payload.end(),
              image.begin() + pm_start + payload_gap);
    PutLe<uint32_t>(image, pm_start + payload_gap + payload.size(), trailer);
    if (truncate_to != 0) image.resize(truncate_to);
    return image;
  }
};

// ---- the real Debian images -------------------------------------------------

struct RealImage {
  std::string dir;
  std::string file;
  Compression compression;
  std::string release;
};

class RealImageTest : public ::testing::TestWithParam<RealImage> {
 protected:
  std::filesystem::path Path() const {
    return testing::SharedKernelDir(GetParam().dir) / GetParam().file;
  }
};

TEST_P(RealImageTest, LocatesPayloadAndRelease) {
  KC_REQUIRE_PATH(Path());
  const Bytes image = testing::ReadFileOrDie(Path());
  // Signed EFI images: a PE header first, the boot header still at 0x1f1.
  ASSERT_TRUE(StartsWith(image, "MZ"));
  ASSERT_TRUE(IsBzImage(image));
  absl::StatusOr<BzImagePayload> payload =
      LocateBzImagePayload(image, GetParam().file);
  ASSERT_TRUE(payload.ok()) << payload.status();
  EXPECT_EQ(payload->compression, GetParam().compression);
  EXPECT_EQ(payload->release, GetParam().release);
  EXPECT_TRUE(payload->version_line.starts_with(
      GetParam().release + " (debian-kernel@lists.debian.org) #1 SMP"))
      << payload->version_line;
  EXPECT_GE(payload->compressed.data(), image.data());
  EXPECT_LE(payload->compressed.data() + payload->compressed.size(),
            image.data() + image.size());
}

TEST_P(RealImageTest, ExtractsElfVmlinux) {
  KC_REQUIRE_PATH(Path());
  const Bytes image = testing::ReadFileOrDie(Path());
  absl::StatusOr<Bytes> vmlinux = ExtractVmlinux(image, GetParam().file);
  ASSERT_TRUE(vmlinux.ok()) << vmlinux.status();
  ASSERT_TRUE(StartsWith(*vmlinux, "\177ELF"));
  EXPECT_EQ((*vmlinux)[4], 2);                    // ELFCLASS64
  EXPECT_EQ(ReadLe<uint16_t>(*vmlinux, 18), 62);  // EM_X86_64
  EXPECT_GT(vmlinux->size(), 20 * kMiB);
}

TEST_P(RealImageTest, RespectsOutputLimit) {
  KC_REQUIRE_PATH(Path());
  const Bytes image = testing::ReadFileOrDie(Path());
  absl::StatusOr<Bytes> vmlinux = ExtractVmlinux(image, "vmlinuz", 8 * kMiB);
  EXPECT_EQ(vmlinux.status().code(), absl::StatusCode::kResourceExhausted);
  EXPECT_TRUE(MessageStartsWith(
      vmlinux.status(),
      "vmlinuz: " + std::string(CompressionName(GetParam().compression)) +
          " payload: decompressed data exceeds the limit of 8 MiB"));
}

TEST_P(RealImageTest, ReportsImageCutShort) {
  KC_REQUIRE_PATH(Path());
  const Bytes image = testing::ReadFileOrDie(Path());
  const ByteView half = ByteView(image).first(image.size() / 2);
  absl::StatusOr<Bytes> vmlinux = ExtractVmlinux(half, "half");
  EXPECT_EQ(vmlinux.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_TRUE(MessageStartsWith(vmlinux.status(),
                                "half: bzImage payload lies outside the file"));
}

TEST_P(RealImageTest, ReportsTruncatedPayload) {
  KC_REQUIRE_PATH(Path());
  Bytes image = testing::ReadFileOrDie(Path());
  const uint32_t length = *ReadLe<uint32_t>(image, 0x24c);
  PutLe<uint32_t>(image, 0x24c, length / 2);
  absl::StatusOr<Bytes> vmlinux = ExtractVmlinux(image, "short");
  EXPECT_EQ(vmlinux.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_EQ(vmlinux.status().message(),
            "short: " + std::string(CompressionName(GetParam().compression)) +
                " payload: compressed stream is truncated");
}

INSTANTIATE_TEST_SUITE_P(
    Debian, RealImageTest,
    ::testing::Values(RealImage{"debian-6.1.0-50-amd64",
                                "vmlinuz-6.1.0-50-amd64", Compression::kXz,
                                "6.1.0-50-amd64"},
                      RealImage{"debian-6.12.111-amd64",
                                "vmlinuz-6.12.111+deb12-amd64",
                                Compression::kZstd, "6.12.111+deb12-amd64"}),
    [](const ::testing::TestParamInfo<RealImage>& info) {
      return std::string(CompressionName(info.param.compression));
    });

// ---- synthetic images ---------------------------------------------------

TEST(KernelImage, ExtractsPayloadOfSyntheticImage) {
  FakeImage fake;
  fake.payload = GzipCompress(FakeVmlinux());
  const Bytes image = fake.Build();
  absl::StatusOr<BzImagePayload> payload = LocateBzImagePayload(image, "img");
  ASSERT_TRUE(payload.ok()) << payload.status();
  EXPECT_EQ(payload->compression, Compression::kGzip);
  EXPECT_EQ(payload->release, "6.9.0-test");
  EXPECT_EQ(payload->version_line, fake.version);
  absl::StatusOr<Bytes> vmlinux = ExtractVmlinux(image, "img");
  ASSERT_TRUE(vmlinux.ok()) << vmlinux.status();
  EXPECT_EQ(*vmlinux, FakeVmlinux());
}

TEST(KernelImage, TreatsZeroSetupSectsAsFour) {
  FakeImage fake;
  fake.setup_sects = 0;
  fake.payload = XzCompress(FakeVmlinux());
  absl::StatusOr<Bytes> vmlinux = ExtractVmlinux(fake.Build(), "img");
  ASSERT_TRUE(vmlinux.ok()) << vmlinux.status();
  EXPECT_EQ(*vmlinux, FakeVmlinux());
}

TEST(KernelImage, AcceptsEfiStubImage) {
  FakeImage fake;
  fake.efi_stub = true;
  fake.payload = XzCompress(FakeVmlinux());
  const Bytes image = fake.Build();
  EXPECT_TRUE(IsBzImage(image));
  absl::StatusOr<Bytes> vmlinux = ExtractVmlinux(image, "img");
  ASSERT_TRUE(vmlinux.ok()) << vmlinux.status();
  EXPECT_EQ(*vmlinux, FakeVmlinux());
}

TEST(KernelImage, RejectsPayloadOffsetOutsideFile) {
  FakeImage fake;
  fake.payload = GzipCompress(FakeVmlinux());
  fake.payload_offset = 0xfffffff0u;
  fake.payload_length = 100;
  const Bytes image = fake.Build();
  absl::StatusOr<BzImagePayload> payload = LocateBzImagePayload(image, "img");
  EXPECT_EQ(payload.status().code(), absl::StatusCode::kDataLoss);
  // setup_sects 2: the protected-mode part starts at 3 * 512 = 1536.
  EXPECT_EQ(payload.status().message(),
            "img: bzImage payload lies outside the file (offset " +
                std::to_string(1536ull + 0xfffffff0u) +
                ", length 100, file size " + std::to_string(image.size()) +
                ")");
}

TEST(KernelImage, RejectsPayloadLengthOutsideFile) {
  FakeImage fake;
  fake.payload = GzipCompress(FakeVmlinux());
  fake.payload_length = 0xffffffffu;
  absl::StatusOr<Bytes> vmlinux = ExtractVmlinux(fake.Build(), "img");
  EXPECT_EQ(vmlinux.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_TRUE(MessageStartsWith(
      vmlinux.status(), "img: bzImage payload lies outside the file (offset "));
}

TEST(KernelImage, RejectsImageWithoutPayload) {
  FakeImage fake;
  fake.payload_length = 0;
  absl::StatusOr<Bytes> vmlinux = ExtractVmlinux(fake.Build(), "img");
  EXPECT_EQ(vmlinux.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_EQ(vmlinux.status().message(), "img: bzImage has no payload");
}

TEST(KernelImage, RejectsUnrecognisedPayloadCompression) {
  FakeImage fake;
  fake.payload = AsBytes("\x01\x02\x03\x04 is no compressor's magic");
  absl::StatusOr<Bytes> vmlinux = ExtractVmlinux(fake.Build(), "img");
  EXPECT_EQ(vmlinux.status().code(), absl::StatusCode::kUnimplemented);
  EXPECT_EQ(vmlinux.status().message(),
            "img: unrecognised payload compression (magic 0x01020304)");
}

TEST(KernelImage, ReportsUnsupportedPayloadCompression) {
  FakeImage fake;
  fake.payload = AsBytes("\x02\x21\x4c\x18 legacy lz4 frame");
  absl::StatusOr<Bytes> vmlinux = ExtractVmlinux(fake.Build(), "img");
  EXPECT_EQ(vmlinux.status().code(), absl::StatusCode::kUnimplemented);
  EXPECT_TRUE(MessageStartsWith(
      vmlinux.status(), "img: lz4 payload: lz4 payloads are not supported"));
}

TEST(KernelImage, RejectsPayloadThatIsNotElf) {
  FakeImage fake;
  fake.payload = GzipCompress(AsBytes("MZ but not a kernel"));
  absl::StatusOr<Bytes> vmlinux = ExtractVmlinux(fake.Build(), "img");
  EXPECT_EQ(vmlinux.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_EQ(vmlinux.status().message(),
            "img: decompressed payload is not an ELF image (starts with "
            "0x4d5a2062)");
}

TEST(KernelImage, NamesImageAndFormatForCorruptPayload) {
  FakeImage fake;
  fake.payload = XzCompress(FakeVmlinux());
  fake.payload[6] ^= 0xff;  // xz stream flags, covered by the header CRC
  absl::StatusOr<Bytes> vmlinux = ExtractVmlinux(fake.Build(), "img");
  EXPECT_EQ(vmlinux.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_TRUE(MessageStartsWith(vmlinux.status(),
                                "img: xz payload: corrupt xz stream: "));
}

TEST(KernelImage, RejectsFilesWithoutBootHeader) {
  const Bytes elf = FakeVmlinux();
  const Bytes too_short(0x205, 0);
  for (const Bytes& bytes : {Bytes{}, elf, too_short}) {
    EXPECT_FALSE(IsBzImage(bytes));
    absl::StatusOr<BzImagePayload> payload = LocateBzImagePayload(bytes, "f");
    EXPECT_EQ(payload.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_TRUE(MessageStartsWith(payload.status(), "f: not an x86 bzImage"));
  }
}

TEST(KernelImage, RejectsTruncatedBootHeader) {
  FakeImage fake;
  fake.payload = GzipCompress(FakeVmlinux());
  fake.truncate_to = 0x24a;  // through "HdrS" but not payload_length
  absl::StatusOr<BzImagePayload> payload =
      LocateBzImagePayload(fake.Build(), "img");
  EXPECT_EQ(payload.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_EQ(payload.status().message(),
            "img: bzImage boot header is truncated");
}

TEST(KernelImage, RejectsBootProtocolWithoutPayloadFields) {
  FakeImage fake;
  fake.protocol = 0x0206;
  fake.payload = GzipCompress(FakeVmlinux());
  absl::StatusOr<BzImagePayload> payload =
      LocateBzImagePayload(fake.Build(), "old");
  EXPECT_EQ(payload.status().code(), absl::StatusCode::kUnimplemented);
  EXPECT_TRUE(MessageStartsWith(payload.status(),
                                "old: bzImage boot protocol 2.06 predates"));
}

TEST(KernelImage, ToleratesMissingOrBrokenVersionString) {
  FakeImage fake;
  fake.payload = GzipCompress(FakeVmlinux());
  // 0: no string; 0xffff: past the end of this small image; 0x30: into the
  // boot header itself, which is not text.
  for (uint16_t field : {uint16_t{0}, uint16_t{0xffff}, uint16_t{0x30}}) {
    fake.version_field = field;
    absl::StatusOr<BzImagePayload> payload =
        LocateBzImagePayload(fake.Build(), "img");
    ASSERT_TRUE(payload.ok()) << payload.status();
    EXPECT_EQ(payload->release, "") << field;
    EXPECT_EQ(payload->version_line, "") << field;
  }
}

}  // namespace
}  // namespace kcontract
