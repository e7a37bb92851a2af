// Hostile .deb packages through the kcontract binary (issue 14), made here
// whatever they expand to: hard links, decompression bombs, members that
// are skipped. One error line, exit 1, in bounded time and memory: twice
// what the largest legitimate package needs at most.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string>
#include <string_view>

#include "gtest/gtest.h"
#include "tests/hostile_cli.h"
#include "tests/test_support.h"

namespace kcontract {
namespace {

namespace fs = std::filesystem;
using hostile::ExpectOneLineError;
using hostile::kMiB;
using hostile::Q;
using testing::CommandResult;
using testing::ReadFileOrDie;
using testing::RunCommand;
using testing::ScratchDir;
using testing::ShellQuote;
using testing::WriteFileOrDie;

// Hand-made archives at test time, small whatever they expand to: a zstd
// frame whose zeros are RLE blocks (4 bytes per 128 KiB), ustar entries and
// an ar archive around them.
class ZstdFrame {
 public:
  ZstdFrame() {
    Append32(0xFD2FB528u);
    out_.push_back(0x00);  // no content size, no checksum, no dictionary
    out_.push_back(0x38);  // window 128 KiB: blocks of up to 128 KiB
  }
  void Raw(ByteView bytes) {
    for (size_t at = 0; at < bytes.size(); at += kBlock) {
      const size_t n = std::min<size_t>(kBlock, bytes.size() - at);
      BlockHeader(n, /*type=*/0);
      out_.insert(out_.end(), bytes.begin() + at, bytes.begin() + at + n);
    }
  }
  void Zeros(uint64_t count) {
    for (; count > 0;) {
      const uint64_t n = std::min<uint64_t>(kBlock, count);
      BlockHeader(n, /*type=*/1);
      out_.push_back(0);
      count -= n;
    }
  }
  Bytes Finish() {
    BlockHeader(0, 0, /*last=*/true);
    return std::move(out_);
  }

