#include "btfdiff/source/decompress.h"

#include <lzma.h>
#include <zlib.h>
#include <zstd.h>

#include <chrono>
#include <cstring>
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

// Test data generated here, with the libraries the decoder uses, so the
// repository carries no binary fixtures.

// Text-like bytes that compress but are not trivially repetitive.
Bytes SampleBytes(size_t size) {
  Bytes out(size);
  uint32_t state = 12345;
  for (size_t i = 0; i < size; ++i) {
    state = state * 1103515245u + 12345u;
    out[i] = static_cast<uint8_t>("kcontract btf vmlinux "[(state >> 16) % 22]);
  }
  return out;
}

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

Bytes XzCompress(ByteView input, uint32_t preset = 1) {
  Bytes out(lzma_stream_buffer_bound(input.size()));
  size_t pos = 0;
  EXPECT_EQ(
      lzma_easy_buffer_encode(preset, LZMA_CHECK_CRC32, nullptr, input.data(),
                              input.size(), out.data(), &pos, out.size()),
      LZMA_OK);
  out.resize(pos);
  return out;
}

// The legacy .lzma ("LZMA_Alone") format, as `lzma` and old kernels write it.
Bytes LzmaAloneCompress(ByteView input) {
  lzma_options_lzma options;
  EXPECT_FALSE(lzma_lzma_preset(&options, 1));
  lzma_stream s = LZMA_STREAM_INIT;
  EXPECT_EQ(lzma_alone_encoder(&s, &options), LZMA_OK);
  Bytes out(input.size() + input.size() / 2 + 4096);
  s.next_in = input.data();
  s.avail_in = input.size();
  s.next_out = out.data();
  s.avail_out = out.size();
  EXPECT_EQ(lzma_code(&s, LZMA_FINISH), LZMA_STREAM_END);
  out.resize(s.total_out);
  lzma_end(&s);
  return out;
}

// A zstd frame; with declare_size false the header omits the content size,
// as `zstd` writes when it compresses a pipe.
Bytes ZstdCompress(ByteView input, bool declare_size = true) {
  ZSTD_CCtx* cctx = ZSTD_createCCtx();
  ZSTD_CCtx_setParameter(cctx, ZSTD_c_compressionLevel, 3);
  ZSTD_CCtx_setParameter(cctx, ZSTD_c_checksumFlag, 1);
  ZSTD_CCtx_setParameter(cctx, ZSTD_c_contentSizeFlag, declare_size ? 1 : 0);
  Bytes out(ZSTD_compressBound(input.size()));
  const size_t n =
      ZSTD_compress2(cctx, out.data(), out.size(), input.data(), input.size());
  EXPECT_FALSE(ZSTD_isError(n)) << ZSTD_getErrorName(n);
  out.resize(n);
  ZSTD_freeCCtx(cctx);
  return out;
}

Bytes Compress(Compression kind, ByteView input) {
  switch (kind) {
    case Compression::kGzip:
      return GzipCompress(input);
    case Compression::kXz:
      return XzCompress(input);
    case Compression::kLzma:
      return LzmaAloneCompress(input);
    case Compression::kZstd:
      return ZstdCompress(input);
    default:
      ADD_FAILURE() << "no compressor for " << CompressionName(kind);
      return {};
  }
}

Bytes Concat(ByteView a, ByteView b) {
  Bytes out(a.begin(), a.end());
  out.insert(out.end(), b.begin(), b.end());
  return out;
}

Bytes AsBytes(std::string_view s) { return Bytes(s.begin(), s.end()); }

// ---- detection ------------------------------------------------------------

TEST(DetectCompression, RecognisesEachFormatByMagic) {
  const Bytes sample = SampleBytes(1000);
  EXPECT_EQ(DetectCompression(GzipCompress(sample)), Compression::kGzip);
  EXPECT_EQ(DetectCompression(XzCompress(sample)), Compression::kXz);
  EXPECT_EQ(DetectCompression(LzmaAloneCompress(sample)), Compression::kLzma);
  EXPECT_EQ(DetectCompression(ZstdCompress(sample)), Compression::kZstd);
  EXPECT_EQ(DetectCompression(AsBytes("BZh91AY&SY")), Compression::kBzip2);
  EXPECT_EQ(DetectCompression(AsBytes("\x02\x21\x4c\x18....")),
            Compression::kLz4);
  EXPECT_EQ(DetectCompression(AsBytes("\x04\x22\x4d\x18....")),
            Compression::kLz4);
  EXPECT_EQ(DetectCompression(AsBytes(std::string("\x89LZO\0\r\n\x1a\n", 9))),
            Compression::kLzo);
}

