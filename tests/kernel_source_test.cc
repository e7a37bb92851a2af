// LoadKernel over every kernel source form, with the real kernels of
// ../shared/kernels: each form is recognised by its content (never by its
// name), and the same kernel read in different forms gives the same kfunc
// and struct_ops inventory.
#include "btfdiff/source/kernel_source.h"

#include <sys/utsname.h>

#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "btfdiff/inventory/kfunc_inventory.h"
#include "btfdiff/inventory/struct_ops_inventory.h"
#include "btfdiff/model/kernel_btf.h"
#include "btfdiff/source/kernel_image.h"
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

#define REQUIRE_TOOL(name) \
  if (!testing::HaveTool(name)) GTEST_SKIP() << "needs " << (name)

// ---- the shared kernels ------------------------------------------------

struct SharedKernel {
  std::string dir;        // under ../shared/kernels
  std::string release;
  std::string module_ext;  // how its modules are stored
  uint32_t vmlinux_types;
  size_t kfuncs;           // vmlinux + the five modules, by .BTF_ids
  size_t module_kfuncs;

  fs::path path() const { return SharedKernelDir(dir); }
  fs::path vmlinuz() const { return path() / ("vmlinuz-" + release); }
  fs::path config() const { return path() / ("config-" + release); }
  fs::path module(const std::string& name) const {
    return path() / "modules" / (name + module_ext);
  }
};

void PrintTo(const SharedKernel& k, std::ostream* os) { *os << k.dir; }

const SharedKernel kDebian61{"debian-6.1.0-50-amd64", "6.1.0-50-amd64", ".ko",
                             100642, 67, 25};
const SharedKernel kDebian612{"debian-6.12.111-amd64", "6.12.111+deb12-amd64",
                              ".ko.xz", 112607, 159, 27};
const std::vector<std::string> kModuleNames = {"fou", "nf_conntrack", "nf_nat",
                                               "tcp_bbr", "tcp_dctcp"};

fs::path Host618Btf() { return SharedKernelDir("host-6.18.44") / "vmlinux.btf"; }
constexpr uint32_t kHost618Types = 126689;
constexpr size_t kHost618Kfuncs = 203;  // bpf_kfunc decl tags

std::string Quote(const fs::path& p) { return "'" + p.string() + "'"; }

std::unique_ptr<KernelBtf> LoadExpectingOk(const fs::path& source,
                                     const KernelLoadOptions& options = {}) {
  absl::StatusOr<std::unique_ptr<KernelBtf>> kernel =
      LoadKernel(source.string(), options);
  EXPECT_TRUE(kernel.ok()) << kernel.status();
  if (!kernel.ok()) return nullptr;
  return std::move(*kernel);
}

// Declares `var`, the kernel loaded from (source[, options]), or fails the test.
#define ASSERT_LOADED(var, ...)                                    \
  std::unique_ptr<KernelBtf> var = LoadExpectingOk(__VA_ARGS__); \
  ASSERT_NE(var, nullptr)

// A shared kernel directory, loaded once per test process.
const KernelBtf& Directory(const SharedKernel& k) {
  static std::map<std::string, std::unique_ptr<KernelBtf>> cache;
  std::unique_ptr<KernelBtf>& slot = cache[k.dir];
  if (slot == nullptr) slot = LoadExpectingOk(k.path());
  if (slot == nullptr) throw std::runtime_error("cannot load " + k.dir);
  return *slot;
}

// ---- inventories as comparable lines ------------------------------------

using ModuleFilter = std::optional<std::vector<std::string>>;

bool Keep(const std::optional<std::string>& module, const ModuleFilter& filter) {
  if (!filter || !module) return true;  // vmlinux is always kept
  for (const std::string& name : *filter) {
    if (name == *module) return true;
  }
  return false;
}

// Everything CollectKfuncs says about each kfunc, one line each. With a
// filter: vmlinux's kfuncs and those of the named modules only.
std::vector<std::string> KfuncLines(const KernelBtf& kernel,
                                    const ModuleFilter& filter = std::nullopt) {
  std::vector<std::string> lines;
  for (const Kfunc& k : CollectKfuncs(kernel).kfuncs) {
    if (!Keep(k.module, filter)) continue;
    lines.push_back(absl::StrCat(
        k.module.value_or("vmlinux"), " ", k.name, " [", k.id.value, "] ",
        k.proto, " flags=", k.flags ? absl::StrCat(*k.flags) : "?", " (",
        absl::StrJoin(k.flag_names, "|"), ") methods=", k.methods, " sets=",
        absl::StrJoin(k.sets, ",")));
  }
  return lines;
}

