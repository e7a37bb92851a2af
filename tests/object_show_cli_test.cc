// `kcontract object show`: the text and JSON renderings of a BPF object,
// and how the CLI reports bad input, objects without BTF and embedded
// objects.
#include "abi/object/bpf_object.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>

#include "abi/report/object_report.h"
#include "tests/bpf_object_support.h"
#include "tests/test_support.h"

namespace kcontract {
namespace {

namespace fs = std::filesystem;
using testing::Junk;
using testing::ObjectPath;
using testing::Quote;
using testing::ReadFileOrDie;
using testing::RunCli;
using testing::ScratchDir;
using testing::SectionRange;
using testing::WriteFileOrDie;

// ---- rendering and the CLI ---------------------------------------------------------

TEST(ObjectShowCli, PrintsTerseTextAndExitsZero) {
  auto result = RunCli("object show " + Quote(ObjectPath("show_all")));
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.err, "");
  const std::string& out = result.out;
  for (const char* expected : {
           "object " KCONTRACT_OBJECT_DIR "/show_all.o: license GPL, btf, btf.ext\n",
           "program on_switch  section tp_btf/sched_switch  type tracing  attach trace_raw_tp  "
           "target sched_switch\n",
           "\thelpers 1:bpf_map_lookup_elem 2:bpf_map_update_elem 6:bpf_trace_printk "
           "113:bpf_probe_read_kernel\n",
           "\tkfuncs bpf_task_acquire bpf_task_release\n",
           "map kc_cc  section .struct_ops  type struct_ops  struct tcp_congestion_ops\n",
           "\t.init = kc_init\n",
           "\t.name = (data)\n",
           "kfunc bpf_task_release  weak  void bpf_task_release(struct task_struct *)\n",
           "ksym runqueues  strong  const struct rq runqueues\n",
           "kconfig LINUX_KERNEL_VERSION  strong  int LINUX_KERNEL_VERSION\n",
           "core on_switch  byte_off  task_struct->mm  [0:1]\n",
       }) {
    EXPECT_NE(out.find(expected), std::string::npos) << "missing: " << expected << "\nin:\n"
                                                     << out;
  }
}

TEST(ObjectShowCli, JsonCarriesFormatVersionAndEverySection) {
  auto result = RunCli("object show --json " + Quote(ObjectPath("show_all")));
  ASSERT_EQ(result.exit_code, 0) << result.err;
  auto json = nlohmann::json::parse(result.out);
  EXPECT_EQ(json["format_version"], kObjectJsonVersion);
  ASSERT_EQ(json["objects"].size(), 1u);
  const auto& object = json["objects"][0];
  EXPECT_EQ(object["license"], "GPL");
  EXPECT_EQ(object["programs"].size(), 4u);
  EXPECT_EQ(object["maps"].size(), 3u);
  EXPECT_EQ(object["externs"].size(), 5u);
  EXPECT_EQ(object["core_relocations"].size(), 10u);
  EXPECT_EQ(object["programs"][0]["helper_calls"][0]["name"], "bpf_map_lookup_elem");
  EXPECT_EQ(object["maps"][2]["callbacks"][1]["program"], "kc_ssthresh");
}

TEST(ObjectShowCli, BadInputExitsOneWithOneLine) {
  fs::path dir = ScratchDir("ObjectShowCli.BadInput");
  Bytes bytes = ReadFileOrDie(ObjectPath("show_all"));
  Bytes half(bytes.begin(), bytes.begin() + bytes.size() / 2);
  WriteFileOrDie(dir / "truncated.o", half);
  std::string text = "hello\n";
  WriteFileOrDie(dir / "text.o", ByteView(reinterpret_cast<const uint8_t*>(text.data()), text.size()));
  Bytes corrupt = bytes;
  auto [ext, ext_size] = SectionRange(bytes, ".BTF.ext");
  corrupt[ext] ^= 0xff;
  WriteFileOrDie(dir / "corrupt_ext.o", corrupt);
  for (const fs::path& path : {dir / "truncated.o", dir / "text.o", dir / "corrupt_ext.o",
                               fs::path(KCONTRACT_CLI), dir / "missing.o"}) {
    auto result = RunCli("object show " + Quote(path));
    EXPECT_EQ(result.exit_code, 1) << path << "\n" << result.err;
    EXPECT_EQ(result.out, "") << path;
    EXPECT_EQ(std::count(result.err.begin(), result.err.end(), '\n'), 1) << result.err;
    EXPECT_EQ(result.err.rfind("kcontract: error: " + path.string(), 0), 0u) << result.err;
  }
}

TEST(ObjectShowCli, ObjectWithoutBtfIsShownWithWarningsAndExitBit4) {
  auto result = RunCli("object show " + Quote(ObjectPath("show_nobtf")));
  EXPECT_EQ(result.exit_code, 4) << result.err;
  EXPECT_NE(result.out.find("program kc_plain"), std::string::npos) << result.out;
  EXPECT_NE(result.err.find("warning: " KCONTRACT_OBJECT_DIR "/show_nobtf.o: no BTF: kfunc "
                            "prototypes, struct_ops, CO-RE and map types cannot be checked"),
            std::string::npos)
      << result.err;
}

TEST(ObjectShowCli, EmbeddedObjectsAreShownWithTheirOffsets) {
  fs::path path = ScratchDir("ObjectShowCli.Embedded") / "loader.bin";
  Bytes file = Junk(4096, 9);
  Bytes all = ReadFileOrDie(ObjectPath("show_all"));
  file.insert(file.end(), all.begin(), all.end());
  WriteFileOrDie(path, file);
  auto result = RunCli("object show " + Quote(path));
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out.rfind("object " + path.string() + "@0x1000: license GPL", 0), 0u)
      << result.out;
}

}  // namespace
}  // namespace kcontract