TEST(DetectCompression, ReportsNoneForUnknownOrShortInput) {
  EXPECT_EQ(DetectCompression({}), Compression::kNone);
  EXPECT_EQ(DetectCompression(AsBytes("\177ELF")), Compression::kNone);
  EXPECT_EQ(DetectCompression(AsBytes("BZh")), Compression::kNone);
  EXPECT_EQ(DetectCompression(AsBytes("\xfd\x37\x7a\x58")), Compression::kNone);
}

// ---- round trips ----------------------------------------------------------

class RoundTrip : public ::testing::TestWithParam<Compression> {};

TEST_P(RoundTrip, DecompressesWhatTheLibraryCompressed) {
  const Bytes original = SampleBytes(3 * kMiB + 17);
  absl::StatusOr<Bytes> out =
      Decompress(Compress(GetParam(), original), GetParam(), "sample");
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ(*out, original);
}

TEST_P(RoundTrip, DecompressesEmptyPayload) {
  absl::StatusOr<Bytes> out =
      Decompress(Compress(GetParam(), {}), GetParam(), "empty");
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TRUE(out->empty());
}

TEST_P(RoundTrip, IgnoresTrailingBytes) {
  const Bytes original = SampleBytes(100000);
  // What the kernel appends to bzImage payloads: the size, 4 bytes.
  const Bytes size_trailer = {0xa0, 0x86, 0x01, 0x00};
  const Bytes with_size = Concat(Compress(GetParam(), original), size_trailer);
  absl::StatusOr<Bytes> out = Decompress(with_size, GetParam(), "sample");
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ(*out, original);

  const Bytes with_junk = Concat(Compress(GetParam(), original),
                                 AsBytes("arbitrary trailing junk, 40 bytes."));
  out = Decompress(with_junk, GetParam(), "sample");
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ(*out, original);
}

TEST_P(RoundTrip, AcceptsOutputExactlyAtTheLimit) {
  const Bytes original = SampleBytes(200000);
  absl::StatusOr<Bytes> out = Decompress(Compress(GetParam(), original),
                                         GetParam(), "sample", original.size());
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ(*out, original);
}

TEST_P(RoundTrip, RejectsOutputOneByteBeyondTheLimit) {
  const Bytes original = SampleBytes(200000);
  absl::StatusOr<Bytes> out =
      Decompress(Compress(GetParam(), original), GetParam(), "sample",
                 original.size() - 1);
  EXPECT_EQ(out.status().code(), absl::StatusCode::kResourceExhausted);
}

TEST_P(RoundTrip, ReportsTruncatedStream) {
  const Bytes compressed = Compress(GetParam(), SampleBytes(500000));
  for (size_t keep :
       {compressed.size() / 2, compressed.size() - 1, size_t{3}}) {
    SCOPED_TRACE(keep);
    absl::StatusOr<Bytes> out =
        Decompress(ByteView(compressed).first(keep), GetParam(), "cut.bin");
    EXPECT_EQ(out.status().code(), absl::StatusCode::kDataLoss);
    EXPECT_EQ(out.status().message(),
              "cut.bin: compressed stream is truncated");
  }
}

