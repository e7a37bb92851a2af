// `kcontract btf extract` on real kernels, checked without kcontract's
// readers: bpftool must read what it writes (with -B for a module's split
// BTF), and the bytes must be the kernel's own .BTF section, found with the
// boot protocol header, xz/zstd and readelf.
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <ostream>
#include <sstream>
#include <string>
#include <vector>

#include "btfdiff/model/kernel_btf.h"
#include "btfdiff/source/kernel_source.h"
#include "gtest/gtest.h"
#include "tests/test_support.h"

namespace kcontract {
namespace {

namespace fs = std::filesystem;
using ::kcontract::testing::CommandResult;
using ::kcontract::testing::HaveTool;
using ::kcontract::testing::RunCli;
using ::kcontract::testing::BpftoolDumpCommand;
using ::kcontract::testing::RunCommand;
using ::kcontract::testing::RunToText;
using ::kcontract::testing::ShellQuote;
using ::kcontract::testing::SharedKernelDir;
using ::kcontract::testing::WriteFileOrDie;

const char kDebian61[] = "debian-6.1.0-50-amd64";
const char kDebian612[] = "debian-6.12.111-amd64";
const char kHost618[] = "host-6.18.44";

const fs::path& ProcessScratch() { return ::kcontract::testing::ProcessScratch("btf_extract_test"); }

// A fresh directory for one test, inside this process's scratch.
fs::path TestDir() {
  const ::testing::TestInfo* info = ::testing::UnitTest::GetInstance()->current_test_info();
  std::string name = std::string(info->test_suite_name()) + "." + info->name();
  for (char& c : name) {
    if (c == '/') c = '_';
  }
  fs::path dir = ProcessScratch() / name;
  fs::create_directories(dir);
  return dir;
}

// The whole file, read in one go (ReadFileOrDie's istreambuf_iterator is
// slow on 60 MiB under an unoptimised ASan build).
Bytes ReadAll(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  Bytes bytes(fs::file_size(path));
  in.read(reinterpret_cast<char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  EXPECT_TRUE(in) << "cannot read " << path;
  return bytes;
}

// The number of types bpftool prints ("[N] KIND ..." lines), or -1 with the
// error in `error`; the dump itself in `out` when asked.
long BpftoolTypeCount(const fs::path& file, const fs::path& base, std::string* out,
                      std::string* error) {
  std::string text;
  if (!RunToText(BpftoolDumpCommand(file, base), &text, error)) return -1;
  long count = text.starts_with("[") ? 1 : 0;
  for (size_t pos = text.find("\n["); pos != std::string::npos; pos = text.find("\n[", pos + 1)) {
    ++count;
  }
  if (out != nullptr) *out = std::move(text);
  return count;
}

const KernelBtf* Load(const std::string& source, std::string* error) {
  static std::map<std::string, std::unique_ptr<KernelBtf>> cache;
  if (auto it = cache.find(source); it != cache.end()) return it->second.get();
  absl::StatusOr<std::unique_ptr<KernelBtf>> kernel = LoadKernel(source);
  if (!kernel.ok()) {
    *error = "LoadKernel(" + source + "): " + std::string(kernel.status().message());
    return nullptr;
  }
  return (cache[source] = *std::move(kernel)).get();
}

uint32_t Le32(const Bytes& bytes, size_t at) {
  return uint32_t(bytes[at]) | uint32_t(bytes[at + 1]) << 8 | uint32_t(bytes[at + 2]) << 16 |
         uint32_t(bytes[at + 3]) << 24;
}

// The bytes of section `name` of ELF file `path`, located by readelf -SW.
Bytes ElfSection(const fs::path& path, const std::string& name) {
  CommandResult result = RunCommand("readelf -SW " + ShellQuote(path.string()));
  std::istringstream in(result.out);
  std::string line;
  while (std::getline(in, line)) {
    size_t close = line.find(']');
    if (line.find('[') == std::string::npos || close == std::string::npos) continue;
    std::istringstream fields(line.substr(close + 1));
    std::string section, type, address, offset, size;
    if (!(fields >> section >> type >> address >> offset >> size) || section != name) continue;
    const uint64_t at = std::stoull(offset, nullptr, 16);
    const uint64_t length = std::stoull(size, nullptr, 16);
    if (at + length > fs::file_size(path)) return {};
    std::ifstream file(path, std::ios::binary);
    file.seekg(static_cast<std::streamoff>(at));
    Bytes bytes(length);
    file.read(reinterpret_cast<char*>(bytes.data()), static_cast<std::streamsize>(length));
    if (!file) return {};
    return bytes;
  }
  return {};
}

// A module file as a plain .ko (xz -dc for .ko.xz).
fs::path PlainModule(const fs::path& path) {
  if (path.extension() != ".xz") return path;
  fs::path out = ProcessScratch() / path.stem();
  if (!fs::exists(out)) {
    CommandResult result = RunCommand("xz -dc " + ShellQuote(path.string()) + " > " +
                                      ShellQuote(out.string()));
    EXPECT_EQ(result.exit_code, 0) << result.err;
  }
  return out;
}

fs::path ModuleFile(const std::string& kernel, const std::string& module) {
  fs::path dir = SharedKernelDir(kernel) / "modules";
  fs::path ko = dir / (module + ".ko");
  return fs::exists(ko) ? ko : fs::path(ko.string() + ".xz");
}

fs::path FindImage(const fs::path& dir) {
  for (const fs::directory_entry& entry : fs::directory_iterator(dir)) {
    if (entry.path().filename().string().starts_with("vmlinuz-")) return entry.path();
  }
  return {};
}

// The vmlinux inside a bzImage, decompressed by the xz or zstd tool: the
// boot protocol header gives the payload (setup_sects at 0x1f1,
// payload_offset/length at 0x248/0x24c), whose last 4 bytes are the
// decompressed size.
fs::path DecompressVmlinux(const fs::path& image, std::string* error) {
  Bytes bytes = ReadAll(image);
  if (bytes.size() < 0x250 || Le32(bytes, 0x202) != 0x53726448) {  // "HdrS"
    *error = image.string() + ": no boot protocol header";
    return {};
  }
  const size_t setup_sects = bytes[0x1f1] ? bytes[0x1f1] : 4;
  const size_t start = (setup_sects + 1) * 512 + Le32(bytes, 0x248);
  const size_t length = Le32(bytes, 0x24c);
  if (start + length > bytes.size() || length < 8) {
    *error = image.string() + ": payload outside the file";
    return {};
  }
  const uint32_t expected_size = Le32(bytes, start + length - 4);
  const fs::path payload = ProcessScratch() / "payload";
  WriteFileOrDie(payload, ByteView(bytes.data() + start, length - 4));
  std::string tool;
  if (bytes[start] == 0xfd && bytes[start + 1] == '7') {
    tool = "xz -dc";
  } else if (Le32(bytes, start) == 0xfd2fb528) {
    tool = "zstd -dc";
  } else {
    *error = image.string() + ": payload neither xz nor zstd";
    return {};
  }
  const fs::path vmlinux = ProcessScratch() / "vmlinux";
  CommandResult result = RunCommand(tool + " " + ShellQuote(payload.string()) + " > " +
                                    ShellQuote(vmlinux.string()));
  fs::remove(payload);
  if (result.exit_code != 0) {
    *error = tool + ": " + result.err;
    return {};
  }
  if (fs::file_size(vmlinux) != expected_size) {
    *error = "decompressed " + std::to_string(fs::file_size(vmlinux)) + " bytes, header says " +
             std::to_string(expected_size);
    return {};
  }
  return vmlinux;
}

#define REQUIRE_TOOL(name)                                   \
  do {                                                       \
    if (!HaveTool(name)) GTEST_SKIP() << "needs " << (name); \
  } while (0)

// --- vmlinux -----------------------------------------------------------------

struct VmlinuxCase {
  const char* label;
  const char* kernel;
};

void PrintTo(const VmlinuxCase& c, std::ostream* os) { *os << c.label; }

class VmlinuxExtractTest : public ::testing::TestWithParam<VmlinuxCase> {};

TEST_P(VmlinuxExtractTest, BpftoolReadsTheOutputWithTheTypeCountKcontractReports) {
  const fs::path dir = SharedKernelDir(GetParam().kernel);
  KC_REQUIRE_PATH(dir);
  REQUIRE_TOOL("bpftool");
  const fs::path out = TestDir() / "vmlinux.btf";
  CommandResult result =
      RunCli("btf extract --kernel " + ShellQuote(dir.string()) + " -o " +
             ShellQuote(out.string()));
  ASSERT_EQ(result.exit_code, 0) << result.err;
  std::string error;
  const long count = BpftoolTypeCount(out, fs::path(), nullptr, &error);
  ASSERT_GE(count, 0) << error;
  const KernelBtf* kernel = Load(dir.string(), &error);
  ASSERT_NE(kernel, nullptr) << error;
  std::printf("%s: bpftool reads %ld types; kcontract's vmlinux has %u\n", GetParam().label, count,
              kernel->vmlinux->own_type_count());
  EXPECT_EQ(static_cast<uint64_t>(count), kernel->vmlinux->own_type_count());
  EXPECT_GT(count, 100000);
  const Bytes written = ReadAll(out);
  const ByteView raw = kernel->vmlinux->RawData();
  EXPECT_TRUE(written.size() == raw.size() &&
              std::equal(written.begin(), written.end(), raw.begin()));
}

INSTANTIATE_TEST_SUITE_P(SharedKernels, VmlinuxExtractTest,
                         ::testing::Values(VmlinuxCase{"Debian61", kDebian61},
                                           VmlinuxCase{"Debian612", kDebian612},
                                           VmlinuxCase{"Host618", kHost618}),
                         [](const ::testing::TestParamInfo<VmlinuxCase>& info) {
                           return info.param.label;
                         });

void ExpectExtractIsTheImagesBtfSection(const char* kernel_name, const char* decompressor) {
  const fs::path dir = SharedKernelDir(kernel_name);
  const fs::path image = FindImage(dir);
  ASSERT_FALSE(image.empty()) << "no vmlinuz-* in " << dir;
  std::string error;
  const fs::path vmlinux = DecompressVmlinux(image, &error);
  ASSERT_FALSE(vmlinux.empty()) << error;
  const Bytes section = ElfSection(vmlinux, ".BTF");
  ASSERT_GT(section.size(), 1000000u) << "readelf found no .BTF in the " << decompressor
                                      << " payload";
  fs::remove(vmlinux);
  const fs::path out = TestDir() / "vmlinux.btf";
  CommandResult result = RunCli("btf extract --kernel " + ShellQuote(image.string()) + " -o " +
                                ShellQuote(out.string()));
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const Bytes written = ReadAll(out);
  std::printf("%s: .BTF section %zu bytes, extracted %zu bytes\n", kernel_name, section.size(),
              written.size());
  EXPECT_TRUE(written == section) << "extracted BTF differs from the image's .BTF section";
}

TEST(VmlinuxSectionTest, Debian61XzBzImageExtractIsItsVmlinuxBtfSection) {
  KC_REQUIRE_PATH(SharedKernelDir(kDebian61));
  REQUIRE_TOOL("xz");
  REQUIRE_TOOL("readelf");
  ExpectExtractIsTheImagesBtfSection(kDebian61, "xz");
}

TEST(VmlinuxSectionTest, Debian612ZstdBzImageExtractIsItsVmlinuxBtfSection) {
  KC_REQUIRE_PATH(SharedKernelDir(kDebian612));
  REQUIRE_TOOL("zstd");
  REQUIRE_TOOL("readelf");
  ExpectExtractIsTheImagesBtfSection(kDebian612, "zstd");
}

TEST(VmlinuxSectionTest, RawBtfExtractWritesTheSameBytes) {
  const fs::path raw = SharedKernelDir(kHost618) / "vmlinux.btf";
  KC_REQUIRE_PATH(raw);
  const fs::path out = TestDir() / "vmlinux.btf";
  CommandResult result =
      RunCli("btf extract --kernel " + ShellQuote(raw.string()) + " -o " +
             ShellQuote(out.string()));
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_TRUE(ReadAll(out) == ReadAll(raw));
}

TEST(VmlinuxSectionTest, RunningKernelExtractIsSysfsVmlinux) {
  const fs::path sysfs = "/sys/kernel/btf/vmlinux";
  KC_REQUIRE_PATH(sysfs);
  const fs::path out = TestDir() / "vmlinux.btf";
  CommandResult result = RunCli("btf extract -o " + ShellQuote(out.string()));
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_TRUE(ReadAll(out) == ReadAll(sysfs));
}

// --- modules -----------------------------------------------------------------

struct ModuleCase {
  const char* label;
  const char* kernel;
};

void PrintTo(const ModuleCase& c, std::ostream* os) { *os << c.label; }

class ModuleExtractTest : public ::testing::TestWithParam<ModuleCase> {
 protected:
  void SetUp() override {
    KC_REQUIRE_PATH(SharedKernelDir(GetParam().kernel));
    REQUIRE_TOOL("bpftool");
    REQUIRE_TOOL("readelf");
    REQUIRE_TOOL("xz");
  }
};

TEST_P(ModuleExtractTest, NamedModuleIsSplitBtfThatBpftoolReadsOverBaseOut) {
  const fs::path dir = SharedKernelDir(GetParam().kernel);
  const fs::path scratch = TestDir();
  const fs::path module_out = scratch / "m.btf";
  const fs::path base_out = scratch / "base.btf";
  CommandResult result = RunCli("btf extract --kernel " + ShellQuote(dir.string()) +
                                " --module nf_conntrack -o " + ShellQuote(module_out.string()) +
                                " --base-out " + ShellQuote(base_out.string()));
  ASSERT_EQ(result.exit_code, 0) << result.err;

  std::string dump, error;
  const long count = BpftoolTypeCount(module_out, base_out, &dump, &error);
  ASSERT_GE(count, 0) << error;
  EXPECT_NE(dump.find("FUNC 'bpf_skb_ct_lookup'"), std::string::npos);
  // Without its base the split BTF is unreadable: it really is split.
  EXPECT_LT(BpftoolTypeCount(module_out, fs::path(), nullptr, &error), 0);

  const KernelBtf* kernel = Load(dir.string(), &error);
  ASSERT_NE(kernel, nullptr) << error;
  const ModuleBtf* module = kernel->FindModule("nf_conntrack");
  ASSERT_NE(module, nullptr);
  std::printf("%s nf_conntrack: bpftool reads %ld types over the base; kcontract has %u\n",
              GetParam().label, count, module->btf->own_type_count());
  EXPECT_EQ(static_cast<uint64_t>(count), module->btf->own_type_count());
  const long base_count = BpftoolTypeCount(base_out, fs::path(), nullptr, &error);
  EXPECT_EQ(static_cast<uint64_t>(base_count), kernel->vmlinux->own_type_count()) << error;

  // The split BTF is the .ko's own .BTF section, byte for byte.
  const Bytes section = ElfSection(PlainModule(ModuleFile(GetParam().kernel, "nf_conntrack")),
                                   ".BTF");
  ASSERT_FALSE(section.empty());
  EXPECT_TRUE(ReadAll(module_out) == section);
}

TEST_P(ModuleExtractTest, SingleModuleFileOverBaseIsExtractedWithoutNamingIt) {
  const fs::path dir = SharedKernelDir(GetParam().kernel);
  const fs::path ko = ModuleFile(GetParam().kernel, "nf_nat");
  const fs::path scratch = TestDir();
  const fs::path module_out = scratch / "nf_nat.btf";
  const fs::path base_out = scratch / "base.btf";
  CommandResult result = RunCli("btf extract --kernel " + ShellQuote(ko.string()) + " --base " +
                                ShellQuote(dir.string()) + " -o " +
                                ShellQuote(module_out.string()) + " --base-out " +
                                ShellQuote(base_out.string()));
  ASSERT_EQ(result.exit_code, 0) << result.err;
  std::string dump, error;
  ASSERT_GE(BpftoolTypeCount(module_out, base_out, &dump, &error), 0) << error;
  EXPECT_NE(dump.find("FUNC 'bpf_ct_set_nat_info'"), std::string::npos);
  const Bytes section = ElfSection(PlainModule(ko), ".BTF");
  ASSERT_FALSE(section.empty());
  EXPECT_TRUE(ReadAll(module_out) == section);
}

INSTANTIATE_TEST_SUITE_P(SharedKernels, ModuleExtractTest,
                         ::testing::Values(ModuleCase{"Debian61", kDebian61},
                                           ModuleCase{"Debian612", kDebian612}),
                         [](const ::testing::TestParamInfo<ModuleCase>& info) {
                           return info.param.label;
                         });

// --- misuse ------------------------------------------------------------------

TEST(BtfExtractErrorTest, BaseOutWithoutAModuleFailsAndWritesNothing) {
  const fs::path raw = SharedKernelDir(kHost618) / "vmlinux.btf";
  KC_REQUIRE_PATH(raw);
  const fs::path scratch = TestDir();
  CommandResult result = RunCli("btf extract --kernel " + ShellQuote(raw.string()) + " -o " +
                                ShellQuote((scratch / "out.btf").string()) + " --base-out " +
                                ShellQuote((scratch / "base.btf").string()));
  EXPECT_NE(result.exit_code, 0);
  EXPECT_NE(result.err.find("--base-out"), std::string::npos) << result.err;
  EXPECT_FALSE(fs::exists(scratch / "out.btf"));
  EXPECT_FALSE(fs::exists(scratch / "base.btf"));
}

TEST(BtfExtractErrorTest, UnknownModuleFailsNamingIt) {
  const fs::path dir = SharedKernelDir(kHost618);
  KC_REQUIRE_PATH(dir);
  const fs::path scratch = TestDir();
  CommandResult result = RunCli("btf extract --kernel " + ShellQuote(dir.string()) +
                                " --module nf_conntrack -o " +
                                ShellQuote((scratch / "m.btf").string()));
  EXPECT_NE(result.exit_code, 0);
  EXPECT_NE(result.err.find("nf_conntrack"), std::string::npos) << result.err;
  EXPECT_FALSE(fs::exists(scratch / "m.btf"));
}

}  // namespace
}  // namespace kcontract
