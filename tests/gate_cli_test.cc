// `kcontract gate` on real inputs: corpus objects in a directory with a
// skeleton executable, a duplicate, a symlink, a file that is no object and
// a truncated one; a .deb built here with dpkg-deb; against the shared 6.18
// kernel (raw BTF, the fastest to read) and a model kernel as the other
// side of a baseline. Shards merged equal one run; -j does not change the
// output; waivers through the command line.
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "tests/gate_schemas.h"
#include "tests/test_support.h"

namespace kcontract {
namespace {

namespace fs = std::filesystem;
using testing::CommandResult;
using testing::RunCli;
using testing::ShellQuote;

// Objects that load on 6.18 and objects that do not.
constexpr const char* kObjects[] = {"kfunc_task_from_pid", "kfunc_never_merged",
                                    "kfunc_proto_arity", "kfunc_weak_guarded",
                                    "core_field_exists", "fentry_present"};

std::string Kernel618() {
  return (testing::SharedKernelDir("host-6.18.44") / "vmlinux.btf").string();
}

void WriteText(const fs::path& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

std::string ReadText(const fs::path& path) {
  Bytes bytes = testing::ReadFileOrDie(path);
  return std::string(bytes.begin(), bytes.end());
}

class GateCliTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    // Per process: ctest runs each test of this suite as its own process,
    // in parallel.
    dir_ = new fs::path(testing::ProcessScratch("gate_cli"));
    fs::path objects = *dir_ / "objects";
    fs::create_directories(objects / "sub");
    for (const char* name : kObjects) {
      fs::copy_file(fs::path(KC_CORPUS_DIR) / (std::string(name) + ".bpf.o"),
                    objects / (std::string(name) + ".bpf.o"));
    }
    // The same bytes under another name, and a symlink to a file.
    fs::copy_file(objects / "kfunc_never_merged.bpf.o", objects / "sub" / "copy.bpf.o");
    fs::create_symlink("kfunc_task_from_pid.bpf.o", objects / "link.bpf.o");
    WriteText(objects / "README", "not an object\n");
    // A truncated object in the middle of the inputs.
    Bytes whole = testing::ReadFileOrDie(objects / "fentry_present.bpf.o");
    testing::WriteFileOrDie(objects / "cut.bpf.o", ByteView(whole.data(), 200));
#ifdef KCONTRACT_SKELETON_EXE
    fs::copy_file(KCONTRACT_SKELETON_EXE, objects / "show_all_tool");
#endif
  }
  static void TearDownTestSuite() { delete dir_; }

  void SetUp() override { KC_REQUIRE_PATH(Kernel618()); }

  static std::string Objects() { return ShellQuote((*dir_ / "objects").string()); }
  static std::string Gate(const std::string& args) {
    return "gate " + Objects() + " --kernel " + ShellQuote(Kernel618()) +
           " --no-default-manifests --progress never " + args;
  }
  static nlohmann::json Json(const CommandResult& r) {
    nlohmann::json j = nlohmann::json::parse(r.out, nullptr, false);
    EXPECT_FALSE(j.is_discarded()) << r.out << r.err;
    return j;
  }
  static const nlohmann::json* RowNamed(const nlohmann::json& j, const std::string& suffix) {
    for (const nlohmann::json& row : j["objects"]) {
      std::string name = row["name"];
      if (name.size() >= suffix.size() &&
          name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0) {
        return &row;
      }
    }
    return nullptr;
  }

  // The CI files a run wrote, against their schemas (gate_schema_test
  // proves the schemas refuse what lacks a required part).
  static void ExpectValidCiFiles(const fs::path& junit, const fs::path& sarif) {
    if (!testing::MissingSchemaValidators().empty()) return;
    testing::CommandResult j = testing::ValidateJunit(junit);
    EXPECT_EQ(j.exit_code, 0) << j.err;
    testing::CommandResult s = testing::ValidateSarif(sarif);
    EXPECT_EQ(s.exit_code, 0) << s.out << s.err;
  }