TEST_P(RoundTrip, ReportsEmptyInputAsTruncated) {
  absl::StatusOr<Bytes> out = Decompress({}, GetParam(), "nothing");
  EXPECT_EQ(out.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_EQ(out.status().message(), "nothing: compressed stream is truncated");
}

TEST_P(RoundTrip, RejectsCorruptedStream) {
  Bytes compressed = Compress(GetParam(), SampleBytes(500000));
  // Scribble over the middle: whatever the decoder trips on, it must be a
  // data error, never a crash or a success.
  for (size_t i = compressed.size() / 2; i < compressed.size() / 2 + 64; ++i) {
    compressed[i] ^= 0x5a;
  }
  absl::StatusOr<Bytes> out = Decompress(compressed, GetParam(), "bad.bin");
  EXPECT_EQ(out.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_TRUE(MessageStartsWith(out.status(), "bad.bin: "));
}

INSTANTIATE_TEST_SUITE_P(Formats, RoundTrip,
                         ::testing::Values(Compression::kGzip, Compression::kXz,
                                           Compression::kLzma,
                                           Compression::kZstd),
                         [](const ::testing::TestParamInfo<Compression>& info) {
                           return std::string(CompressionName(info.param));
                         });

// ---- format specifics -------------------------------------------------------

TEST(Decompress, NamesTheFormatAndLibraryReasonForCorruptXz) {
  Bytes compressed = XzCompress(SampleBytes(1000));
  compressed[6] ^= 0xff;  // stream flags: the header CRC32 no longer matches
  absl::StatusOr<Bytes> out =
      Decompress(compressed, Compression::kXz, "m.ko.xz");
  EXPECT_EQ(out.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_TRUE(MessageStartsWith(out.status(), "m.ko.xz: corrupt xz stream: "));
}

TEST(Decompress, DetectsGzipChecksumMismatch) {
  Bytes compressed = GzipCompress(SampleBytes(1000));
  compressed[compressed.size() - 8] ^= 0xff;  // the CRC32 in the trailer
  absl::StatusOr<Bytes> out =
      Decompress(compressed, Compression::kGzip, "f.gz");
  EXPECT_EQ(out.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_EQ(out.status().message(),
            "f.gz: corrupt gzip stream: incorrect data check");
}

TEST(Decompress, DetectsZstdChecksumMismatch) {
  Bytes compressed = ZstdCompress(SampleBytes(1000));
  compressed[compressed.size() - 1] ^= 0xff;  // the frame's content checksum
  absl::StatusOr<Bytes> out =
      Decompress(compressed, Compression::kZstd, "f.zst");
  EXPECT_EQ(out.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_TRUE(MessageStartsWith(out.status(), "f.zst: corrupt zstd stream: "));
}

TEST(Decompress, RejectsDataOfAnotherFormat) {
  const Bytes gzip = GzipCompress(SampleBytes(1000));
  for (Compression kind : {Compression::kXz, Compression::kZstd}) {
    absl::StatusOr<Bytes> out = Decompress(gzip, kind, "x");
    EXPECT_EQ(out.status().code(), absl::StatusCode::kDataLoss)
        << CompressionName(kind);
    EXPECT_TRUE(MessageStartsWith(out.status(), "x: corrupt "));
  }
}

TEST(Decompress, HandlesZstdFrameWithoutDeclaredContentSize) {
  const Bytes original = SampleBytes(2 * kMiB);
  const Bytes compressed = ZstdCompress(original, /*declare_size=*/false);
  ASSERT_EQ(ZSTD_getFrameContentSize(compressed.data(), compressed.size()),
            ZSTD_CONTENTSIZE_UNKNOWN);
  absl::StatusOr<Bytes> out =
      Decompress(compressed, Compression::kZstd, "pipe");
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ(*out, original);
}

TEST(Decompress, RejectsZstdFrameWhoseDeclaredSizeIsWrong) {
  Bytes compressed = ZstdCompress(SampleBytes(1000));
  // Frame header descriptor: a 2-byte content size (stored minus 256) right
  // after it, single segment. Make the frame claim 65791 bytes.
  const uint8_t descriptor = compressed[4];
  ASSERT_EQ(descriptor >> 6, 1);
  ASSERT_TRUE(descriptor & 0x20);
  compressed[5] = 0xff;
  compressed[6] = 0xff;
  absl::StatusOr<Bytes> out =
      Decompress(compressed, Compression::kZstd, "liar.zst", 4096);
  EXPECT_EQ(out.status().code(), absl::StatusCode::kDataLoss) << out.status();
}

TEST(Decompress, DecodesConcatenatedStreams) {
  const Bytes a = SampleBytes(70000);
  const Bytes b = AsBytes("second stream");
  const Bytes expected = Concat(a, b);
  for (Compression kind :
       {Compression::kGzip, Compression::kXz, Compression::kZstd}) {
    absl::StatusOr<Bytes> out =
        Decompress(Concat(Compress(kind, a), Compress(kind, b)), kind, "cat");
    ASSERT_TRUE(out.ok()) << CompressionName(kind) << ": " << out.status();
    EXPECT_EQ(*out, expected) << CompressionName(kind);
  }
}

TEST(Decompress, SkipsXzStreamPaddingBetweenStreams) {
  const Bytes first = XzCompress(AsBytes("one,"));
  const Bytes padded = Concat(first, Bytes(8, 0));
  absl::StatusOr<Bytes> out = Decompress(
      Concat(padded, XzCompress(AsBytes("two"))), Compression::kXz, "pad");
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ(*out, AsBytes("one,two"));
}

TEST(Decompress, ReadsFilesWrittenByTheCommandLineTools) {
  using testing::RunCommand;
  const auto dir = testing::ScratchDir("DecompressCliTools");
  const Bytes original = SampleBytes(300000);
  testing::WriteFileOrDie(dir / "plain", original);
  struct Tool {
    std::string command;
    Compression kind;
  };
  // Pipes, so zstd and gzip cannot record the size in advance.
  for (const Tool& tool : {Tool{"gzip -9 -c", Compression::kGzip},
                           Tool{"xz -9 --check=crc32 -c", Compression::kXz},
                           Tool{"xz --format=lzma -c", Compression::kLzma},
                           Tool{"zstd -19 -q -c", Compression::kZstd}}) {
    const std::string program = tool.command.substr(0, tool.command.find(' '));
    if (!testing::HaveTool(program)) continue;
    const auto packed = dir / "packed";
    ASSERT_EQ(RunCommand("cat '" + (dir / "plain").string() + "' | " +
                         tool.command + " > '" + packed.string() + "'")
                  .exit_code,
              0)
        << tool.command;
    const Bytes compressed = testing::ReadFileOrDie(packed);
    EXPECT_EQ(DetectCompression(compressed), tool.kind) << tool.command;
    absl::StatusOr<Bytes> out = Decompress(compressed, tool.kind, "packed");
    ASSERT_TRUE(out.ok()) << tool.command << ": " << out.status();
    EXPECT_EQ(*out, original) << tool.command;
  }
}

// ---- limits -------------------------------------------------------------

TEST(Decompress, RejectsOutputBeyondLimit) {
  const Bytes zeros(64 * kMiB, 0);
  for (Compression kind : {Compression::kGzip, Compression::kXz,
                           Compression::kLzma, Compression::kZstd}) {
    const Bytes bomb = Compress(kind, zeros);
    ASSERT_LT(bomb.size(), zeros.size() / 100) << CompressionName(kind);
    absl::StatusOr<Bytes> out = Decompress(bomb, kind, "bomb", 16 * kMiB);
    EXPECT_EQ(out.status().code(), absl::StatusCode::kResourceExhausted)
        << CompressionName(kind);
    EXPECT_EQ(out.status().message(),
              "bomb: decompressed data exceeds the limit of 16 MiB (a "
              "decompression bomb?)");
  }
}

TEST(Decompress, StopsABombAtTheLimitWithoutDecodingTheRest) {
  // 256 concatenated streams of 64 MiB of zeros each: 16 GiB if decoded to
  // the end, which would take far longer than the bound below and more
  // memory than the test machine has.
  const Bytes zeros(64 * kMiB, 0);
  for (Compression kind :
       {Compression::kGzip, Compression::kXz, Compression::kZstd}) {
    const Bytes one = Compress(kind, zeros);
    Bytes bomb;
    for (int i = 0; i < 256; ++i)
      bomb.insert(bomb.end(), one.begin(), one.end());
    const auto start = std::chrono::steady_clock::now();
    absl::StatusOr<Bytes> out = Decompress(bomb, kind, "bomb", 16 * kMiB);
    const auto elapsed_ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(
            std::chrono::steady_clock::now() - start)
            .count();
    EXPECT_EQ(out.status().code(), absl::StatusCode::kResourceExhausted)
        << CompressionName(kind);
    EXPECT_LT(elapsed_ms, 5000) << CompressionName(kind);
  }
}

TEST(Decompress, LimitsUncompressedInputToo) {
  const Bytes data = SampleBytes(100);
  absl::StatusOr<Bytes> out = Decompress(data, Compression::kNone, "raw", 99);
  EXPECT_EQ(out.status().code(), absl::StatusCode::kResourceExhausted);
  out = Decompress(data, Compression::kNone, "raw", 100);
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ(*out, data);
}

// ---- what one input holds at once -----------------------------------------

// Outputs of every size the chunks meet (one, several, a partial last one)
// come back whole, exactly as large as they are.
TEST(DecompressHeld, ReturnsTheOutputHeldWhileItLives) {
  for (size_t size : {size_t{0}, size_t{1}, size_t{256 * 1024}, size_t{256 * 1024 + 1},
                      size_t{9 * kMiB + 3}, size_t{40 * kMiB}}) {
    SCOPED_TRACE(size);
    const Bytes original = SampleBytes(size);
    DecompressBudget budget(1ull << 30, 64 * kMiB);
    {
      absl::StatusOr<HeldBytes> out = DecompressHeld(Compress(Compression::kZstd, original),
                                                     Compression::kZstd, "sample", 1ull << 30,
                                                     &budget);
      ASSERT_TRUE(out.ok()) << out.status();
      EXPECT_EQ(out->bytes, original);
      EXPECT_EQ(out->bytes.capacity(), original.size());
      EXPECT_EQ(budget.held(), original.size());
    }
    EXPECT_EQ(budget.held(), 0u);
    EXPECT_EQ(budget.left(), (1ull << 30) - original.size());
  }
}

// A bomb stops where the budget can hold no more of it, however large the
// per-file limit, and gives back what it held.
TEST(DecompressHeld, StopsAtTheHeldLimit) {
  const Bytes bomb = Compress(Compression::kZstd, Bytes(64 * kMiB, 0));
  DecompressBudget budget(1ull << 30, 16 * kMiB);
  ASSERT_TRUE(budget.Hold(4 * kMiB));  // another thread's
  absl::StatusOr<HeldBytes> out =
      DecompressHeld(bomb, Compression::kZstd, "m.ko.zst", 1ull << 30, &budget);
  EXPECT_EQ(out.status().code(), absl::StatusCode::kResourceExhausted);
  EXPECT_EQ(out.status().message(),
            "m.ko.zst: decompressed data held at once exceeds the limit of 16 MiB for one input "
            "(a decompression bomb?)");
  EXPECT_EQ(budget.held(), 4 * kMiB);
  budget.Release(4 * kMiB);
  // Uncompressed input is held too.
  const Bytes raw = SampleBytes(17 * kMiB);
  out = DecompressHeld(raw, Compression::kNone, "m.ko", 1ull << 30, &budget);
  EXPECT_EQ(out.status().code(), absl::StatusCode::kResourceExhausted);
  EXPECT_EQ(budget.held(), 0u);
}

TEST(DecompressBudget, HoldsUpToItsLimit) {
  DecompressBudget budget(1ull << 30, 100);
  EXPECT_TRUE(budget.Hold(60));
  EXPECT_FALSE(budget.Hold(41));
  EXPECT_EQ(budget.held(), 60u);
  {
    BudgetHold hold(&budget, 40);
    ASSERT_TRUE(budget.Hold(40));
    EXPECT_FALSE(budget.Hold(1));
  }
  EXPECT_TRUE(budget.Hold(1));
  EXPECT_EQ(budget.held(), 61u);
}

// ---- unsupported formats ------------------------------------------------

TEST(Decompress, ReportsUnsupportedFormatsAsUnimplemented) {
  const Bytes payload = AsBytes("\x02\x21\x4c\x18 not really lz4");
  for (Compression kind :
       {Compression::kBzip2, Compression::kLz4, Compression::kLzo}) {
    absl::StatusOr<Bytes> out = Decompress(payload, kind, "vmlinuz-old");
    EXPECT_EQ(out.status().code(), absl::StatusCode::kUnimplemented);
    EXPECT_TRUE(MessageStartsWith(
        out.status(), "vmlinuz-old: " + std::string(CompressionName(kind)) +
                          " payloads are not supported; "));
  }
}

}  // namespace
}  // namespace kcontract