 private:
  static constexpr size_t kBlock = 128 * 1024;
  void Append32(uint32_t v) {
    for (int i = 0; i < 4; ++i) out_.push_back(static_cast<uint8_t>(v >> (8 * i)));
  }
  void BlockHeader(uint64_t size, int type, bool last = false) {
    const uint32_t h = static_cast<uint32_t>(size << 3 | type << 1 | (last ? 1 : 0));
    for (int i = 0; i < 3; ++i) out_.push_back(static_cast<uint8_t>(h >> (8 * i)));
  }
  Bytes out_;
};

// A ustar header: a regular file of `size` bytes, or a hard link to `link`.
Bytes TarHeader(const std::string& name, uint64_t size, const std::string& link = "") {
  Bytes h(512, 0);
  auto put = [&h](size_t at, std::string_view text) {
    std::memcpy(h.data() + at, text.data(), text.size());
  };
  char field[16];
  put(0, name);
  put(100, "0000644");
  put(108, "0000000");
  put(116, "0000000");
  std::snprintf(field, sizeof(field), "%011llo", static_cast<unsigned long long>(size));
  put(124, field);
  put(136, "00000000000");
  h[156] = link.empty() ? '0' : '1';
  put(157, link);
  put(257, "ustar");
  put(263, "00");
  std::memset(h.data() + 148, ' ', 8);
  unsigned sum = 0;
  for (uint8_t b : h) sum += b;
  std::snprintf(field, sizeof(field), "%06o", sum);
  put(148, field);
  return h;
}
uint64_t TarPadding(uint64_t size) { return (512 - size % 512) % 512; }

// An ar archive as dpkg writes one: debian-binary, then the data member.
Bytes DebOf(const Bytes& data_tar, std::string_view name = "data.tar.zst") {
  std::string out = "!<arch>\n";
  auto member = [&out](std::string_view name, std::string_view bytes) {
    char header[61];
    std::snprintf(header, sizeof(header), "%-16s%-12s%-6s%-6s%-8s%-10zu`\n",
                  std::string(name).c_str(), "0", "0", "0", "100644", bytes.size());
    out += header;
    out += bytes;
    if (bytes.size() % 2) out += '\n';
  };
  member("debian-binary", "2.0\n");
  member(name, std::string_view(reinterpret_cast<const char*>(data_tar.data()), data_tar.size()));
  return Bytes(out.begin(), out.end());
}

// The command under /usr/bin/time: its result, peak RSS (MiB) and seconds.
struct Measured {
  CommandResult result;
  double rss_mib = 0;
  double seconds = 0;
};
Measured MeasureCli(const std::string& args) {
  const fs::path report = testing::ProcessScratch("hostile_time") / "time.txt";
  Measured m;
  const auto start = std::chrono::steady_clock::now();
  m.result = RunCommand("/usr/bin/time -f %M -o " + Q(report) + " timeout -s KILL 120 " +
                        ShellQuote(KCONTRACT_CLI) + " " + args);
  m.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  // Read as a number, GNU time's "Command exited with non-zero status 1"
  // line was 0, and every peak below was then met whatever it was.
  const Bytes bytes = ReadFileOrDie(report);
  const std::optional<long> kib = testing::GnuTimeMaxRssKib(AsText(bytes));
  EXPECT_TRUE(kib.has_value()) << "GNU time's report: " << AsText(bytes);
  m.rss_mib = static_cast<double>(kib.value_or(0)) / 1024;
  return m;
}

// Peak RSS of `kernel show` on the largest legitimate package, Debian's
// full linux-image-6.1.0-50-amd64 (70 MB, 4,022 modules; 223 MiB before
// decompressed output grew by chunks): no hostile package may take more
// than twice that (issue 14).
constexpr double kLegitimatePackagePeakMiB = 185;

// The bound under which `plain_mib` holds for the build under test.
double PeakBoundMiB(double plain_mib) {
  return static_cast<double>(testing::CliPeakRssBoundKib(static_cast<long>(plain_mib * 1024))) /
         1024;
}

// Modules, each compressed to a few KB, that expand to `size` bytes.
Bytes ModuleBombDeb(int count, uint64_t size) {
  ZstdFrame module;
  module.Zeros(size);
  const Bytes ko = module.Finish();
  Bytes tar_bytes;
  for (int i = 0; i < count; ++i) {
    Bytes h = TarHeader("./lib/modules/6.1.0/kernel/m" + std::to_string(i) + ".ko.zst",
                        ko.size());
    tar_bytes.insert(tar_bytes.end(), h.begin(), h.end());
    tar_bytes.insert(tar_bytes.end(), ko.begin(), ko.end());
    tar_bytes.resize(tar_bytes.size() + TarPadding(ko.size()), 0);
  }
  ZstdFrame tar;
  tar.Raw(tar_bytes);
  tar.Zeros(1024);
  return DebOf(tar.Finish());
}

// One 100 MB member and 30 hard links to it: each link copied the member
// (27 s, 2.2 GB). A link shares its target's bytes and adds nothing to read.
TEST(HostileDeb, HardLinksShareTheirTargetsBytes) {
  if (!fs::exists("/usr/bin/time")) GTEST_SKIP() << "no /usr/bin/time";
  const fs::path dir = ScratchDir("HostileDeb_HardLinks");
  constexpr uint64_t kMember = 100 * kMiB;
  ZstdFrame tar;
  tar.Raw(TarHeader("./boot/vmlinuz-6.1.0-hostile", kMember));
  tar.Zeros(kMember + TarPadding(kMember));
  for (int i = 0; i < 30; ++i) {
    tar.Raw(TarHeader("./boot/vmlinuz-6.1.0-link" + std::to_string(i), 0,
                      "./boot/vmlinuz-6.1.0-hostile"));
  }
  tar.Zeros(1024);
  const fs::path deb = dir / "links.deb";
  WriteFileOrDie(deb, DebOf(tar.Finish()));
  ASSERT_LT(fs::file_size(deb), 32 * 1024u);
  Measured m = MeasureCli("kernel show --kernel " + Q(deb));
  ExpectOneLineError(m.result, deb, "no kernel BTF found");
  // Read once: the member (100 MiB) and its tarball's buffer, not 31 copies.
  EXPECT_LT(m.rss_mib, PeakBoundMiB(2 * kLegitimatePackagePeakMiB)) << "peak RSS";
  EXPECT_LT(m.seconds, 10);
}

// A real module and thousands of hard links to it: each link's module was
// a copy of the module's BTF, held until the package was read (20,000
// links to nf_conntrack's 28 KB of BTF: 645 MB at peak, and no error). The
// BTF a read keeps, copies included, is bounded as a snapshot's is
// (160 MiB).
TEST(HostileDeb, LinkedModulesCountAgainstTheKernelsBtfCeiling) {
  if (!fs::exists("/usr/bin/time")) GTEST_SKIP() << "no /usr/bin/time";
  const fs::path kernel = testing::SharedKernelDir("debian-6.1.0-50-amd64");
  KC_REQUIRE_PATH(kernel);
  const Bytes vmlinuz = ReadFileOrDie(kernel / "vmlinuz-6.1.0-50-amd64");
  const Bytes module = ReadFileOrDie(kernel / "modules" / "nf_conntrack.ko");
  const std::string target = "./lib/modules/6.1.0-50-amd64/kernel/nf_conntrack.ko";
  ZstdFrame tar;
  tar.Raw(TarHeader("./boot/vmlinuz-6.1.0-50-amd64", vmlinuz.size()));
  tar.Raw(vmlinuz);
  tar.Zeros(TarPadding(vmlinuz.size()));
  tar.Raw(TarHeader(target, module.size()));
  tar.Raw(module);
  tar.Zeros(TarPadding(module.size()));
  for (int i = 0; i < 20000; ++i) {
    tar.Raw(TarHeader("./lib/modules/6.1.0-50-amd64/kernel/l" + std::to_string(i) + ".ko", 0,
                      target));
  }
  tar.Zeros(1024);
  const fs::path deb = ScratchDir("HostileDeb_LinkedModules") / "linked.deb";
  WriteFileOrDie(deb, DebOf(tar.Finish()));
  Measured m = MeasureCli("kernel show --kernel " + Q(deb));
  ExpectOneLineError(m.result, deb,
                     "the kernel's BTF, vmlinux and modules together, exceeds the limit of "
                     "160 MiB");
  EXPECT_LT(m.rss_mib, PeakBoundMiB(2 * kLegitimatePackagePeakMiB)) << "peak RSS";
}

// Modules that each expand to 100 MiB: under the per-file limit, and
// together beyond what one input may decompress (50 such modules of 1 GB
// each took 4 min 21 s and decompressed 50 GB).
TEST(HostileDeb, DecompressionIsBoundedPerInputNotOnlyPerFile) {
  if (!fs::exists("/usr/bin/time")) GTEST_SKIP() << "no /usr/bin/time";
  const fs::path dir = ScratchDir("HostileDeb_Bomb");
  const fs::path deb = dir / "bomb.deb";
  WriteFileOrDie(deb, ModuleBombDeb(25, 100 * kMiB));
  Measured m = MeasureCli("kernel show --kernel " + Q(deb));
  ExpectOneLineError(m.result, deb,
                     "decompressed data exceeds the limit of 2048 MiB for one input, all its "
                     "compressed files together");
  EXPECT_LT(m.rss_mib, PeakBoundMiB(2 * kLegitimatePackagePeakMiB)) << "peak RSS";
  EXPECT_LT(m.seconds, 30);
}

// The bomb: 50 modules that each expand to 1 GB. Every thread
// decompressed one up to the per-file limit at once, each buffer doubling
// (3.9 GB at the peak on two threads). What a package's reading holds at
// once is bounded, whatever the threads.
TEST(HostileDeb, DecompressionBombHoldsBoundedMemory) {
  if (!fs::exists("/usr/bin/time")) GTEST_SKIP() << "no /usr/bin/time";
  const fs::path dir = ScratchDir("HostileDeb_BigModules");
  const fs::path deb = dir / "bomb.deb";
  WriteFileOrDie(deb, ModuleBombDeb(50, 1000ull * 1000 * 1000));
  for (const char* jobs : {"1", "2", "8"}) {
    SCOPED_TRACE(jobs);
    Measured m = MeasureCli("kernel show --jobs " + std::string(jobs) + " --kernel " + Q(deb));
    ExpectOneLineError(m.result, deb,
                       "decompressed data held at once exceeds the limit of 256 MiB for one "
                       "input");
    EXPECT_LT(m.rss_mib, PeakBoundMiB(2 * kLegitimatePackagePeakMiB)) << "peak RSS";
    EXPECT_LT(m.seconds, 10);
  }
}

// A member the reader skips is still decompressed to be skipped: a 10 GB
// one took 8 s, a terabyte would take minutes, and the streaming reader
// counted none of it. Members not read may declare 256 MiB together; a
// 3 GiB one is refused at its header, before any of it is decompressed.
TEST(HostileDeb, SkippedMemberIsRefusedAtItsHeader) {
  if (!fs::exists("/usr/bin/time")) GTEST_SKIP() << "no /usr/bin/time";
  const fs::path dir = ScratchDir("HostileDeb_Skipped");
  constexpr uint64_t kMember = 3ull << 30;
  ZstdFrame tar;
  tar.Raw(TarHeader("./usr/share/doc/huge", kMember));
  tar.Zeros(kMember + 1024);
  const fs::path deb = dir / "skipped.deb";
  WriteFileOrDie(deb, DebOf(tar.Finish()));
  Measured m = MeasureCli("kernel show --kernel " + Q(deb));
  ExpectOneLineError(m.result, deb,
                     "member usr/share/doc/huge: the members not read hold more than 256 MiB");
  EXPECT_LT(m.rss_mib, PeakBoundMiB(100)) << "peak RSS";
  EXPECT_LT(m.seconds, 5);
}

// The same in a data.tar.bz2, which libarchive decoded outside any budget at
// about 400 MB/s of zeros (3 GiB: 8 s of CPU; 10 GiB: 26 s). The member is
// bzip2 streams of 64 MiB of zeros, one after the other, as bzip2 reads
// concatenated streams.
TEST(HostileDeb, SkippedMemberOfABzip2DataMemberIsRefusedAtItsHeader) {
  if (!fs::exists("/usr/bin/time")) GTEST_SKIP() << "no /usr/bin/time";
  if (!testing::HaveTool("bzip2")) GTEST_SKIP() << "no bzip2";
  const fs::path dir = ScratchDir("HostileDeb_SkippedBzip2");
  constexpr uint64_t kMember = 3ull << 30, kPiece = 64 * kMiB;
  auto bzip2 = [&dir](const Bytes& raw) {
    WriteFileOrDie(dir / "raw", raw);
    CommandResult r = RunCommand("bzip2 -9 -c " + Q(dir / "raw") + " > " + Q(dir / "raw.bz2"));
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return ReadFileOrDie(dir / "raw.bz2");
  };
  Bytes data = bzip2(TarHeader("./usr/share/doc/huge", kMember));
  const Bytes zeros = bzip2(Bytes(kPiece, 0));
  for (uint64_t at = 0; at < kMember; at += kPiece) {
    data.insert(data.end(), zeros.begin(), zeros.end());
  }
  const Bytes end = bzip2(Bytes(1024, 0));
  data.insert(data.end(), end.begin(), end.end());
  const fs::path deb = dir / "skipped.deb";
  WriteFileOrDie(deb, DebOf(data, "data.tar.bz2"));
  Measured m = MeasureCli("kernel show --kernel " + Q(deb));
  ExpectOneLineError(m.result, deb,
                     "member usr/share/doc/huge: the members not read hold more than 256 MiB");
  EXPECT_LT(m.rss_mib, PeakBoundMiB(100)) << "peak RSS";
  EXPECT_LT(m.seconds, 5);
}

// What the data member decompresses to counts against the per-input
// ceiling whether the reader keeps it or not: 22 modules of 100 MiB of
// zeros (no BTF in them) are 2.2 GiB of data.tar. The streaming reader
// counted none of the data member and read them all.
TEST(HostileDeb, DataMemberCountsAgainstTheLimit) {
  if (!fs::exists("/usr/bin/time")) GTEST_SKIP() << "no /usr/bin/time";
  const fs::path dir = ScratchDir("HostileDeb_DataMember");
  constexpr uint64_t kModule = 100 * kMiB;
  ZstdFrame tar;
  for (int i = 0; i < 22; ++i) {
    tar.Raw(TarHeader("./lib/modules/6.1.0/kernel/m" + std::to_string(i) + ".ko", kModule));
    tar.Zeros(kModule);
  }
  tar.Zeros(1024);
  const fs::path deb = dir / "data.deb";
  WriteFileOrDie(deb, DebOf(tar.Finish()));
  Measured m = MeasureCli("kernel show --kernel " + Q(deb));
  ExpectOneLineError(m.result, deb,
                     "data.tar.zst: decompressed data exceeds the limit of 2048 MiB for one "
                     "input, all its compressed files together");
  EXPECT_LT(m.seconds, 30);
}

// A plain data.tar whose one object's header declares 1 GiB and holds 64
// bytes, read as `gate` reads packages: the header presizes the object's
// buffer only up to 16 MiB before any byte of it is read, and the row says
// the package is cut short.
TEST(HostileDeb, GateReadsAHeaderThatDeclaresMoreThanItHoldsInBoundedMemory) {
  if (!fs::exists("/usr/bin/time")) GTEST_SKIP() << "no /usr/bin/time";
  const fs::path kernel = testing::SharedKernelDir("host-6.18.44") / "vmlinux.btf";
  KC_REQUIRE_PATH(kernel);
  const fs::path dir = ScratchDir("HostileDeb_LyingHeader");
  Bytes tar = TarHeader("./usr/lib/bpf/x.bpf.o", 1ull << 30);
  const std::string elf = "\x7f" "ELF";
  tar.insert(tar.end(), elf.begin(), elf.end());
  tar.resize(tar.size() + 60, 0);
  const fs::path deb = dir / "lying.deb";
  WriteFileOrDie(deb, DebOf(tar, "data.tar"));
  Measured m = MeasureCli("gate --no-default-manifests --progress never --kernel " + Q(kernel) +
                          " " + Q(deb));
  EXPECT_EQ(m.result.exit_code, 1) << m.result.err;
  EXPECT_NE(m.result.out.find(deb.string() + "  unreadable: corrupt package: data.tar: "
                              "usr/lib/bpf/x.bpf.o: Truncated tar archive"),
            std::string::npos)
      << m.result.out;
  EXPECT_LT(m.rss_mib, PeakBoundMiB(100)) << "peak RSS";
}

}  // namespace
}  // namespace kcontract