  static fs::path* dir_;
};
fs::path* GateCliTest::dir_ = nullptr;

TEST_F(GateCliTest, OneRowPerDistinctObjectABadInputIsItsOwnRow) {
  CommandResult r = RunCli(Gate("--format json -j 2"));
  // Cells that cannot load (8) and an unreadable input (1); the run went on.
  EXPECT_EQ(r.exit_code, 8 | 1) << r.err;
  nlohmann::json j = Json(r);
  EXPECT_EQ(j["format_version"], 1);
  EXPECT_EQ(j["kernels"].size(), 1u);
  size_t expected_rows = std::size(kObjects) + 1;  // + cut.bpf.o
#ifdef KCONTRACT_SKELETON_EXE
  expected_rows += 1;
#endif
  EXPECT_EQ(j["objects"].size(), expected_rows);
  const nlohmann::json* cut = RowNamed(j, "/cut.bpf.o");
  ASSERT_NE(cut, nullptr);
  EXPECT_TRUE((*cut)["error"].is_string());
  EXPECT_TRUE((*cut)["cells"].empty());
  // The duplicate: one row, both names.
  const nlohmann::json* merged = RowNamed(j, "/kfunc_never_merged.bpf.o");
  ASSERT_NE(merged, nullptr);
  EXPECT_EQ((*merged)["names"].size(), 2u);
  EXPECT_EQ((*merged)["cells"][0]["state"], "FAIL");
  // The symlink leads to a file read once.
  EXPECT_EQ(RowNamed(j, "/link.bpf.o"), nullptr);
  EXPECT_EQ((*RowNamed(j, "/kfunc_task_from_pid.bpf.o"))["names"].size(), 1u);
  EXPECT_EQ((*RowNamed(j, "/kfunc_task_from_pid.bpf.o"))["cells"][0]["state"], "ok");
  EXPECT_EQ(RowNamed(j, "/README"), nullptr);
#ifdef KCONTRACT_SKELETON_EXE
  bool skeleton = false;
  for (const nlohmann::json& row : j["objects"]) {
    std::string name = row["name"];
    skeleton |= name.find("/show_all_tool@0x") != std::string::npos;
  }
  EXPECT_TRUE(skeleton) << r.out;
#endif
}

// A kernel that does not exist and one cut short are columns of their own
// with their reasons; the readable kernel's cells are those of a run on it
// alone; the run goes on with exit bit 1. The same for the baseline.
TEST_F(GateCliTest, AnUnreadableKernelIsAColumnOfItsOwn) {
  fs::path missing = *dir_ / "no-such-kernel.btf";
  fs::path cut = *dir_ / "cut-kernel.btf";
  Bytes btf = testing::ReadFileOrDie(Kernel618());
  testing::WriteFileOrDie(cut, ByteView(btf.data(), 5000));
  const std::string kernels = " --kernel " + ShellQuote(missing.string()) + " --kernel " +
                              ShellQuote(Kernel618()) + " --kernel " + ShellQuote(cut.string());
  const std::string args = "gate " + Objects() + kernels +
                           " --no-default-manifests --progress never ";
  fs::path junit = *dir_ / "unreadable.junit.xml", sarif = *dir_ / "unreadable.sarif",
           html = *dir_ / "unreadable.html";
  CommandResult r = RunCli(args + "--format json --junit " + ShellQuote(junit.string()) +
                           " --sarif " + ShellQuote(sarif.string()) + " --html " +
                           ShellQuote(html.string()));
  EXPECT_EQ(r.exit_code, 8 | 1) << r.err;
  nlohmann::json j = Json(r);
  ASSERT_EQ(j["kernels"].size(), 3u) << r.out;
  EXPECT_EQ(j["kernels"][0], missing.string());
  EXPECT_EQ(j["kernels"][2], cut.string());
  EXPECT_EQ(j["kernel_totals"][0]["error"], "no such file or directory");
  EXPECT_TRUE(j["kernel_totals"][1]["error"].is_null());
  std::string cut_reason = j["kernel_totals"][2]["error"];
  EXPECT_NE(cut_reason.find("BTF"), std::string::npos) << cut_reason;
  EXPECT_EQ(j["totals"]["unreadable_kernels"], 2);
  // The readable kernel's column is what a run on it alone gives.
  nlohmann::json alone = Json(RunCli(Gate("--format json")));
  ASSERT_EQ(alone["objects"].size(), j["objects"].size());
  for (size_t i = 0; i < j["objects"].size(); ++i) {
    const nlohmann::json& row = j["objects"][i];
    EXPECT_EQ(row["name"], alone["objects"][i]["name"]);
    if (!row["error"].is_null()) continue;  // the cut object: no cells
    ASSERT_EQ(row["cells"].size(), 3u);
    EXPECT_EQ(row["cells"][0]["state"], "unreadable");
    EXPECT_TRUE(row["cells"][0]["verdict"].is_null());
    EXPECT_EQ(row["cells"][2]["state"], "unreadable");
    nlohmann::json cell = row["cells"][1], expected = alone["objects"][i]["cells"][0];
    cell.erase("kernel");
    expected.erase("kernel");
    EXPECT_EQ(cell, expected) << row["name"];
  }
  EXPECT_EQ(j["kernel_totals"][1]["loads"], alone["kernel_totals"][0]["loads"]);
  // Every other output says so.
  CommandResult text = RunCli(args + "--format text");
  EXPECT_EQ(text.exit_code, 8 | 1);
  EXPECT_NE(text.out.find("  " + missing.string() + ": unreadable: no such file or directory\n"),
            std::string::npos)
      << text.out;
  EXPECT_NE(text.out.find("  " + cut.string() + ": unreadable: " + cut_reason + "\n"),
            std::string::npos)
      << text.out;
  EXPECT_NE(text.out.find("; unreadable kernels: 2\n"), std::string::npos) << text.out;
  CommandResult markdown = RunCli(args + "--format markdown");
  EXPECT_NE(markdown.out.find("- `" + missing.string() +
                              "`: **unreadable**: no such file or directory\n"),
            std::string::npos)
      << markdown.out;
  EXPECT_NE(ReadText(junit).find("<error type=\"unreadable-kernel\" message=\"kernel " +
                                 missing.string() + " cannot be read: no such file or directory"),
            std::string::npos);
  int unreadable_results = 0;
  nlohmann::json sarif_json = nlohmann::json::parse(ReadText(sarif));
  for (const nlohmann::json& result : sarif_json["runs"][0]["results"]) {
    unreadable_results += result["ruleId"] == "unreadable-kernel";
  }
  EXPECT_EQ(unreadable_results, 2);
  EXPECT_NE(ReadText(html).find(cut_reason), std::string::npos);
  ExpectValidCiFiles(junit, sarif);
  // A baseline that cannot be read: no row has a baseline verdict, so
  // every failing cell blocks.
  CommandResult base = RunCli(Gate("--format json --baseline-kernel " + ShellQuote(cut.string())));
  EXPECT_EQ(base.exit_code, 8 | 1) << base.err;
  nlohmann::json b = Json(base);
  EXPECT_EQ(b["baseline_error"], cut_reason);
  EXPECT_EQ(b["totals"]["fails"], alone["totals"]["fails"]);
}

TEST_F(GateCliTest, OutputDoesNotDependOnThreads) {
  CommandResult one = RunCli(Gate("-j 1"));
  CommandResult two = RunCli(Gate("-j 2"));
  EXPECT_EQ(one.out, two.out);
  EXPECT_EQ(one.exit_code, two.exit_code);
  EXPECT_NE(one.out.find("unreadable: "), std::string::npos) << one.out;
  // Not a terminal, --progress never: nothing but warnings on stderr.
  EXPECT_EQ(one.err.find("gate: "), std::string::npos);
}

TEST_F(GateCliTest, ProgressWhenAskedFor) {
  std::string args = "gate " + Objects() + " --kernel " + ShellQuote(Kernel618()) +
                     " --no-default-manifests --progress always -j 1";
  CommandResult r = RunCli(args);
  // Every readable object on one kernel: the last line says all are done.
  size_t readable = std::size(kObjects);
#ifdef KCONTRACT_SKELETON_EXE
  readable += 1;
#endif
  std::string done = "gate: " + std::to_string(readable) + "/" + std::to_string(readable);
  EXPECT_NE(r.err.find(done + " checked"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("objects/s"), std::string::npos) << r.err;
  EXPECT_EQ(r.out, RunCli(Gate("-j 1")).out);
}

// Shards merged are one run, byte for byte, in every format and in the
// exit status; also with a kernel whose reading warns (a directory with a
// dangling link beside its BTF): each shard holds the warning, the merge
// says it once.
TEST_F(GateCliTest, ShardsMergedEqualOneRun) {
  fs::path kernel_dir = *dir_ / "kernel-with-warning";
  fs::create_directories(kernel_dir);
  fs::create_symlink(Kernel618(), kernel_dir / "vmlinux.btf");
  fs::create_symlink("no-such-module.ko", kernel_dir / "gone.ko");
  const std::string gate = Gate("--kernel " + ShellQuote(kernel_dir.string()) + " ");
  CommandResult whole = RunCli(gate + "--format json");
  EXPECT_EQ(whole.exit_code, 8 | 4 | 1) << whole.err;
  bool warned = false;
  nlohmann::json whole_json = Json(whole);
  for (const nlohmann::json& d : whole_json["diagnostics"]) {
    warned |= d["code"] == "kernel-warning" &&
              d["message"].get<std::string>().find("gone.ko: skipped: a dangling symbolic link") !=
                  std::string::npos;
  }
  EXPECT_TRUE(warned) << whole.out;
  std::string files;
  for (int index = 1; index <= 3; ++index) {
    fs::path file = *dir_ / ("shard" + std::to_string(index) + ".json");
    CommandResult shard = RunCli(gate + "--format json --shard " + std::to_string(index) + "/3");
    ASSERT_FALSE(shard.out.empty()) << shard.err;
    WriteText(file, shard.out);
    files += " " + ShellQuote(file.string());
  }
  for (const char* format : {"json", "text", "markdown"}) {
    CommandResult one = RunCli(gate + "--format " + format);
    CommandResult merged = RunCli(std::string("gate merge --format ") + format + files);
    EXPECT_EQ(merged.exit_code, one.exit_code) << format << merged.err;
    EXPECT_EQ(merged.out, one.out) << format;
  }
  EXPECT_EQ(RunCli(Gate("--shard 4/3")).exit_code, 2);
}

TEST_F(GateCliTest, WaiversMatchedExpiredUnusedAndBad) {
  fs::path waivers = *dir_ / "waivers.toml";
  WriteText(waivers, R"(format_version = 1
[[waiver]]
object = "*/kfunc_never_merged.bpf.o"
reason = "never merged upstream; dropped in 2.0"
expires = 2999-01-01
[[waiver]]
object = "*/kfunc_proto_arity.bpf.o"
reason = "old"
expires = 2001-01-01
[[waiver]]
object = "*/not_shipped.bpf.o"
reason = "stale"
expires = 2999-01-01
)");
  CommandResult r = RunCli(Gate("--format json --waivers " + ShellQuote(waivers.string())));
  EXPECT_EQ(r.exit_code, 8 | 4 | 1) << r.err;
  nlohmann::json j = Json(r);
  EXPECT_EQ((*RowNamed(j, "/kfunc_never_merged.bpf.o"))["cells"][0]["state"], "waived");
  EXPECT_EQ((*RowNamed(j, "/kfunc_proto_arity.bpf.o"))["cells"][0]["state"], "FAIL");
  std::vector<std::string> codes;
  for (const nlohmann::json& d : j["diagnostics"]) codes.push_back(d["code"]);
  EXPECT_NE(std::find(codes.begin(), codes.end(), "waiver-expired"), codes.end());
  EXPECT_NE(std::find(codes.begin(), codes.end(), "waiver-unused"), codes.end());

  fs::path bad = *dir_ / "bad_waivers.toml";
  WriteText(bad,
            "format_version = 1\n[[waiver]]\nobject = 3\nreason = \"r\"\nexpires = 2999-01-01\n");
  CommandResult refused = RunCli(Gate("--waivers " + ShellQuote(bad.string())));
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_NE(refused.err.find(bad.string() + ":3:10: error: 'object' must be a string"),
            std::string::npos)
      << refused.err;
  EXPECT_TRUE(refused.out.empty());
}

TEST_F(GateCliTest, BaselineRegressionsAndFixes) {
  std::string model = testing::ModelKernelPath("sched_ext_6_13");
  KC_REQUIRE_PATH(model);
  // 6.18 today, the model kernel as the candidate: what loads today and not
  // there is a regression.
  CommandResult r = RunCli("gate " + Objects() + " --baseline-kernel " + ShellQuote(Kernel618()) +
                           " --kernel " + ShellQuote(model) +
                           " --no-default-manifests --progress never --format json");
  nlohmann::json j = Json(r);
  int regressions = j["totals"]["regressions"];
  EXPECT_GT(regressions, 0) << r.out;
  EXPECT_EQ(r.exit_code & 8, 8);
  EXPECT_EQ((*RowNamed(j, "/kfunc_task_from_pid.bpf.o"))["baseline"], "loads");
  // The other way round: failures that were there already are known, not
  // blocking; what loads on 6.18 and not on the model is fixed.
  CommandResult back = RunCli("gate " + Objects() + " --baseline-kernel " + ShellQuote(model) +
                              " --kernel " + ShellQuote(Kernel618()) +
                              " --no-default-manifests --progress never --format json");
  nlohmann::json k = Json(back);
  EXPECT_GT(k["totals"]["fixed"].get<int>(), 0) << back.out;
  EXPECT_EQ((back.exit_code & 8) != 0, k["totals"]["regressions"].get<int>() > 0) << back.out;
  EXPECT_EQ((*RowNamed(k, "/kfunc_never_merged.bpf.o"))["cells"][0]["state"], "known");
}

TEST_F(GateCliTest, DebianPackageAndCiFiles) {
  if (!testing::HaveTool("dpkg-deb")) GTEST_SKIP() << "needs dpkg-deb";
  fs::path root = *dir_ / "pkgroot";
  fs::create_directories(root / "DEBIAN");
  fs::create_directories(root / "usr/lib/bpf-policies");
  fs::create_directories(root / "usr/share/doc/bpf-policies");
  WriteText(root / "DEBIAN/control",
            "Package: bpf-policies\nVersion: 1.0\nArchitecture: all\n"
            "Maintainer: Test <test@example.org>\nDescription: BPF policies for the gate test\n");
  fs::copy_file(fs::path(KC_CORPUS_DIR) / "kfunc_task_from_pid.bpf.o",
                root / "usr/lib/bpf-policies/task.bpf.o");
  fs::copy_file(fs::path(KC_CORPUS_DIR) / "kfunc_never_merged.bpf.o",
                root / "usr/lib/bpf-policies/stall.bpf.o");
  WriteText(root / "usr/share/doc/bpf-policies/README", "docs\n");
  fs::path deb = *dir_ / "bpf-policies_1.0_all.deb";
  CommandResult built = testing::RunCommand("dpkg-deb --root-owner-group --build " +
                                            ShellQuote(root.string()) + " " +
                                            ShellQuote(deb.string()));
  ASSERT_EQ(built.exit_code, 0) << built.err;
  fs::path junit = *dir_ / "gate.junit.xml", sarif = *dir_ / "gate.sarif",
           html = *dir_ / "gate.html";
  CommandResult r = RunCli("gate " + ShellQuote(deb.string()) + " --kernel " +
                           ShellQuote(Kernel618()) +
                           " --no-default-manifests --progress never --format json --junit " +
                           ShellQuote(junit.string()) + " --sarif " + ShellQuote(sarif.string()) +
                           " --html " + ShellQuote(html.string()));
  EXPECT_EQ(r.exit_code, 8) << r.err;
  nlohmann::json j = Json(r);
  ASSERT_EQ(j["objects"].size(), 2u) << r.out;
  EXPECT_EQ(j["objects"][0]["name"], deb.string() + ":usr/lib/bpf-policies/stall.bpf.o");
  EXPECT_EQ(j["objects"][1]["name"], deb.string() + ":usr/lib/bpf-policies/task.bpf.o");
  EXPECT_NE(ReadText(junit).find("<testsuites name=\"kcontract gate\" tests=\"2\" failures=\"1\""),
            std::string::npos);
  nlohmann::json s = nlohmann::json::parse(ReadText(sarif));
  EXPECT_EQ(s["version"], "2.1.0");
  EXPECT_NE(ReadText(html).find("<!DOCTYPE html>"), std::string::npos);
  ExpectValidCiFiles(junit, sarif);
  // A corrupt package is a row of its own.
  fs::path broken = *dir_ / "broken.deb";
  Bytes bytes = testing::ReadFileOrDie(deb);
  testing::WriteFileOrDie(broken, ByteView(bytes.data(), bytes.size() / 2));
  CommandResult b = RunCli("gate " + ShellQuote(broken.string()) + " " + ShellQuote(deb.string()) +
                           " --kernel " + ShellQuote(Kernel618()) +
                           " --no-default-manifests --progress never --format json");
  EXPECT_EQ(b.exit_code, 8 | 1) << b.err;
  EXPECT_EQ(Json(b)["objects"].size(), 3u) << b.out;
}

}  // namespace
}  // namespace kcontract