std::vector<std::string> StructOpsLines(const KernelBtf& kernel,
                                        const ModuleFilter& filter = std::nullopt) {
  std::vector<std::string> lines;
  for (const StructOpsType& t : CollectStructOps(kernel)) {
    if (!Keep(t.module, filter)) continue;
    std::string line = absl::StrCat(t.module.value_or("vmlinux"), " ", t.name,
                                     " [", t.id.value, "/", t.wrapper.value, "]");
    for (const StructOpsMember& m : t.members) {
      absl::StrAppend(&line, "; ", m.declaration, m.is_callback ? " cb" : "");
    }
    lines.push_back(std::move(line));
  }
  return lines;
}

std::vector<std::string> ModuleNames(const KernelBtf& kernel) {
  std::vector<std::string> names;
  for (const ModuleBtf& m : kernel.modules) names.push_back(m.name);
  return names;
}

// Same kernel, same answers: release, types, kfuncs and struct_ops.
void ExpectSameKernel(const KernelBtf& got, const KernelBtf& want,
                      const ModuleFilter& filter = std::nullopt) {
  EXPECT_EQ(got.release, want.release);
  ASSERT_NE(got.vmlinux, nullptr);
  ASSERT_NE(want.vmlinux, nullptr);
  EXPECT_EQ(got.vmlinux->own_type_count(), want.vmlinux->own_type_count());
  EXPECT_EQ(KfuncLines(got), KfuncLines(want, filter));
  EXPECT_EQ(StructOpsLines(got), StructOpsLines(want, filter));
}

// Writes the vmlinux ELF inside a shared bzImage to `path`.
void WriteVmlinux(const SharedKernel& k, const fs::path& path) {
  const Bytes image = ReadFileOrDie(k.vmlinuz());
  absl::StatusOr<Bytes> vmlinux = ExtractVmlinux(image, k.vmlinuz().string());
  ASSERT_TRUE(vmlinux.ok()) << vmlinux.status();
  WriteFileOrDie(path, *vmlinux);
}

// Compresses `input` with a command-line tool into `output`.
void CompressWith(const std::string& tool, const fs::path& input,
                  const fs::path& output) {
  std::string command;
  if (tool == "xz") command = "xz -1 -T2 -c ";
  if (tool == "gzip") command = "gzip -1 -c ";
  if (tool == "zstd") command = "zstd -q -1 -c ";
  ASSERT_FALSE(command.empty()) << tool;
  testing::CommandResult r = RunCommand(command + Quote(input) + " > " + Quote(output));
  ASSERT_EQ(r.exit_code, 0) << r.err;
}

// ---- content classification ---------------------------------------------

Bytes AsBytes(std::string_view s) { return Bytes(s.begin(), s.end()); }

TEST(ClassifyContent, RecognisesMagicBytes) {
  EXPECT_EQ(ClassifyContent({}), ContentKind::kEmpty);
  EXPECT_EQ(ClassifyContent(AsBytes(std::string("\x9f\xeb\x01\x00", 4))),
            ContentKind::kRawBtf);
  EXPECT_EQ(ClassifyContent(AsBytes("\x1f\x8b\x08\x00 rest")), ContentKind::kCompressed);
  EXPECT_EQ(ClassifyContent(AsBytes(std::string("\xfd" "7zXZ\0 rest", 11))),
            ContentKind::kCompressed);
  EXPECT_EQ(ClassifyContent(AsBytes("\x28\xb5\x2f\xfd rest")), ContentKind::kCompressed);
  EXPECT_EQ(ClassifyContent(AsBytes("!<arch>\ndebian-binary   ")),
            ContentKind::kDebPackage);
  EXPECT_EQ(ClassifyContent(AsBytes("hello, world\n")), ContentKind::kUnknown);
  EXPECT_EQ(ClassifyContent(AsBytes(std::string(4096, '\0'))), ContentKind::kUnknown);
}

TEST(ClassifyContent, RecognisesSharedKernelFiles) {
  KC_REQUIRE_PATH(kDebian61.path());
  KC_REQUIRE_PATH(kDebian612.path());
  KC_REQUIRE_PATH(Host618Btf());
  EXPECT_EQ(ClassifyContent(ReadFileOrDie(kDebian61.vmlinuz())), ContentKind::kBzImage);
  EXPECT_EQ(ClassifyContent(ReadFileOrDie(kDebian612.vmlinuz())), ContentKind::kBzImage);
  EXPECT_EQ(ClassifyContent(ReadFileOrDie(kDebian61.module("nf_conntrack"))),
            ContentKind::kElfModule);
  EXPECT_EQ(ClassifyContent(ReadFileOrDie(kDebian612.module("nf_conntrack"))),
            ContentKind::kCompressed);
  EXPECT_EQ(ClassifyContent(ReadFileOrDie(kDebian612.config())),
            ContentKind::kKernelConfig);
  EXPECT_EQ(ClassifyContent(ReadFileOrDie(Host618Btf())), ContentKind::kRawBtf);
}

