// The opt-in macro (shims/kcontract/opt_in.h): it survives clang -O2 into the
// object's BTF, where kcontract and bpftool both see it; several opt-ins per
// object work; malformed tags are reported, not taken; and an object with
// opt-ins loads with libbpf 1.1.2 on the running kernel exactly as its
// control without them does, while the same harness does report a load the
// verifier refuses.
#include <gtest/gtest.h>
#include <unistd.h>

#include <bpf/libbpf.h>

#include <filesystem>
#include <map>
#include <regex>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "abi/object/bpf_object.h"
#include "abi/object/opt_in_tags.h"
#include "abi/report/object_report.h"
#include "tests/test_support.h"

namespace kcontract {
namespace {

namespace fs = std::filesystem;
using testing::BpftoolDumpCommand;
using testing::HaveTool;
using testing::ProcessScratch;
using testing::RunCli;
using testing::RunCommand;
using testing::RunToText;
using testing::ShellQuote;

std::string ObjectPath(const std::string& name) {
  return std::string(KCONTRACT_OBJECT_DIR) + "/" + name + ".o";
}

std::unique_ptr<BpfObject> Read(const std::string& name) {
  auto objects = ReadBpfObjects(ObjectPath(name));
  EXPECT_TRUE(objects.ok()) << objects.status();
  if (!objects.ok() || objects->size() != 1) return nullptr;
  return std::move(objects->front());
}

TEST(OptInMacro, BothOptInsOfAnObjectReachItsBtf) {
  std::unique_ptr<BpfObject> object = Read("optin_socket");
  ASSERT_NE(object, nullptr);
  EXPECT_EQ(object->opt_ins, (std::vector<std::string>{"bpf_thp", "sched_ext"}));
  EXPECT_TRUE(object->warnings.empty()) << object->warnings.front();
  // The dedicated variables are no map: .kcontract is not a data section.
  EXPECT_TRUE(object->maps.empty());
}

TEST(OptInMacro, ControlWithoutTheMacroHasNone) {
  std::unique_ptr<BpfObject> object = Read("optin_control");
  ASSERT_NE(object, nullptr);
  EXPECT_TRUE(object->opt_ins.empty());
  ASSERT_EQ(object->programs.size(), 1u);
  EXPECT_EQ(object->programs[0].name, "kc_accept_all");
}

// bpftool's independent reading of the BTF: each tag is a DECL_TAG on a
// static VAR (whole variable: component_idx=-1) listed in DATASEC .kcontract.
TEST(OptInMacro, BpftoolSeesEachTagOnAVariableOfTheKcontractSection) {
  if (!HaveTool("bpftool")) GTEST_SKIP() << "needs bpftool";
  std::string dump, error;
  ASSERT_TRUE(
      RunToText(BpftoolDumpCommand(ObjectPath("optin_socket")) + " format raw", &dump, &error))
      << error;
  std::map<std::string, std::string> var_by_id;
  std::smatch m;
  static const std::regex var_re(
      R"(\[(\d+)\] VAR '(__kcontract_opt_in_\d+)' type_id=\d+, linkage=static)");
  for (auto it = std::sregex_iterator(dump.begin(), dump.end(), var_re);
       it != std::sregex_iterator(); ++it) {
    var_by_id[(*it)[1]] = (*it)[2];
  }
  ASSERT_EQ(var_by_id.size(), 2u) << dump;
  // The DATASEC's lines: "[N] DATASEC '.kcontract' ..." and its "\ttype_id="
  // rows.
  size_t datasec_at = dump.find("DATASEC '.kcontract'");
  ASSERT_NE(datasec_at, std::string::npos) << dump;
  size_t datasec_end = dump.find("\n[", datasec_at);
  std::string datasec = dump.substr(datasec_at, datasec_end - datasec_at);
  static const std::regex tag_re(
      R"(DECL_TAG 'kcontract:optin=([a-z_]+)' type_id=(\d+) component_idx=-1)");
  std::vector<std::string> tokens;
  for (auto it = std::sregex_iterator(dump.begin(), dump.end(), tag_re);
       it != std::sregex_iterator(); ++it) {
    tokens.push_back((*it)[1]);
    const std::string var = var_by_id[(*it)[2]];
    EXPECT_FALSE(var.empty()) << "tag on type " << (*it)[2] << ", not an opt-in variable";
    EXPECT_NE(datasec.find("(VAR '" + var + "')"), std::string::npos)
        << var << " is not in DATASEC .kcontract:\n"
        << datasec;
  }
  EXPECT_EQ(tokens, (std::vector<std::string>{"bpf_thp", "sched_ext"}));
}

TEST(OptInMacro, MalformedTagsAreWarnedAndNeverTaken) {
  std::unique_ptr<BpfObject> object = Read("optin_malformed");
  ASSERT_NE(object, nullptr);
  // The repeated KCONTRACT_OPT_IN("bpf_thp") counts once.
  EXPECT_EQ(object->opt_ins, (std::vector<std::string>{"bpf_thp"}));
  std::string warnings;
  for (const std::string& w : object->warnings) warnings += w + "\n";
  EXPECT_EQ(object->warnings.size(), 3u) << warnings;
  for (const char* expected :
       {"\"kcontract:optin=on_function\"", "is on a FUNC", "\"kcontract:optin=\" ",
        "names no interface", "\"kcontract:optin=bpf thp;rm\"", "has a token not made of"}) {
    EXPECT_NE(warnings.find(expected), std::string::npos) << expected << "\n" << warnings;
  }
}

TEST(OptInTokens, AreInterfaceNamesOrContractTokens) {
  for (const char* good : {"bpf_thp", "tcp_congestion_ops.init", "mthp-ext", "v2"}) {
    EXPECT_TRUE(IsValidOptInToken(good)) << good;
  }
  for (std::string bad : {std::string(""), std::string("bpf thp"), std::string("a;b"),
                          std::string("x\n"), std::string(kMaxOptInTokenLength + 1, 'a')}) {
    EXPECT_FALSE(IsValidOptInToken(bad)) << bad;
  }
}

TEST(OptInObjectShow, ShowsOptInsInTextAndJson) {
  auto text = RunCli("object show " + ShellQuote(ObjectPath("optin_socket")));
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_NE(text.out.find("opt-in bpf_thp\nopt-in sched_ext\n"), std::string::npos) << text.out;
  auto json = RunCli("object show --json " + ShellQuote(ObjectPath("optin_socket")));
  ASSERT_EQ(json.exit_code, 0) << json.err;
  auto parsed = nlohmann::json::parse(json.out);
  EXPECT_EQ(parsed["objects"][0]["opt_ins"], nlohmann::json::array({"bpf_thp", "sched_ext"}));
  auto control = RunCli("object show --json " + ShellQuote(ObjectPath("optin_control")));
  EXPECT_EQ(nlohmann::json::parse(control.out)["objects"][0]["opt_ins"], nlohmann::json::array());
}

// libbpf 1.1.2 itself opening the object (no kernel involved): the section
// is skipped, and no map comes of it.
TEST(OptInMacro, Libbpf112OpensItWithoutAMapForTheSection) {
  bpf_object* obj = bpf_object__open_file(ObjectPath("optin_socket").c_str(), nullptr);
  ASSERT_NE(obj, nullptr) << "libbpf refused to open the object: " << errno;
  int maps = 0;
  bpf_map* map;
  bpf_object__for_each_map(map, obj)++ maps;
  int programs = 0;
  bpf_program* program;
  bpf_object__for_each_program(program, obj)++ programs;
  bpf_object__close(obj);
  EXPECT_EQ(maps, 0);
  EXPECT_EQ(programs, 1);
}

// bpftool (its own libbpf) generating a skeleton: the section is skipped
// with an info line, not an error, and the skeleton has no map for it.
TEST(OptInMacro, BpftoolSkipsTheSectionWhenGeneratingASkeleton) {
  if (!HaveTool("bpftool")) GTEST_SKIP() << "needs bpftool";
  auto result = RunCommand("bpftool gen skeleton " + ShellQuote(ObjectPath("optin_socket")) +
                           " name kc_optin");
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_NE(result.err.find("skipping unrecognized data section"), std::string::npos) << result.err;
  EXPECT_NE(result.out.find("kc_accept_all"), std::string::npos);
  EXPECT_EQ(result.out.find("kcontract"), std::string::npos) << "skeleton mentions the section";
}

// --- real loads on the running kernel, through libbpf 1.1.2 ------------------

struct LoadResult {
  std::string load;  // the oracle's: loaded, eperm, verifier_rejected, ...
  std::string log;   // everything libbpf printed, debug level included
};

// Runs tests/oracle's kc_libbpf_oracle in its --running mode: libbpf 1.1.2
// opens and loads the object into the running kernel.
LoadResult LoadOnRunningKernel(const std::string& name) {
  fs::path log = ProcessScratch("opt_in_test") / (name + ".log");
  auto result =
      RunCommand(std::string(KC_LIBBPF_ORACLE_EXE) + " --running --kernel running" + " --object " +
                 ShellQuote(ObjectPath(name)) + " --log " + ShellQuote(log.string()));
  EXPECT_EQ(result.exit_code, 0) << result.err;
  LoadResult out;
  if (result.exit_code != 0) return out;
  out.load = nlohmann::json::parse(result.out)["load"];
  Bytes bytes = testing::ReadFileOrDie(log);
  out.log.assign(bytes.begin(), bytes.end());
  return out;
}

class RunningKernelLoad : public ::testing::Test {
 protected:
  void SetUp() override {
    if (geteuid() != 0) GTEST_SKIP() << "loading BPF programs needs root";
    if (!fs::exists("/sys/kernel/btf/vmlinux")) {
      GTEST_SKIP() << "the running kernel has no /sys/kernel/btf/vmlinux";
    }
    control_ = LoadOnRunningKernel("optin_control");
    if (control_.load == "eperm") {
      GTEST_SKIP() << "this kernel does not permit loading a socket filter (EPERM)";
    }
  }
  LoadResult control_;
};

TEST_F(RunningKernelLoad, ObjectWithOptInsLoadsAsItsControlDoes) {
  // The control: the same source without KCONTRACT_OPT_IN.
  EXPECT_EQ(control_.load, "loaded") << control_.log;
  LoadResult with = LoadOnRunningKernel("optin_socket");
  EXPECT_EQ(with.load, "loaded") << with.log;
  // libbpf skipped the section, and the kernel took the object's BTF (the
  // tags and DATASEC .kcontract with it): libbpf says when it has to drop it.
  ASSERT_NE(with.log.find("loading object"), std::string::npos) << "no libbpf log:\n" << with.log;
  EXPECT_TRUE(std::regex_search(
      with.log, std::regex(R"(skipping unrecognized data section\(\d+\) \.kcontract)")))
      << with.log;
  EXPECT_EQ(with.log.find("Error loading .BTF"), std::string::npos) << with.log;
  EXPECT_EQ(with.log.find("BTF is optional"), std::string::npos) << with.log;
  EXPECT_EQ(control_.log.find(".kcontract"), std::string::npos) << control_.log;
}

TEST_F(RunningKernelLoad, HarnessReportsALoadTheVerifierRefuses) {
  // Without this, "loaded" above could be what the harness always says.
  LoadResult rejected = LoadOnRunningKernel("optin_rejected");
  EXPECT_EQ(rejected.load, "verifier_rejected") << rejected.log;
}

}  // namespace
}  // namespace kcontract
