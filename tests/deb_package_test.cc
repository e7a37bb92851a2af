#include "btfdiff/source/deb_package.h"

#include <algorithm>
#include <filesystem>
#include <regex>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "gtest/gtest.h"
#include "tests/test_support.h"

namespace kcontract {
namespace {

namespace fs = std::filesystem;
using testing::ReadFileOrDie;
using testing::RunCommand;
using testing::WriteFileOrDie;

::testing::AssertionResult MessageStartsWith(const absl::Status& status,
                                             std::string_view prefix) {
  if (std::string(status.message()).starts_with(prefix)) {
    return ::testing::AssertionSuccess();
  }
  return ::testing::AssertionFailure()
         << "status " << status << " does not start with \"" << prefix << "\"";
}

Bytes AsBytes(std::string_view s) { return Bytes(s.begin(), s.end()); }

bool AcceptAll(std::string_view) { return true; }

const Bytes& KernelBytes() {
  static const Bytes* bytes = [] {
    auto* b = new Bytes(200000);
    for (size_t i = 0; i < b->size(); ++i)
      (*b)[i] = static_cast<uint8_t>(i % 251);
    return b;
  }();
  return *bytes;
}

const Bytes& ModuleBytes() {
  static const Bytes* bytes =
      new Bytes(AsBytes(std::string("\177ELF module a", 12)));
  return *bytes;
}

std::string Quote(const fs::path& p) { return "'" + p.string() + "'"; }

// Builds a package with dpkg-deb from a small kernel-like tree:
//   boot/vmlinuz-x, boot/vmlinuz -> vmlinuz-x, lib/modules/x/kernel/a.ko
// and, when asked, lib/modules/x/kernel/b.ko as a hard link to a.ko.
// Returns the path of the .deb.
fs::path BuildDeb(const fs::path& dir, const std::string& compressor,
                  bool hard_link = false) {
  const fs::path root = dir / "pkg";
  fs::create_directories(root / "DEBIAN");
  fs::create_directories(root / "boot");
  fs::create_directories(root / "lib/modules/x/kernel");
  WriteFileOrDie(root / "DEBIAN/control",
                 AsBytes("Package: kc-test\nVersion: 1.0\nArchitecture: all\n"
                         "Maintainer: Test <test@example.org>\n"
                         "Description: kcontract test package\n"));
  WriteFileOrDie(root / "boot/vmlinuz-x", KernelBytes());
  fs::create_symlink("vmlinuz-x", root / "boot/vmlinuz");
  WriteFileOrDie(root / "lib/modules/x/kernel/a.ko", ModuleBytes());
  if (hard_link) {
    fs::create_hard_link(root / "lib/modules/x/kernel/a.ko",
                         root / "lib/modules/x/kernel/b.ko");
  }
  const fs::path deb = dir / "pkg.deb";
  const testing::CommandResult built =
      RunCommand("dpkg-deb --root-owner-group -Z" + compressor + " --build " +
                 Quote(root) + " " + Quote(deb));
  EXPECT_EQ(built.exit_code, 0) << built.err;
  return deb;
}

std::vector<std::string> Paths(const std::vector<PackageFile>& files) {
  std::vector<std::string> paths;
  for (const PackageFile& f : files) paths.push_back(f.path);
  return paths;
}

#define REQUIRE_TOOL(name) \
  if (!testing::HaveTool(name)) GTEST_SKIP() << "needs " << (name)

// ---- packages built by dpkg-deb -------------------------------------------

class DebCompression : public ::testing::TestWithParam<std::string> {};

TEST_P(DebCompression, ReadsRegularFilesOfPackage) {
  REQUIRE_TOOL("dpkg-deb");
  const fs::path deb =
      BuildDeb(testing::ScratchDir("DebRead_" + GetParam()), GetParam());
  const Bytes bytes = ReadFileOrDie(deb);
  EXPECT_TRUE(IsDebPackage(bytes));
  absl::StatusOr<std::vector<PackageFile>> files =
      ReadDebFiles(bytes, "pkg.deb", AcceptAll);
  ASSERT_TRUE(files.ok()) << files.status();
  // No directories, no symlink, no control files, no "./" prefixes.
  EXPECT_EQ(Paths(*files), (std::vector<std::string>{
                               "boot/vmlinuz-x", "lib/modules/x/kernel/a.ko"}));
  ASSERT_EQ(files->size(), 2u);
  EXPECT_EQ(*(*files)[0].contents, KernelBytes());
  EXPECT_EQ(*(*files)[1].contents, ModuleBytes());
}

INSTANTIATE_TEST_SUITE_P(Compressors, DebCompression,
                         ::testing::Values("gzip", "xz", "zstd", "none"));

TEST(DebPackage, ReturnsOnlyFilesTheCallerWants) {
  REQUIRE_TOOL("dpkg-deb");
  const Bytes bytes =
      ReadFileOrDie(BuildDeb(testing::ScratchDir("DebWant"), "xz"));
  std::vector<std::string> asked;
  absl::StatusOr<std::vector<PackageFile>> files =
      ReadDebFiles(bytes, "pkg.deb", [&asked](std::string_view path) {
        asked.emplace_back(path);
        return path.ends_with(".ko");
      });
  ASSERT_TRUE(files.ok()) << files.status();
  EXPECT_EQ(Paths(*files),
            (std::vector<std::string>{"lib/modules/x/kernel/a.ko"}));
  // Only regular files are offered to the predicate.
  std::sort(asked.begin(), asked.end());
  EXPECT_EQ(asked, (std::vector<std::string>{"boot/vmlinuz-x",
                                             "lib/modules/x/kernel/a.ko"}));
}

TEST(DebPackage, ResolvesHardLinkToSelectedFile) {
  REQUIRE_TOOL("dpkg-deb");
  const Bytes bytes = ReadFileOrDie(
      BuildDeb(testing::ScratchDir("DebHardLink"), "xz", /*hard_link=*/true));
  absl::StatusOr<std::vector<PackageFile>> files =
      ReadDebFiles(bytes, "pkg.deb",
                   [](std::string_view path) { return path.ends_with(".ko"); });
  ASSERT_TRUE(files.ok()) << files.status();
  ASSERT_EQ(files->size(), 2u);
  for (const PackageFile& f : *files)
    EXPECT_EQ(*f.contents, ModuleBytes()) << f.path;
  // The link shares its target's bytes: never a copy.
  EXPECT_EQ((*files)[0].contents, (*files)[1].contents);
  EXPECT_EQ((*files)[0].link_target, "");
  EXPECT_EQ((*files)[1].link_target, (*files)[0].path);
}

TEST(DebPackage, ReportsHardLinkToUnselectedFile) {
  REQUIRE_TOOL("dpkg-deb");
  const Bytes bytes = ReadFileOrDie(BuildDeb(
      testing::ScratchDir("DebHardLinkUnselected"), "xz", /*hard_link=*/true));
  // tar stores the first name as the file and the second as a link to it.
  absl::StatusOr<std::vector<PackageFile>> files = ReadDebFiles(
      bytes, "pkg.deb",
      [](std::string_view path) { return path.ends_with("b.ko"); });
  EXPECT_EQ(files.status().code(), absl::StatusCode::kUnimplemented);
  EXPECT_EQ(files.status().message(),
            "pkg.deb: lib/modules/x/kernel/b.ko is a hard link to "
            "lib/modules/x/kernel/a.ko, which the caller did not select");
}

// ---- limits ---------------------------------------------------------------

TEST(DebPackage, RejectsFileBeyondSizeLimit) {
  REQUIRE_TOOL("dpkg-deb");
  const Bytes bytes =
      ReadFileOrDie(BuildDeb(testing::ScratchDir("DebFileLimit"), "xz"));
  DebReadLimits limits;
  limits.max_file_size = 1000;
  absl::StatusOr<std::vector<PackageFile>> files =
      ReadDebFiles(bytes, "pkg.deb", AcceptAll, limits);
  EXPECT_EQ(files.status().code(), absl::StatusCode::kResourceExhausted);
  EXPECT_EQ(files.status().message(),
            "pkg.deb: member boot/vmlinuz-x exceeds the size limit of 1000 "
            "bytes");
}

TEST(DebPackage, RejectsSelectionBeyondTotalLimit) {
  REQUIRE_TOOL("dpkg-deb");
  const Bytes bytes =
      ReadFileOrDie(BuildDeb(testing::ScratchDir("DebTotalLimit"), "xz"));
  DebReadLimits limits;
  limits.max_total_size = KernelBytes().size() + 4;  // a.ko does not fit
  absl::StatusOr<std::vector<PackageFile>> files =
      ReadDebFiles(bytes, "pkg.deb", AcceptAll, limits);
  EXPECT_EQ(files.status().code(), absl::StatusCode::kResourceExhausted);
  EXPECT_TRUE(MessageStartsWith(
      files.status(),
      "pkg.deb: member lib/modules/x/kernel/a.ko exceeds the size limit"));

  // Files the caller skips do not count.
  files = ReadDebFiles(
      bytes, "pkg.deb",
      [](std::string_view path) { return path.ends_with(".ko"); }, limits);
  EXPECT_TRUE(files.ok()) << files.status();
}

// ---- streaming ---------------------------------------------------------------

absl::StatusOr<std::vector<StreamedFile>> Stream(ByteView deb, const DebStreamOptions& options,
                                                 std::string_view what = "pkg.deb") {
  std::vector<StreamedFile> files;
  absl::Status status = StreamDebFiles(deb, what, AcceptAll, [&](StreamedFile f) {
    files.push_back(std::move(f));
    return absl::OkStatus();
  }, options);
  if (!status.ok()) return status;
  return files;
}

class DebStream : public ::testing::TestWithParam<std::string> {};

TEST_P(DebStream, HandsOnTheFilesReadDebFilesReturns) {
  REQUIRE_TOOL("dpkg-deb");
  const Bytes bytes = ReadFileOrDie(
      BuildDeb(testing::ScratchDir("DebStream_" + GetParam()), GetParam(), /*hard_link=*/true));
  for (unsigned threads : {1u, 2u}) {
    DebStreamOptions options;
    options.threads = threads;
    absl::StatusOr<std::vector<StreamedFile>> files = Stream(bytes, options);
    ASSERT_TRUE(files.ok()) << files.status();
    ASSERT_EQ(files->size(), 3u);
    EXPECT_EQ((*files)[0].path, "boot/vmlinuz-x");
    EXPECT_EQ((*files)[0].contents, KernelBytes());
    EXPECT_EQ((*files)[1].path, "lib/modules/x/kernel/a.ko");
    EXPECT_EQ((*files)[1].contents, ModuleBytes());
    // The link comes as a link, for the caller to resolve to what it kept.
    EXPECT_EQ((*files)[2].path, "lib/modules/x/kernel/b.ko");
    EXPECT_TRUE((*files)[2].contents.empty());
    EXPECT_EQ((*files)[2].hard_link, "lib/modules/x/kernel/a.ko");
  }
}

INSTANTIATE_TEST_SUITE_P(Compressors, DebStream,
                         ::testing::Values("gzip", "xz", "zstd", "none"));

TEST(DebStream, DecompressedBytesCountAgainstTheBudget) {
  REQUIRE_TOOL("dpkg-deb");
  const Bytes bytes = ReadFileOrDie(BuildDeb(testing::ScratchDir("DebStreamBudget"), "xz"));
  DecompressBudget budget(KernelBytes().size() / 2);
  DebStreamOptions options;
  options.budget = &budget;
  absl::StatusOr<std::vector<StreamedFile>> files = Stream(bytes, options);
  EXPECT_EQ(files.status().code(), absl::StatusCode::kResourceExhausted) << files.status();
  EXPECT_TRUE(MessageStartsWith(files.status(), "pkg.deb: data.tar.xz: decompressed data "
                                                "exceeds the limit"));
  options.max_file_size = KernelBytes().size() - 1;
  options.budget = nullptr;
  files = Stream(bytes, options);
  EXPECT_TRUE(MessageStartsWith(files.status(),
                                "pkg.deb: member boot/vmlinuz-x exceeds the size limit"));
}

// Each file handed on is held from before it is read, until the visitor
// drops it: a file larger than what may be held is refused unread.
TEST(DebStream, FilesAreHeldUntilTheVisitorDropsThem) {
  REQUIRE_TOOL("dpkg-deb");
  const Bytes bytes = ReadFileOrDie(BuildDeb(testing::ScratchDir("DebStreamHeld"), "zstd"));
  DecompressBudget budget(1ull << 30, KernelBytes().size() + ModuleBytes().size());
  DebStreamOptions options;
  options.budget = &budget;
  std::vector<StreamedFile> kept;
  absl::Status status = StreamDebFiles(bytes, "pkg.deb", AcceptAll, [&](StreamedFile f) {
    EXPECT_EQ(budget.held(), KernelBytes().size() + (kept.empty() ? 0 : ModuleBytes().size()));
    kept.push_back(std::move(f));
    return absl::OkStatus();
  }, options);
  ASSERT_TRUE(status.ok()) << status;
  kept.clear();
  EXPECT_EQ(budget.held(), 0u);

  DecompressBudget small(1ull << 30, KernelBytes().size() - 1);
  options.budget = &small;
  absl::StatusOr<std::vector<StreamedFile>> files = Stream(bytes, options);
  EXPECT_EQ(files.status().message(),
            "pkg.deb:boot/vmlinuz-x: decompressed data held at once exceeds the limit of 1 MiB "
            "for one input (a decompression bomb?)");
  EXPECT_EQ(small.held(), 0u);
}

// dpkg-deb no longer writes data.tar.bz2 (deb(5) still allows it): the
// package BuildDeb makes, its data member recompressed with bzip2.
fs::path BuildBzip2Deb(const fs::path& dir) {
  const fs::path deb = BuildDeb(dir, "xz");
  const testing::CommandResult repacked = RunCommand(
      "cd " + Quote(dir) + " && ar x pkg.deb && xz -d data.tar.xz && bzip2 data.tar && "
      "ar rc pkg-bz2.deb debian-binary control.tar.xz data.tar.bz2");
  EXPECT_EQ(repacked.exit_code, 0) << repacked.err;
  return dir / "pkg-bz2.deb";
}

// bzip2 data members were decoded by libarchive inside the tar reader,
// outside the budget: a member skipped there cost its full decompression.
TEST(DebStream, Bzip2DataMemberIsReadThroughTheBudget) {
  REQUIRE_TOOL("dpkg-deb");
  REQUIRE_TOOL("bzip2");
  REQUIRE_TOOL("ar");
  const Bytes bytes = ReadFileOrDie(BuildBzip2Deb(testing::ScratchDir("DebStreamBzip2")));
  absl::StatusOr<std::vector<StreamedFile>> files = Stream(bytes, {});
  ASSERT_TRUE(files.ok()) << files.status();
  ASSERT_EQ(files->size(), 2u);
  EXPECT_EQ((*files)[0].path, "boot/vmlinuz-x");
  EXPECT_EQ((*files)[0].contents, KernelBytes());
  EXPECT_EQ((*files)[1].contents, ModuleBytes());

  // The kernel's 200 KB, unselected, are decompressed to be skipped: they
  // count.
  DecompressBudget budget(KernelBytes().size() / 2);
  DebStreamOptions options;
  options.budget = &budget;
  std::vector<std::string> visited;
  absl::Status status = StreamDebFiles(
      bytes, "pkg.deb", [](std::string_view path) { return !path.starts_with("boot/"); },
      [&](StreamedFile f) {
        visited.push_back(f.path);
        return absl::OkStatus();
      },
      options);
  EXPECT_EQ(status.code(), absl::StatusCode::kResourceExhausted) << status;
  EXPECT_TRUE(MessageStartsWith(status, "pkg.deb: data.tar.bz2: decompressed data exceeds the "
                                        "limit of 1 MiB for one input"));
  EXPECT_TRUE(visited.empty());

  // A damaged stream is named as corrupt, with the member, in the
  // decoder's words wherever the damage is: the tar reader, handed the
  // garbage a block decodes to before its CRC is checked, used to speak
  // first ("Unrecognized archive format", 3 of 30 damaged packages).
  const std::regex decoder_words(
      "pkg\\.deb: corrupt package: data\\.tar\\.bz2: "
      "(bzip decompression failed|truncated bzip2 input)");
  const std::string_view text(reinterpret_cast<const char*>(bytes.data()), bytes.size());
  const size_t member = text.find("data.tar.bz2");
  ASSERT_NE(member, std::string_view::npos);
  const size_t data = member + 60;  // after the member's ar header
  for (int part = 0; part <= 16; ++part) {
    Bytes damaged = bytes;
    const size_t at = data + 64 + (bytes.size() - data - 84) * part / 16;
    SCOPED_TRACE(at);
    for (size_t i = at; i < at + 20; ++i) damaged[i] ^= 0x5a;
    files = Stream(damaged, {});
    ASSERT_FALSE(files.ok());
    EXPECT_EQ(files.status().code(), absl::StatusCode::kDataLoss) << files.status();
    EXPECT_TRUE(std::regex_match(std::string(files.status().message()), decoder_words))
        << files.status();
  }
}

TEST(DebStream, TruncatedPackageIsCorrupt) {
  REQUIRE_TOOL("dpkg-deb");
  const Bytes bytes = ReadFileOrDie(BuildDeb(testing::ScratchDir("DebStreamCut"), "xz"));
  for (size_t keep : {bytes.size() - 1, bytes.size() - 100, bytes.size() / 2, size_t{100}}) {
    SCOPED_TRACE(keep);
    absl::StatusOr<std::vector<StreamedFile>> files =
        Stream(ByteView(bytes).first(keep), {}, "cut.deb");
    ASSERT_FALSE(files.ok());
    EXPECT_EQ(files.status().code(), absl::StatusCode::kDataLoss) << files.status();
    EXPECT_TRUE(MessageStartsWith(files.status(), "cut.deb: ")) << files.status();
  }
}

// ---- broken and foreign inputs -----------------------------------------

TEST(DebPackage, RejectsTruncatedPackage) {
  REQUIRE_TOOL("dpkg-deb");
  const Bytes bytes =
      ReadFileOrDie(BuildDeb(testing::ScratchDir("DebTruncated"), "xz"));
  for (size_t keep : {bytes.size() - 1, bytes.size() - 100, bytes.size() / 2,
                      size_t{100}, size_t{8}}) {
    SCOPED_TRACE(keep);
    absl::StatusOr<std::vector<PackageFile>> files =
        ReadDebFiles(ByteView(bytes).first(keep), "cut.deb", AcceptAll);
    ASSERT_FALSE(files.ok());
    EXPECT_TRUE(MessageStartsWith(files.status(), "cut.deb: "));
    // The last cut leaves only the ar signature: no members at all.
    if (keep > 8) {
      EXPECT_EQ(files.status().code(), absl::StatusCode::kDataLoss);
      EXPECT_TRUE(
          MessageStartsWith(files.status(), "cut.deb: corrupt package: "));
    }
  }
}

TEST(DebPackage, RejectsArArchiveWithoutDataMember) {
  REQUIRE_TOOL("ar");
  const fs::path dir = testing::ScratchDir("DebNotDeb");
  WriteFileOrDie(dir / "one.txt", AsBytes("one\n"));
  WriteFileOrDie(dir / "two.txt", AsBytes("two\n"));
  ASSERT_EQ(RunCommand("cd " + Quote(dir) + " && ar rc lib.a one.txt two.txt")
                .exit_code,
            0);
  const Bytes bytes = ReadFileOrDie(dir / "lib.a");
  EXPECT_FALSE(IsDebPackage(bytes));
  absl::StatusOr<std::vector<PackageFile>> files =
      ReadDebFiles(bytes, "lib.a", AcceptAll);
  EXPECT_EQ(files.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(files.status().message(),
            "lib.a: not a Debian package (no data.tar member)");
}

TEST(DebPackage, RejectsCorruptDataMember) {
  REQUIRE_TOOL("ar");
  const fs::path dir = testing::ScratchDir("DebCorruptData");
  WriteFileOrDie(dir / "debian-binary", AsBytes("2.0\n"));
  WriteFileOrDie(dir / "control.tar.xz", AsBytes("not really xz"));
  // xz magic, then garbage: the filter is chosen, then fails.
  WriteFileOrDie(
      dir / "data.tar.xz",
      AsBytes(std::string("\xfd\x37\x7a\x58\x5a\x00 and then garbage", 23)));
  ASSERT_EQ(RunCommand("cd " + Quote(dir) +
                       " && ar rc bad.deb debian-binary control.tar.xz "
                       "data.tar.xz")
                .exit_code,
            0);
  const Bytes bytes = ReadFileOrDie(dir / "bad.deb");
  EXPECT_TRUE(IsDebPackage(bytes));
  absl::StatusOr<std::vector<PackageFile>> files =
      ReadDebFiles(bytes, "bad.deb", AcceptAll);
  EXPECT_EQ(files.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_TRUE(MessageStartsWith(files.status(),
                                "bad.deb: corrupt package: data.tar.xz: "));
}

TEST(DebPackage, RejectsEmptyInput) {
  EXPECT_FALSE(IsDebPackage({}));
  absl::StatusOr<std::vector<PackageFile>> files =
      ReadDebFiles({}, "empty.deb", AcceptAll);
  EXPECT_EQ(files.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(files.status().message(),
            "empty.deb: not a Debian package (empty file)");
}

TEST(DebPackage, RejectsNonArchive) {
  const Bytes text = AsBytes("Package: not-a-deb\nVersion: 1\n");
  EXPECT_FALSE(IsDebPackage(text));
  absl::StatusOr<std::vector<PackageFile>> files =
      ReadDebFiles(text, "x.deb", AcceptAll);
  EXPECT_EQ(files.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(files.status().message(),
            "x.deb: not a Debian package (no ar archive signature)");
}

}  // namespace
}  // namespace kcontract