TEST(ClassifyContent, RecognisesBpfObject) {
  REQUIRE_TOOL("clang");
  const fs::path dir = ScratchDir("ClassifyBpfObject");
  testing::CommandResult r = RunCommand("echo 'int x;' | clang -target bpf -x c -c - -o " +
                                        Quote(dir / "x.o"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(ClassifyContent(ReadFileOrDie(dir / "x.o")), ContentKind::kElfBpf);
  absl::StatusOr<std::unique_ptr<KernelBtf>> kernel = LoadKernel((dir / "x.o").string());
  ASSERT_FALSE(kernel.ok());
  EXPECT_NE(kernel.status().message().find("a BPF object, not a kernel"),
            std::string_view::npos)
      << kernel.status();
}

// ---- directories and images --------------------------------------------

class SharedKernelTest : public ::testing::TestWithParam<SharedKernel> {
 protected:
  void SetUp() override { KC_REQUIRE_PATH(GetParam().path()); }
  const SharedKernel& k() const { return GetParam(); }
};

TEST_P(SharedKernelTest, DirectoryHoldsImageConfigAndModules) {
  const KernelBtf& kernel = Directory(k());
  EXPECT_EQ(kernel.kind, SourceKind::kDirectory);
  EXPECT_EQ(kernel.source, k().path().string());
  EXPECT_EQ(kernel.release, k().release);
  ASSERT_NE(kernel.vmlinux, nullptr);
  EXPECT_EQ(kernel.vmlinux->own_type_count(), k().vmlinux_types);
  EXPECT_TRUE(kernel.vmlinux_btf_ids.has_value());
  EXPECT_EQ(ModuleNames(kernel), kModuleNames);
  uint64_t types = kernel.vmlinux->own_type_count();
  for (const ModuleBtf& m : kernel.modules) {
    EXPECT_GT(m.btf->own_type_count(), 0u) << m.name;
    EXPECT_EQ(m.btf->base(), kernel.vmlinux.get()) << m.name;
    EXPECT_EQ(m.vermagic.substr(0, m.vermagic.find(' ')), k().release) << m.name;
    types += m.btf->own_type_count();
  }
  EXPECT_EQ(kernel.TypeCount(), types);
  ASSERT_NE(kernel.FindModule("nf_conntrack"), nullptr);
  EXPECT_TRUE(kernel.FindModule("nf_conntrack")->btf_ids.has_value());
  ASSERT_TRUE(kernel.config.has_value());
  EXPECT_EQ(kernel.config->at("CONFIG_DEBUG_INFO_BTF"), "y");
  EXPECT_TRUE(kernel.warnings.empty()) << absl::StrJoin(kernel.warnings, "\n");

  const KfuncSet kfuncs = CollectKfuncs(kernel);
  EXPECT_EQ(kfuncs.kfuncs.size(), k().kfuncs);
  size_t in_modules = 0;
  for (const Kfunc& f : kfuncs.kfuncs) in_modules += f.module.has_value();
  EXPECT_EQ(in_modules, k().module_kfuncs);
  EXPECT_EQ(kfuncs.methods_used, static_cast<uint8_t>(KfuncMethod::kBtfIdsSet8));
  EXPECT_NE(kfuncs.Find("bpf_ct_release"), nullptr);  // nf_conntrack's
  EXPECT_FALSE(CollectStructOps(kernel).empty());
}

TEST_P(SharedKernelTest, ImageAloneIsTheDirectoryWithoutModules) {
  ASSERT_LOADED(kernel, k().vmlinuz());
  EXPECT_EQ(kernel->kind, SourceKind::kBzImage);
  EXPECT_EQ(kernel->release, k().release);
  EXPECT_EQ(kernel->vmlinux->own_type_count(), k().vmlinux_types);
  EXPECT_TRUE(kernel->modules.empty());
  EXPECT_FALSE(kernel->config.has_value());
  ExpectSameKernel(*kernel, Directory(k()), ModuleFilter(std::vector<std::string>{}));
  EXPECT_EQ(kernel->vmlinux->RawData().size(),
            Directory(k()).vmlinux->RawData().size());
}

TEST_P(SharedKernelTest, VmlinuxElfIsTheImage) {
  const fs::path dir = ScratchDir("VmlinuxElf_" + k().release);
  WriteVmlinux(k(), dir / "vmlinux");
  ASSERT_LOADED(kernel, dir / "vmlinux");
  EXPECT_EQ(kernel->kind, SourceKind::kVmlinux);
  EXPECT_EQ(kernel->release, k().release);  // from the banner in .rodata
  EXPECT_TRUE(kernel->vmlinux_btf_ids.has_value());
  ExpectSameKernel(*kernel, Directory(k()), ModuleFilter(std::vector<std::string>{}));
}

TEST_P(SharedKernelTest, RawBtfFromBtfExtractKeepsTypesButNoKfuncSets) {
  const fs::path dir = ScratchDir("RawBtf_" + k().release);
  const fs::path raw = dir / "vmlinux.btf";
  testing::CommandResult r =
      RunCli("btf extract --kernel " + Quote(k().path()) + " -o " + Quote(raw));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const Bytes bytes = ReadFileOrDie(raw);
  const ByteView want = Directory(k()).vmlinux->RawData();
  EXPECT_TRUE(bytes.size() == want.size() &&
              std::equal(bytes.begin(), bytes.end(), want.begin()));

  ASSERT_LOADED(kernel, raw);
  EXPECT_EQ(kernel->kind, SourceKind::kRawBtf);
  EXPECT_EQ(kernel->release, "");  // raw BTF names no release
  EXPECT_EQ(kernel->vmlinux->own_type_count(), k().vmlinux_types);
  EXPECT_FALSE(kernel->vmlinux_btf_ids.has_value());
  // These kernels' BTF has no bpf_kfunc decl tags and raw BTF has no
  // .BTF_ids: no kfuncs, but the same struct_ops.
  EXPECT_TRUE(KfuncLines(*kernel).empty());
  EXPECT_EQ(StructOpsLines(*kernel),
            StructOpsLines(Directory(k()), ModuleFilter(std::vector<std::string>{})));

  // A module's split BTF, extracted with its base.
  const fs::path split = dir / "nf_conntrack.btf";
  const fs::path base = dir / "base.btf";
  r = RunCli("btf extract --kernel " + Quote(k().path()) +
             " --module nf_conntrack --base-out " + Quote(base) + " -o " + Quote(split));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(ReadFileOrDie(base), bytes);
  const ByteView module_raw = Directory(k()).FindModule("nf_conntrack")->btf->RawData();
  const Bytes split_bytes = ReadFileOrDie(split);
  EXPECT_TRUE(split_bytes.size() == module_raw.size() &&
              std::equal(split_bytes.begin(), split_bytes.end(), module_raw.begin()));
}

TEST_P(SharedKernelTest, ModuleOverItsKernelDirectory) {
  KernelLoadOptions options;
  options.base = k().path().string();
  ASSERT_LOADED(kernel, k().module("nf_conntrack"), options);
  EXPECT_EQ(kernel->kind, SourceKind::kModule);
  EXPECT_EQ(kernel->source, k().module("nf_conntrack").string());
  EXPECT_EQ(ModuleNames(*kernel), std::vector<std::string>{"nf_conntrack"});
  EXPECT_EQ(kernel->modules[0].btf->own_type_count(),
            Directory(k()).FindModule("nf_conntrack")->btf->own_type_count());
  EXPECT_EQ(kernel->TypeCount(),
            k().vmlinux_types + kernel->modules[0].btf->own_type_count());
  EXPECT_TRUE(kernel->config.has_value());  // the base directory's
  EXPECT_TRUE(kernel->warnings.empty()) << absl::StrJoin(kernel->warnings, "\n");
  ExpectSameKernel(*kernel, Directory(k()),
                   ModuleFilter(std::vector<std::string>{"nf_conntrack"}));
}

TEST_P(SharedKernelTest, ModuleOverItsImageAlone) {
  KernelLoadOptions options;
  options.base = k().vmlinuz().string();
  ASSERT_LOADED(kernel, k().module("nf_nat"), options);
  EXPECT_EQ(kernel->kind, SourceKind::kModule);
  EXPECT_EQ(ModuleNames(*kernel), std::vector<std::string>{"nf_nat"});
  ExpectSameKernel(*kernel, Directory(k()),
                   ModuleFilter(std::vector<std::string>{"nf_nat"}));
}

TEST_P(SharedKernelTest, ZstdAndGzipCompressedModules) {
  REQUIRE_TOOL("zstd");
  REQUIRE_TOOL("gzip");
  REQUIRE_TOOL("xz");
  const fs::path dir = ScratchDir("CompressedModule_" + k().release);
  // The plain .ko first (6.12's modules ship as .ko.xz).
  const fs::path ko = dir / "nf_conntrack.ko";
  testing::CommandResult r = RunCommand(
      (k().module_ext == ".ko.xz" ? "xz -dc " : "cat ") + Quote(k().module("nf_conntrack")) +
      " > " + Quote(ko));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  CompressWith("zstd", ko, dir / "nf_conntrack.ko.zst");
  CompressWith("gzip", ko, dir / "nf_conntrack.ko.gz");
  KernelLoadOptions options;
  options.base = k().path().string();
  for (const char* name : {"nf_conntrack.ko", "nf_conntrack.ko.zst", "nf_conntrack.ko.gz"}) {
    SCOPED_TRACE(name);
    ASSERT_LOADED(kernel, dir / name, options);
    EXPECT_EQ(kernel->kind, SourceKind::kModule);
    EXPECT_EQ(ModuleNames(*kernel), std::vector<std::string>{"nf_conntrack"});
    ExpectSameKernel(*kernel, Directory(k()),
                     ModuleFilter(std::vector<std::string>{"nf_conntrack"}));
  }
}

TEST_P(SharedKernelTest, ModuleWithoutBaseIsRefused) {
  absl::StatusOr<std::unique_ptr<KernelBtf>> kernel =
      LoadKernel(k().module("nf_conntrack").string());
  ASSERT_FALSE(kernel.ok());
  EXPECT_EQ(kernel.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(kernel.status().message().find("--base"), std::string_view::npos)
      << kernel.status();
}

TEST_P(SharedKernelTest, DirectoryWithMisleadingNames) {
  // Files are found by content: images, modules and config under names
  // that say nothing or lie, in nested directories.
  const fs::path dir = ScratchDir("MisleadingDir_" + k().release);
  fs::create_directories(dir / "a/b");
  fs::copy_file(k().vmlinuz(), dir / "nf_conntrack.ko");
  fs::copy_file(k().config(), dir / "a/vmlinuz-9.9.9");
  for (const std::string& m : kModuleNames) {
    fs::copy_file(k().module(m), dir / "a/b" / (m + ".txt"));
  }
  WriteFileOrDie(dir / "README", AsBytes("not a kernel\n"));
  ASSERT_LOADED(kernel, dir);
  EXPECT_EQ(kernel->kind, SourceKind::kDirectory);
  EXPECT_EQ(kernel->release, k().release);
  EXPECT_EQ(ModuleNames(*kernel), kModuleNames);  // names from .modinfo
  EXPECT_EQ(kernel->TypeCount(), Directory(k()).TypeCount());
  EXPECT_TRUE(kernel->config.has_value());
  ExpectSameKernel(*kernel, Directory(k()));
}

INSTANTIATE_TEST_SUITE_P(Debian, SharedKernelTest,
                         ::testing::Values(kDebian61, kDebian612),
                         [](const ::testing::TestParamInfo<SharedKernel>& info) {
                           return info.param.dir == kDebian61.dir ? "Debian61" : "Debian612";
                         });

// ---- compressed vmlinux and raw BTF ------------------------------------

class CompressedTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override { REQUIRE_TOOL(GetParam()); }
};

TEST_P(CompressedTest, CompressedVmlinuxIsTheImage) {
  KC_REQUIRE_PATH(kDebian612.path());
  const fs::path dir = ScratchDir("CompressedVmlinux_" + GetParam());
  WriteVmlinux(kDebian612, dir / "vmlinux");
  // A name that suggests another form altogether.
  CompressWith(GetParam(), dir / "vmlinux", dir / "kernel.deb");
  ASSERT_LOADED(kernel, dir / "kernel.deb");
  EXPECT_EQ(kernel->kind, SourceKind::kCompressed);
  EXPECT_EQ(kernel->release, kDebian612.release);
  EXPECT_TRUE(kernel->vmlinux_btf_ids.has_value());
  ExpectSameKernel(*kernel, Directory(kDebian612), ModuleFilter(std::vector<std::string>{}));
}

TEST_P(CompressedTest, CompressedRawBtfIsTheRawBtf) {
  KC_REQUIRE_PATH(Host618Btf());
  const fs::path dir = ScratchDir("CompressedRawBtf_" + GetParam());
  CompressWith(GetParam(), Host618Btf(), dir / "vmlinux.btf");
  ASSERT_LOADED(plain, Host618Btf());
  ASSERT_LOADED(kernel, dir / "vmlinux.btf");
  EXPECT_EQ(kernel->kind, SourceKind::kCompressed);
  EXPECT_EQ(kernel->vmlinux->own_type_count(), kHost618Types);
  EXPECT_FALSE(kernel->vmlinux_btf_ids.has_value());
  ExpectSameKernel(*kernel, *plain);
}

INSTANTIATE_TEST_SUITE_P(Tools, CompressedTest, ::testing::Values("xz", "gzip", "zstd"));

// ---- raw BTF with decl tags: the 6.18 host kernel ------------------------

TEST(RawBtf, HostKernelKfuncsFromDeclTags) {
  KC_REQUIRE_PATH(Host618Btf());
  ASSERT_LOADED(kernel, Host618Btf());
  EXPECT_EQ(kernel->kind, SourceKind::kRawBtf);
  EXPECT_EQ(kernel->release, "");
  EXPECT_EQ(kernel->vmlinux->own_type_count(), kHost618Types);
  EXPECT_EQ(kernel->TypeCount(), kHost618Types);
  EXPECT_TRUE(kernel->modules.empty());
  const KfuncSet kfuncs = CollectKfuncs(*kernel);
  EXPECT_EQ(kfuncs.kfuncs.size(), kHost618Kfuncs);
  EXPECT_EQ(kfuncs.methods_used, static_cast<uint8_t>(KfuncMethod::kDeclTag));
}

TEST(RawBtf, RecognisedByContentWhateverItsName) {
  KC_REQUIRE_PATH(Host618Btf());
  const fs::path dir = ScratchDir("RawBtfMisleadingName");
  ASSERT_LOADED(plain, Host618Btf());
  for (const char* name : {"foo.ko.xz", "vmlinuz-6.18.44", "linux-image.deb", "config-6.18",
                           "noextension"}) {
    SCOPED_TRACE(name);
    fs::copy_file(Host618Btf(), dir / name);
    ASSERT_LOADED(kernel, dir / name);
    EXPECT_EQ(kernel->kind, SourceKind::kRawBtf);
    ExpectSameKernel(*kernel, *plain);
  }
}

TEST(RawBtf, RoundTripsThroughBtfExtract) {
  KC_REQUIRE_PATH(Host618Btf());
  const fs::path dir = ScratchDir("RawBtfRoundTrip");
  testing::CommandResult r = RunCli("btf extract --kernel " + Quote(Host618Btf()) +
                                    " -o " + Quote(dir / "out.btf"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(ReadFileOrDie(dir / "out.btf"), ReadFileOrDie(Host618Btf()));
}

TEST(MisleadingNames, ImagesModulesAndPackagesByContent) {
  KC_REQUIRE_PATH(kDebian61.path());
  KC_REQUIRE_PATH(kDebian612.path());
  const fs::path dir = ScratchDir("MisleadingNames");
  fs::copy_file(kDebian612.vmlinuz(), dir / "nf_conntrack.ko");
  fs::copy_file(kDebian61.module("nf_conntrack"), dir / "vmlinuz-6.1.0-50-amd64");
  fs::copy_file(kDebian612.module("nf_conntrack"), dir / "vmlinux.btf.zst");
  fs::copy_file(kDebian61.config(), dir / "vmlinux");

  ASSERT_LOADED(image, dir / "nf_conntrack.ko");
  EXPECT_EQ(image->kind, SourceKind::kBzImage);
  EXPECT_EQ(image->release, kDebian612.release);

  KernelLoadOptions options;
  options.base = kDebian61.path().string();
  ASSERT_LOADED(module61, dir / "vmlinuz-6.1.0-50-amd64", options);
  EXPECT_EQ(module61->kind, SourceKind::kModule);
  EXPECT_EQ(ModuleNames(*module61), std::vector<std::string>{"nf_conntrack"});

  options.base = kDebian612.path().string();
  ASSERT_LOADED(module612, dir / "vmlinux.btf.zst", options);
  EXPECT_EQ(module612->kind, SourceKind::kModule);
  ExpectSameKernel(*module612, Directory(kDebian612),
                   ModuleFilter(std::vector<std::string>{"nf_conntrack"}));

  absl::StatusOr<std::unique_ptr<KernelBtf>> config = LoadKernel((dir / "vmlinux").string());
  ASSERT_FALSE(config.ok());
  EXPECT_NE(config.status().message().find("a kernel config holds no BTF"),
            std::string_view::npos)
      << config.status();
}

// ---- Debian packages ------------------------------------------------------

// Lays out `k` as its linux-image package does and builds a .deb of it.
fs::path BuildKernelDeb(const fs::path& dir, const SharedKernel& k,
                        const std::string& compressor) {
  const fs::path root = dir / "pkg";
  const std::string rel = k.release;
  const fs::path mods = root / "lib/modules" / rel / "kernel";
  fs::create_directories(root / "DEBIAN");
  fs::create_directories(root / "boot");
  fs::create_directories(mods / "net/netfilter");
  fs::create_directories(mods / "net/ipv4");
  fs::create_directories(root / "usr/share/doc" / ("linux-image-" + rel));
  WriteFileOrDie(root / "DEBIAN/control",
                 AsBytes("Package: linux-image-" + rel +
                         "\nVersion: 1.0\nArchitecture: amd64\n"
                         "Maintainer: Test <test@example.org>\n"
                         "Description: kcontract test kernel package\n"));
  fs::copy_file(k.vmlinuz(), root / "boot" / ("vmlinuz-" + rel));
  fs::copy_file(k.config(), root / "boot" / ("config-" + rel));
  WriteFileOrDie(root / "boot" / ("System.map-" + rel),
                 AsBytes("ffffffff81000000 T _text\n"));
  for (const std::string& m : kModuleNames) {
    const fs::path sub = m.starts_with("nf_") ? "net/netfilter" : "net/ipv4";
    fs::copy_file(k.module(m), mods / sub / (m + k.module_ext));
  }
  WriteFileOrDie(root / "lib/modules" / rel / "modules.order",
                 AsBytes("kernel/net/netfilter/nf_conntrack.ko\n"));
  WriteFileOrDie(root / "usr/share/doc" / ("linux-image-" + rel) / "copyright",
                 AsBytes("GPL-2\n"));
  const fs::path deb = dir / ("linux-image-" + rel + "_" + compressor + ".deb");
  testing::CommandResult built =
      RunCommand("dpkg-deb --root-owner-group -Z" + compressor + " -z1 --build " +
                 Quote(root) + " " + Quote(deb));
  EXPECT_EQ(built.exit_code, 0) << built.err;
  fs::remove_all(root);
  return deb;
}

void ExpectPackageIsDirectory(const fs::path& deb, const SharedKernel& k) {
  ASSERT_LOADED(kernel, deb);
  EXPECT_EQ(kernel->kind, SourceKind::kDebPackage);
  EXPECT_EQ(kernel->source, deb.string());
  const KernelBtf& dir = Directory(k);
  EXPECT_EQ(kernel->release, k.release);
  EXPECT_EQ(ModuleNames(*kernel), kModuleNames);
  EXPECT_EQ(kernel->TypeCount(), dir.TypeCount());
  ASSERT_TRUE(kernel->config.has_value());
  EXPECT_EQ(kernel->config->size(), dir.config->size());
  EXPECT_TRUE(kernel->warnings.empty()) << absl::StrJoin(kernel->warnings, "\n");
  for (const ModuleBtf& m : kernel->modules) {
    EXPECT_TRUE(m.path.starts_with(deb.string() + ":lib/modules/" + k.release + "/kernel/"))
        << m.path;
  }
  ExpectSameKernel(*kernel, dir);
}

class DebTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    REQUIRE_TOOL("dpkg-deb");
    KC_REQUIRE_PATH(kDebian61.path());
  }
};

TEST_P(DebTest, PackageGivesTheDirectorysInventory) {
  const fs::path dir = ScratchDir("Deb61_" + GetParam());
  const fs::path deb = BuildKernelDeb(dir, kDebian61, GetParam());
  ExpectPackageIsDirectory(deb, kDebian61);
  // Read in memory: nothing was unpacked beside the package.
  std::vector<std::string> left;
  for (const auto& e : fs::recursive_directory_iterator(dir)) left.push_back(e.path().string());
  EXPECT_EQ(left, std::vector<std::string>{deb.string()});
}

INSTANTIATE_TEST_SUITE_P(Compressors, DebTest, ::testing::Values("xz", "zstd", "gzip"));

TEST(Deb, PackageWithCompressedModules) {
  REQUIRE_TOOL("dpkg-deb");
  KC_REQUIRE_PATH(kDebian612.path());
  const fs::path dir = ScratchDir("Deb612");
  const fs::path deb = BuildKernelDeb(dir, kDebian612, "zstd");
  ExpectPackageIsDirectory(deb, kDebian612);
  // And under a name that hides what it is.
  fs::rename(deb, dir / "vmlinux.btf");
  ASSERT_LOADED(renamed, dir / "vmlinux.btf");
  EXPECT_EQ(renamed->kind, SourceKind::kDebPackage);
  ExpectSameKernel(*renamed, Directory(kDebian612));
}

TEST(Deb, ModuleOverPackage) {
  REQUIRE_TOOL("dpkg-deb");
  KC_REQUIRE_PATH(kDebian612.path());
  const fs::path dir = ScratchDir("DebBase612");
  KernelLoadOptions options;
  options.base = BuildKernelDeb(dir, kDebian612, "zstd").string();
  ASSERT_LOADED(kernel, kDebian612.module("tcp_bbr"), options);
  EXPECT_EQ(kernel->kind, SourceKind::kModule);
  ExpectSameKernel(*kernel, Directory(kDebian612),
                   ModuleFilter(std::vector<std::string>{"tcp_bbr"}));
}

// A real package from the Debian archive, when it can be fetched quickly.
TEST(Deb, RealPackageFromArchive) {
  KC_REQUIRE_PATH(kDebian61.path());
  REQUIRE_TOOL("apt-get");
  REQUIRE_TOOL("timeout");
  const fs::path dir = ScratchDir("DebReal");
  const std::string package = "linux-image-" + kDebian61.release;
  testing::CommandResult r =
      RunCommand("cd " + Quote(dir) + " && timeout 60 apt-get download -q " + package);
  std::vector<fs::path> debs;
  for (const auto& e : fs::directory_iterator(dir)) {
    if (e.path().extension() == ".deb") debs.push_back(e.path());
  }
  if (r.exit_code != 0 || debs.size() != 1) {
    GTEST_SKIP() << "cannot fetch " << package << " within 60 s (exit " << r.exit_code
                 << "): " << r.err.substr(0, 300);
  }
  ASSERT_LOADED(kernel, debs[0]);
  fs::remove(debs[0]);
  EXPECT_EQ(kernel->kind, SourceKind::kDebPackage);
  EXPECT_EQ(kernel->release, kDebian61.release);
  EXPECT_TRUE(kernel->config.has_value());
  EXPECT_GT(kernel->modules.size(), 1000u);  // every module with BTF
  for (const std::string& m : kModuleNames) EXPECT_NE(kernel->FindModule(m), nullptr) << m;
  // The shared directory is this package's image and five of its modules.
  const KernelBtf& shared = Directory(kDebian61);
  EXPECT_EQ(kernel->vmlinux->own_type_count(), shared.vmlinux->own_type_count());
  EXPECT_EQ(KfuncLines(*kernel, kModuleNames), KfuncLines(shared));
  EXPECT_EQ(StructOpsLines(*kernel, kModuleNames), StructOpsLines(shared));
}

// ---- the running kernel -------------------------------------------------

TEST(Running, LoadsSysfsBtfWithUnameRelease) {
  KC_REQUIRE_PATH("/sys/kernel/btf/vmlinux");
  ASSERT_LOADED(kernel, std::string(kRunningKernel));
  EXPECT_EQ(kernel->kind, SourceKind::kRunning);
  EXPECT_EQ(kernel->source, "running");
  struct utsname uts;
  ASSERT_EQ(uname(&uts), 0);
  EXPECT_EQ(kernel->release, uts.release);
  EXPECT_GT(kernel->vmlinux->own_type_count(), 10000u);
  size_t module_files = 0;
  for (const auto& e : fs::directory_iterator("/sys/kernel/btf")) {
    module_files += e.path().filename() != "vmlinux";
  }
  EXPECT_EQ(kernel->modules.size(), module_files);
  for (const ModuleBtf& m : kernel->modules) {
    EXPECT_EQ(m.btf->base(), kernel->vmlinux.get()) << m.name;
  }
}

TEST(Running, ReadsModuleBtfBesideVmlinux) {
  // A sysfs-like directory built from the 6.12 kernel: vmlinux and one
  // module's split BTF, as /sys/kernel/btf holds them.
  KC_REQUIRE_PATH(kDebian612.path());
  const fs::path dir = ScratchDir("RunningFakeSysfs");
  const KernelBtf& k = Directory(kDebian612);
  WriteFileOrDie(dir / "vmlinux", k.vmlinux->RawData());
  WriteFileOrDie(dir / "nf_conntrack", k.FindModule("nf_conntrack")->btf->RawData());
  KernelLoadOptions options;
  options.sysfs_btf_dir = dir;
  ASSERT_LOADED(kernel, std::string(kRunningKernel), options);
  EXPECT_EQ(kernel->kind, SourceKind::kRunning);
  EXPECT_EQ(ModuleNames(*kernel), std::vector<std::string>{"nf_conntrack"});
  EXPECT_EQ(kernel->TypeCount(),
            k.vmlinux->own_type_count() + k.FindModule("nf_conntrack")->btf->own_type_count());
  EXPECT_EQ(StructOpsLines(*kernel),
            StructOpsLines(k, ModuleFilter(std::vector<std::string>{"nf_conntrack"})));
}

}  // namespace
}  // namespace kcontract
