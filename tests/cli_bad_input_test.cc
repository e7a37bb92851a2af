// Bad kernel sources through the kcontract binary: every one fails with
// exactly one line on stderr naming the file and what is wrong, exit code 1,
// no crash and no sanitizer report, in bounded time and memory; a failing
// `btf extract` leaves no output behind. Usage errors exit 2.
#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_join.h"
#include "btfdiff/base/bytes.h"
#include "gtest/gtest.h"
#include "tests/test_support.h"

namespace kcontract {
namespace {

namespace fs = std::filesystem;
using testing::ReadFileOrDie;
using testing::RunCli;
using testing::RunCommand;
using testing::ScratchDir;
using testing::SharedKernelDir;
using testing::WriteFileOrDie;

constexpr long kMiB = 1024;  // ru_maxrss is in KiB
constexpr long kGiB = 1024 * kMiB;

std::string Quote(const fs::path& p) { return "'" + p.string() + "'"; }

#define REQUIRE_TOOL(name) \
  if (!testing::HaveTool(name)) GTEST_SKIP() << "needs " << (name)

// ---- running the CLI with time and memory measured -----------------------

struct Measured {
  int exit_code = -1;  // 128 + signal when killed
  bool timed_out = false;
  std::string out;
  std::string err;
  double seconds = 0;
  long max_rss_kib = 0;  // the child's peak resident set
};

std::string Slurp(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// fork + exec of the CLI, in its own process group so that a timeout kills
// everything. The peak resident set comes from GNU time when installed: a
// forked child inherits its parent's high-water mark across exec, so
// wait4's ru_maxrss would count the test process too (an upper bound only,
// used when GNU time is missing).
Measured RunCliMeasured(const std::vector<std::string>& args, const fs::path& scratch,
                        double timeout_seconds) {
  const fs::path out_path = scratch / ".stdout";
  const fs::path err_path = scratch / ".stderr";
  const fs::path rss_path = scratch / ".maxrss";
  const bool gnu_time = access("/usr/bin/time", X_OK) == 0;
  std::vector<std::string> argv_storage;
  if (gnu_time) argv_storage = {"/usr/bin/time", "-f", "%M", "-o", rss_path.string()};
  argv_storage.push_back(KCONTRACT_CLI);
  argv_storage.insert(argv_storage.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (std::string& a : argv_storage) argv.push_back(a.data());
  argv.push_back(nullptr);

  const auto start = std::chrono::steady_clock::now();
  const pid_t pid = fork();
  if (pid == 0) {
    setpgid(0, 0);
    int in = open("/dev/null", O_RDONLY);
    int out = open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    int err = open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (in < 0 || out < 0 || err < 0) _exit(126);
    dup2(in, 0);
    dup2(out, 1);
    dup2(err, 2);
    execv(argv[0], argv.data());
    _exit(127);
  }
  Measured m;
  if (pid < 0) return m;
  setpgid(pid, pid);
  int status = 0;
  struct rusage usage {};
  while (true) {
    pid_t done = wait4(pid, &status, WNOHANG, &usage);
    if (done == pid) break;
    const double elapsed =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (elapsed > timeout_seconds && !m.timed_out) {
      m.timed_out = true;
      kill(-pid, SIGKILL);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  m.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  m.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  m.max_rss_kib = usage.ru_maxrss;
  if (gnu_time) {
    m.max_rss_kib = testing::GnuTimeMaxRssKib(Slurp(rss_path)).value_or(0);
    fs::remove(rss_path);
  }
  m.out = Slurp(out_path);
  m.err = Slurp(err_path);
  fs::remove(out_path);
  fs::remove(err_path);
  return m;
}

// ---- the bad inputs -----------------------------------------------------

fs::path Shared(const std::string& kernel, const std::string& file) {
  return SharedKernelDir(kernel) / file;
}
fs::path Host618Btf() { return Shared("host-6.18.44", "vmlinux.btf"); }
fs::path Vmlinuz61() { return Shared("debian-6.1.0-50-amd64", "vmlinuz-6.1.0-50-amd64"); }
fs::path Vmlinuz612() {
  return Shared("debian-6.12.111-amd64", "vmlinuz-6.12.111+deb12-amd64");
}

void PutLe32(Bytes& bytes, size_t offset, uint32_t value) {
  ASSERT_LE(offset + 4, bytes.size());
  std::memcpy(bytes.data() + offset, &value, 4);
}
uint32_t GetLe32(const Bytes& bytes, size_t offset) {
  uint32_t value = 0;
  std::memcpy(&value, bytes.data() + offset, 4);
  return value;
}

Bytes Prefix(const fs::path& path, size_t n) {
  Bytes bytes = ReadFileOrDie(path);
  bytes.resize(std::min(n, bytes.size()));
  return bytes;
}

// Where a bzImage's compressed payload sits: after the setup sectors, at
// payload_offset (0x248), payload_length (0x24c) bytes long.
struct PayloadPlace {
  size_t start;
  size_t length;
};
PayloadPlace FindPayload(const Bytes& image) {
  const size_t setup_sects = image[0x1f1] == 0 ? 4 : image[0x1f1];
  return {(setup_sects + 1) * 512 + GetLe32(image, 0x248), GetLe32(image, 0x24c)};
}

void Run(const std::string& command) {
  testing::CommandResult r = RunCommand(command);
  ASSERT_EQ(r.exit_code, 0) << command << ": " << r.err;
}

// A minimal Debian package: DEBIAN/control and the given files (path ->
// contents, or path -> source file to copy when `copy_from` is set).
fs::path BuildDeb(const fs::path& dir, const std::string& name,
                  const std::vector<std::pair<std::string, fs::path>>& files) {
  const fs::path root = dir / (name + ".root");
  fs::create_directories(root / "DEBIAN");
  const std::string control =
      "Package: " + name + "\nVersion: 1.0\nArchitecture: amd64\n"
      "Maintainer: Test <test@example.org>\nDescription: kcontract test\n";
  WriteFileOrDie(root / "DEBIAN/control", Bytes(control.begin(), control.end()));
  for (const auto& [path, source] : files) {
    fs::create_directories((root / path).parent_path());
    fs::copy_file(source, root / path);
  }
  const fs::path deb = dir / (name + ".deb");
  Run("dpkg-deb --root-owner-group -Zzstd --build " + Quote(root) + " " + Quote(deb) +
      " >/dev/null");
  fs::remove_all(root);
  return deb;
}

struct BadInput {
  std::string name;
  // Makes the input in `dir`; returns the --kernel argument (and may add
  // arguments, e.g. --base). Empty: skip (the reason was recorded).
  std::function<fs::path(const fs::path& dir, std::vector<std::string>* extra,
                         std::string* skip)>
      make;
  std::string what;          // in the error message
  double max_seconds = 10;
  long max_rss_kib = 512 * kMiB;
};

void PrintTo(const BadInput& b, std::ostream* os) { *os << b.name; }

// Writes a copy of the 6.18 raw BTF after `edit`.
auto EditedBtf(std::function<void(Bytes&)> edit) {
  return [edit](const fs::path& dir, std::vector<std::string>*, std::string*) {
    Bytes btf = ReadFileOrDie(Host618Btf());
    edit(btf);
    WriteFileOrDie(dir / "vmlinux.btf", btf);
    return dir / "vmlinux.btf";
  };
}

// Writes a copy of a shared bzImage after `edit`.
auto EditedImage(fs::path (*image)(), std::function<void(Bytes&)> edit) {
  return [image, edit](const fs::path& dir, std::vector<std::string>*, std::string*) {
    Bytes bytes = ReadFileOrDie(image());
    edit(bytes);
    WriteFileOrDie(dir / "vmlinuz", bytes);
    return dir / "vmlinuz";
  };
}

const std::vector<BadInput>& BadInputs() {
  static const std::vector<BadInput> inputs = {
      {"TruncatedBtf1000", EditedBtf([](Bytes& b) { b.resize(1000); }), "malformed BTF"},
      {"TruncatedBtfHalf", EditedBtf([](Bytes& b) { b.resize(b.size() / 2); }),
       "malformed BTF"},
      {"BtfWrongMagicAfterTwoBytes",
       EditedBtf([](Bytes& b) { b[2] = 0x7f; b[3] = 0xff; }), "unrecognised content"},
      {"BtfHugeHeaderLength", EditedBtf([](Bytes& b) { PutLe32(b, 4, 0xfffffff0u); }),
       "malformed BTF"},
      {"BtfTypeLengthPastEnd",
       EditedBtf([](Bytes& b) { PutLe32(b, 12, static_cast<uint32_t>(b.size())); }),
       "malformed BTF"},
      {"BtfStringsPastEnd",
       EditedBtf([](Bytes& b) { PutLe32(b, 16, 0x7fffff00u); }), "malformed BTF"},
      {"WrongMagic",
       [](const fs::path& dir, std::vector<std::string>*, std::string*) {
         WriteFileOrDie(dir / "vmlinux", Bytes(4096, 0x5a));
         return dir / "vmlinux";
       },
       "unrecognised content"},
      {"EmptyFile",
       [](const fs::path& dir, std::vector<std::string>*, std::string*) {
         WriteFileOrDie(dir / "vmlinux.btf", {});
         return dir / "vmlinux.btf";
       },
       "empty file"},
      {"BzImagePayloadOffsetPastEnd",
       EditedImage(Vmlinuz61, [](Bytes& b) { PutLe32(b, 0x248, b.size()); }),
       "payload lies outside the file"},
      {"BzImagePayloadLengthPastEnd",
       EditedImage(Vmlinuz61, [](Bytes& b) { PutLe32(b, 0x24c, 0xffffff00u); }),
       "payload lies outside the file"},
      {"BzImageCorruptXzPayload",
       EditedImage(Vmlinuz61,
                   [](Bytes& b) {
                     PayloadPlace p = FindPayload(b);
                     for (size_t i = 0; i < 64; ++i) b[p.start + p.length / 2 + i] ^= 0xff;
                   }),
       "corrupt xz stream"},
      {"BzImageCorruptZstdPayload",
       EditedImage(Vmlinuz612,
                   [](Bytes& b) {
                     PayloadPlace p = FindPayload(b);
                     for (size_t i = 0; i < 64; ++i) b[p.start + p.length / 2 + i] ^= 0xff;
                   }),
       "corrupt zstd stream"},
      {"BzImageTruncated", EditedImage(Vmlinuz61, [](Bytes& b) { b.resize(b.size() / 2); }),
       "payload lies outside the file"},
      {"BzImageTruncatedInBootHeader",
       EditedImage(Vmlinuz61, [](Bytes& b) { b.resize(0x210); }), "boot header is truncated"},
      {"ModuleWithoutBase",
       [](const fs::path& dir, std::vector<std::string>*, std::string*) {
         fs::copy_file(Shared("debian-6.1.0-50-amd64", "modules/nf_conntrack.ko"),
                       dir / "nf_conntrack.ko");
         return dir / "nf_conntrack.ko";
       },
       "give that kernel with --base"},
      {"CompressedModuleWithoutBase",
       [](const fs::path& dir, std::vector<std::string>*, std::string*) {
         fs::copy_file(Shared("debian-6.12.111-amd64", "modules/nf_conntrack.ko.xz"),
                       dir / "nf_conntrack.ko.xz");
         return dir / "nf_conntrack.ko.xz";
       },
       "give that kernel with --base"},
      {"TruncatedModuleWithBase",
       [](const fs::path& dir, std::vector<std::string>* extra, std::string*) {
         const fs::path ko = Shared("debian-6.12.111-amd64", "modules/nf_conntrack.ko.xz");
         WriteFileOrDie(dir / "nf_conntrack.ko.xz", Prefix(ko, fs::file_size(ko) / 2));
         *extra = {"--base", SharedKernelDir("debian-6.12.111-amd64").string()};
         return dir / "nf_conntrack.ko.xz";
       },
       "compressed stream is truncated"},
      {"DebWithoutKernel",
       [](const fs::path& dir, std::vector<std::string>*, std::string* skip) {
         if (!testing::HaveTool("dpkg-deb")) {
           *skip = "needs dpkg-deb";
           return fs::path();
         }
         return BuildDeb(dir, "no-kernel",
                         {{"lib/modules/6.1.0-50-amd64/kernel/net/netfilter/nf_conntrack.ko",
                           Shared("debian-6.1.0-50-amd64", "modules/nf_conntrack.ko")},
                          {"usr/share/doc/no-kernel/README",
                           Shared("debian-6.1.0-50-amd64", "config-6.1.0-50-amd64")}});
       },
       "package holds no kernel image"},
      {"DebTruncated",
       [](const fs::path& dir, std::vector<std::string>*, std::string* skip) {
         if (!testing::HaveTool("dpkg-deb")) {
           *skip = "needs dpkg-deb";
           return fs::path();
         }
         const fs::path deb = BuildDeb(
             dir, "linux-image-6.12.111+deb12-amd64",
             {{"boot/vmlinuz-6.12.111+deb12-amd64", Vmlinuz612()},
              {"boot/config-6.12.111+deb12-amd64",
               Shared("debian-6.12.111-amd64", "config-6.12.111+deb12-amd64")}});
         const Bytes half = Prefix(deb, fs::file_size(deb) / 2);
         fs::remove(deb);
         WriteFileOrDie(dir / "kernel.deb", half);
         return dir / "kernel.deb";
       },
       "truncated"},
      {"DebTruncatedBeforeData",
       [](const fs::path& dir, std::vector<std::string>*, std::string* skip) {
         if (!testing::HaveTool("dpkg-deb")) {
           *skip = "needs dpkg-deb";
           return fs::path();
         }
         const fs::path deb =
             BuildDeb(dir, "linux-image-6.12.111+deb12-amd64",
                      {{"boot/vmlinuz-6.12.111+deb12-amd64", Vmlinuz612()}});
         const Bytes head = Prefix(deb, 100);
         fs::remove(deb);
         WriteFileOrDie(dir / "kernel.deb", head);
         return dir / "kernel.deb";
       },
       "truncated"},
      {"DirectoryWithNothingUsable",
       [](const fs::path& dir, std::vector<std::string>*, std::string*) {
         const fs::path d = dir / "kernel";
         fs::create_directories(d / "sub");
         WriteFileOrDie(d / "README", Bytes(100, 'x'));
         WriteFileOrDie(d / "sub/vmlinuz-6.1.0", Bytes(8192, 0));
         fs::copy_file(Shared("debian-6.1.0-50-amd64", "config-6.1.0-50-amd64"),
                       d / "config-6.1.0-50-amd64");
         return d;
       },
       "no kernel BTF found"},
      {"GigabyteOfZeros",
       [](const fs::path& dir, std::vector<std::string>*, std::string*) {
         Run("truncate -s 1G " + Quote(dir / "zeros"));
         return dir / "zeros";
       },
       "unrecognised content", 10, 100 * kMiB},
      {"LargerThanInputLimit",
       [](const fs::path& dir, std::vector<std::string>*, std::string*) {
         Run("truncate -s 5G " + Quote(dir / "huge"));
         return dir / "huge";
       },
       "larger than the", 10, 100 * kMiB},
      {"CharacterDevice",
       [](const fs::path&, std::vector<std::string>*, std::string*) {
         return fs::path("/dev/zero");
       },
       "not a regular file", 10, 100 * kMiB},
      {"DecompressionBomb",
       [](const fs::path& dir, std::vector<std::string>*, std::string* skip) {
         if (!testing::HaveTool("zstd")) {
           *skip = "needs zstd";
           return fs::path();
         }
         // 2 GiB of zeros in ~70 KB, twice the 1 GiB default limit.
         Run("head -c 2G /dev/zero | zstd -q -1 > " + Quote(dir / "vmlinux.zst"));
         return dir / "vmlinux.zst";
       },
       "decompression bomb", 15, 1536 * kMiB},
      {"CompressedText",
       [](const fs::path& dir, std::vector<std::string>*, std::string*) {
         Run("echo hello | gzip > " + Quote(dir / "vmlinux.gz"));
         return dir / "vmlinux.gz";
       },
       "decompressed content is not BTF"},
      {"BpfObject",
       [](const fs::path& dir, std::vector<std::string>*, std::string* skip) {
         if (!testing::HaveTool("clang")) {
           *skip = "needs clang";
           return fs::path();
         }
         Run("echo 'int x;' > " + Quote(dir / "x.c"));
         Run("clang -target bpf -c " + Quote(dir / "x.c") + " -o " + Quote(dir / "x.o"));
         return dir / "x.o";
       },
       "a BPF object, not a kernel"},
      {"ElfWithoutBtf",
       [](const fs::path& dir, std::vector<std::string>*, std::string*) {
         fs::copy_file(fs::canonical("/proc/self/exe"), dir / "vmlinux");
         return dir / "vmlinux";
       },
       "no .BTF section"},
      {"KernelConfigAlone",
       [](const fs::path&, std::vector<std::string>*, std::string*) {
         return Shared("debian-6.1.0-50-amd64", "config-6.1.0-50-amd64");
       },
       "a kernel config holds no BTF"},
      {"NonexistentPath",
       [](const fs::path& dir, std::vector<std::string>*, std::string*) {
         return dir / "no" / "such-kernel";
       },
       "no such file or directory"},
      {"UnreadableDirectory",
       [](const fs::path& dir, std::vector<std::string>*, std::string* skip) {
         if (geteuid() == 0) {
           *skip = "root reads any directory: permissions are not testable";
           return fs::path();
         }
         fs::create_directories(dir / "locked");
         fs::permissions(dir / "locked", fs::perms::none);
         return dir / "locked";
       },
       "cannot read directory"},
  };
  return inputs;
}

class BadInputTest : public ::testing::TestWithParam<BadInput> {
 protected:
  void SetUp() override {
    for (const char* kernel : {"debian-6.1.0-50-amd64", "debian-6.12.111-amd64",
                               "host-6.18.44"}) {
      KC_REQUIRE_PATH(SharedKernelDir(kernel));
    }
  }
};

// One line, "kcontract: error: <file>: <what>", exit 1, within limits.
void ExpectCleanFailure(const Measured& m, const BadInput& input, const fs::path& source,
                        const std::string& command) {
  SCOPED_TRACE(command);
  EXPECT_FALSE(m.timed_out);
  EXPECT_EQ(m.exit_code, 1) << m.err;
  EXPECT_EQ(std::count(m.err.begin(), m.err.end(), '\n'), 1) << m.err;
  EXPECT_TRUE(m.err.ends_with("\n")) << m.err;
  EXPECT_TRUE(m.err.starts_with("kcontract: error: ")) << m.err;
  EXPECT_NE(m.err.find(source.string()), std::string::npos) << m.err;
  EXPECT_NE(m.err.find(input.what), std::string::npos) << m.err;
  EXPECT_EQ(m.err.find("Sanitizer"), std::string::npos) << m.err;
  EXPECT_EQ(m.err.find("runtime error"), std::string::npos) << m.err;
  const double time_limit = input.max_seconds * (testing::kAddressSanitized ? 4 : 1);
  EXPECT_LT(m.seconds, time_limit);
  EXPECT_LT(m.max_rss_kib, testing::CliPeakRssBoundKib(input.max_rss_kib));
  std::printf("[ measured ] %-28s %-12s exit %d  %6.2f s  peak %7ld KiB\n",
              input.name.c_str(), command.c_str(), m.exit_code, m.seconds, m.max_rss_kib);
}

// Nothing in `dir` but what was there before.
std::vector<std::string> Listing(const fs::path& dir) {
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(dir)) names.push_back(e.path().filename());
  std::sort(names.begin(), names.end());
  return names;
}

// Sparse giants stay out of the build tree once a test is done.
void RemoveBigFiles(const fs::path& dir) {
  std::error_code ec;
  for (const auto& e : fs::recursive_directory_iterator(dir, ec)) {
    if (e.is_regular_file(ec) && e.file_size(ec) > (64u << 20)) fs::remove(e.path(), ec);
  }
}

TEST_P(BadInputTest, KernelShowFailsCleanly) {
  const BadInput& input = GetParam();
  const fs::path dir = ScratchDir("BadInput_" + input.name);
  std::vector<std::string> extra;
  std::string skip;
  const fs::path source = input.make(dir, &extra, &skip);
  if (!skip.empty()) GTEST_SKIP() << skip;
  ASSERT_FALSE(HasFailure());

  std::vector<std::string> args = {"kernel", "show", "--kernel", source.string()};
  args.insert(args.end(), extra.begin(), extra.end());
  const Measured show = RunCliMeasured(args, dir, 120);
  RemoveBigFiles(dir);
  ExpectCleanFailure(show, input, source, "kernel show");
  EXPECT_EQ(show.out, "");
}

TEST_P(BadInputTest, BtfExtractFailsWithoutOutput) {
  const BadInput& input = GetParam();
  const fs::path dir = ScratchDir("BadExtract_" + input.name);
  std::vector<std::string> extra;
  std::string skip;
  const fs::path source = input.make(dir, &extra, &skip);
  if (!skip.empty()) GTEST_SKIP() << skip;
  ASSERT_FALSE(HasFailure());

  const fs::path out_dir = dir / "out";
  fs::create_directories(out_dir);
  std::vector<std::string> args = {"btf",      "extract", "--kernel", source.string(),
                                   "-o",       (out_dir / "vmlinux.btf").string(),
                                   "--base-out", (out_dir / "base.btf").string()};
  args.insert(args.end(), extra.begin(), extra.end());
  const Measured extract = RunCliMeasured(args, dir, 120);
  RemoveBigFiles(dir);
  ExpectCleanFailure(extract, input, source, "btf extract");
  EXPECT_EQ(Listing(out_dir), std::vector<std::string>{}) << "output left behind";
}

INSTANTIATE_TEST_SUITE_P(Inputs, BadInputTest, ::testing::ValuesIn(BadInputs()),
                         [](const ::testing::TestParamInfo<BadInput>& info) {
                           return info.param.name;
                         });

// ---- btf extract: output failures leave nothing behind -------------------

TEST(BtfExtract, UnwritableOutputLeavesNoFile) {
  KC_REQUIRE_PATH(Host618Btf());
  const fs::path dir = ScratchDir("ExtractUnwritable");
  // The output path is a directory: the rename into place fails.
  fs::create_directories(dir / "out.btf");
  testing::CommandResult r = RunCli("btf extract --kernel " + Quote(Host618Btf()) + " -o " +
                                    Quote(dir / "out.btf"));
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  EXPECT_NE(r.err.find((dir / "out.btf").string()), std::string::npos) << r.err;
  EXPECT_EQ(Listing(dir), std::vector<std::string>{"out.btf"});  // no temporary file
  EXPECT_TRUE(fs::is_empty(dir / "out.btf"));

  // A directory that does not exist.
  r = RunCli("btf extract --kernel " + Quote(Host618Btf()) + " -o " +
             Quote(dir / "missing" / "out.btf"));
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
}

TEST(BtfExtract, FailedOutputTakesBaseOutputWithIt) {
  const fs::path kernel = SharedKernelDir("debian-6.12.111-amd64");
  KC_REQUIRE_PATH(kernel);
  const fs::path dir = ScratchDir("ExtractBaseThenFail");
  fs::create_directories(dir / "out.btf");  // cannot become a file
  testing::CommandResult r =
      RunCli("btf extract --kernel " + Quote(kernel) + " --module nf_conntrack --base-out " +
             Quote(dir / "base.btf") + " -o " + Quote(dir / "out.btf"));
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  EXPECT_EQ(Listing(dir), std::vector<std::string>{"out.btf"}) << "base.btf left behind";
}

TEST(BtfExtract, UnknownModuleWritesNothing) {
  const fs::path kernel = SharedKernelDir("debian-6.1.0-50-amd64");
  KC_REQUIRE_PATH(kernel);
  const fs::path dir = ScratchDir("ExtractUnknownModule");
  testing::CommandResult r = RunCli("btf extract --kernel " + Quote(kernel) +
                                    " --module no_such_module -o " + Quote(dir / "out.btf"));
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  EXPECT_NE(r.err.find("no module no_such_module"), std::string::npos) << r.err;
  EXPECT_TRUE(fs::is_empty(dir));
}

TEST(BtfExtract, WritesThroughSymlinksAndPipes) {
  KC_REQUIRE_PATH(Host618Btf());
  const fs::path dir = ScratchDir("ExtractThroughLinks");
  const Bytes want = ReadFileOrDie(Host618Btf());
  // A symlink stays a symlink, as /dev/stdout must; its file gets the BTF.
  WriteFileOrDie(dir / "target.btf", {});
  fs::create_symlink("target.btf", dir / "link.btf");
  testing::CommandResult r = RunCli("btf extract --kernel " + Quote(Host618Btf()) + " -o " +
                                    Quote(dir / "link.btf"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(fs::is_symlink(dir / "link.btf"));
  EXPECT_EQ(ReadFileOrDie(dir / "target.btf"), want);

  // A pipe is written into, not replaced.
  ASSERT_EQ(mkfifo((dir / "fifo").c_str(), 0644), 0);
  r = RunCommand("timeout 20 cat " + Quote(dir / "fifo") + " > " +
                 Quote(dir / "from-fifo.btf") + " & " + std::string(KCONTRACT_CLI) +
                 " btf extract --kernel " + Quote(Host618Btf()) + " -o " +
                 Quote(dir / "fifo") + "; rc=$?; wait; exit $rc");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(fs::status(dir / "fifo").type(), fs::file_type::fifo);
  EXPECT_EQ(ReadFileOrDie(dir / "from-fifo.btf"), want);

  // Through a link to the standard output, as "-o /dev/stdout" is (a
  // link of our own: a broken binary must not replace the system's).
  fs::create_symlink("/proc/self/fd/1", dir / "stdout");
  r = RunCli("btf extract --kernel " + Quote(Host618Btf()) + " -o " + Quote(dir / "stdout"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(fs::is_symlink(dir / "stdout"));
  EXPECT_TRUE(r.out.size() == want.size() &&
              std::equal(want.begin(), want.end(), r.out.begin(),
                         [](uint8_t a, char b) { return a == static_cast<uint8_t>(b); }));
  std::vector<std::string> names = Listing(dir);
  EXPECT_EQ(names, (std::vector<std::string>{"fifo", "from-fifo.btf", "link.btf", "stdout",
                                             "target.btf"}));
}

// ---- a report that cannot be written ---------------------------------------

// `kernel show > /dev/full` and with standard output closed: one error line,
// exit 1, as for any other failed command (every command: json_envelope_test).
TEST(WriteErrors, KernelShowWithNowhereToWriteFailsWithOneLine) {
  const std::string kernel = testing::ShellQuote(testing::ModelKernelPath("thp_v9"));
  ASSERT_EQ(RunCli("kernel show --kernel " + kernel).exit_code, 0);
  struct Case {
    std::string redirect;
    std::string reason;
  };
  for (const Case& c : std::vector<Case>{{">/dev/full", "No space left on device"},
                                         {">&-", "Bad file descriptor"}}) {
    for (const char* format : {"--format text", "--format json"}) {
      SCOPED_TRACE(c.redirect + " " + format);
      testing::CommandResult r =
          RunCli(std::string(format) + " kernel show --kernel " + kernel + " " + c.redirect);
      EXPECT_EQ(r.exit_code, 1) << r.err;
      EXPECT_EQ(r.err, "kcontract: error: cannot write to standard output: " + c.reason + "\n");
      EXPECT_EQ(r.out, "");
    }
  }
}

// ---- usage errors exit 2 --------------------------------------------------

TEST(Usage, BadCommandLinesExitTwo) {
  const fs::path dir = ScratchDir("Usage");
  for (const std::string& args : std::vector<std::string>{
           "",
           "frobnicate",
           "kernel",
           "kernel frobnicate",
           "kernel show --no-such-option",
           "kernel show --kernel",
           "kernel show --format yaml --kernel running",
           "btf",
           "btf extract --kernel running",  // no -o
           "btf extract -o " + Quote(dir / "out.btf") + " --kernel a --kernel b",
       }) {
    SCOPED_TRACE(args);
    testing::CommandResult r = RunCli(args);
    EXPECT_EQ(r.exit_code, 2) << r.err;
    EXPECT_FALSE(r.err.empty());
    EXPECT_EQ(r.err.find("Sanitizer"), std::string::npos) << r.err;
  }
  EXPECT_TRUE(fs::is_empty(dir));
  EXPECT_EQ(RunCli("--help").exit_code, 0);
}

}  // namespace
}  // namespace kcontract
