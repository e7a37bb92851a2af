// Kernel snapshots (issue 13): every command (the gate's matrix too) gives
// on a snapshot the output it gives on the kernel the snapshot was made
// from; the same kernel gives the same bytes; damaged, foreign and future snapshots fail with one line
// and exit bit 1; hostile BTF inside one is rejected as raw BTF is.
#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <map>
#include <filesystem>
#include <string>
#include <tuple>
#include <vector>

#include <zlib.h>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "btfdiff/snapshot/snapshot.h"
#include "btfdiff/source/kernel_source.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "tests/test_support.h"

namespace kcontract {
namespace {

namespace fs = std::filesystem;
using testing::CommandResult;
using testing::ReadFileOrDie;
using testing::RunCli;
using testing::RunCommand;
using testing::ScratchDir;
using testing::SharedKernelDir;
using testing::ShellQuote;
using testing::WriteFileOrDie;

constexpr int kExitToolError = 1;

struct Source {
  std::string name;   // test name
  fs::path original;  // a --kernel source
};

fs::path Kernel61() { return SharedKernelDir("debian-6.1.0-50-amd64"); }
fs::path Kernel612() { return SharedKernelDir("debian-6.12.111-amd64"); }
fs::path Kernel618() { return SharedKernelDir("host-6.18.44") / "vmlinux.btf"; }

std::vector<Source> SharedSources() {
  return {{"debian61", Kernel61()}, {"debian612", Kernel612()}, {"host618", Kernel618()}};
}

fs::path CorpusObject(const std::string& name) {
  return fs::path(KCONTRACT_BINARY_DIR) / "corpus" / (name + ".bpf.o");
}

// Objects that reach kfuncs (in vmlinux and modules), struct_ops, CO-RE,
// typed ksyms and kconfig: every part of a kernel a check reads.
std::string CheckObjects() {
  std::string out;
  for (const char* name :
       {"kfunc_task_from_pid", "kfunc_weak_guarded", "kfunc_rstat_renamed",
        "struct_ops_tcp_reno", "struct_ops_unknown_member", "core_field_exists",
        "core_type_matches", "ksym_typed_runqueues", "kconfig_defined", "fentry_present"}) {
    absl::StrAppend(&out, " ", ShellQuote(CorpusObject(name).string()));
  }
  return out;
}

std::string Q(const fs::path& p) { return ShellQuote(p.string()); }

// The snapshot of `source`, made once per process, with its BTF
// compressed (`compression` "zstd") or stored ("none").
fs::path SnapshotOf(const fs::path& source, const std::string& compression = "zstd") {
  static auto* made = new std::map<std::string, fs::path>();
  const std::string key = compression + ":" + source.string();
  auto it = made->find(key);
  if (it != made->end()) return it->second;
  const fs::path out = testing::ProcessScratch("snapshot_test") /
                       (std::to_string(made->size()) + ".kcsnap");
  CommandResult r = RunCli("kernel snapshot --compression " + compression + " --kernel " +
                           Q(source) + " -o " + Q(out));
  EXPECT_EQ(r.exit_code, 0) << r.err;
  (*made)[key] = out;
  return out;
}

// `args` run once with each kernel as given and once with each one's
// snapshot in its place: the outputs are the same once the snapshot's path
// reads as the source's (a kernel without a release is labelled by it).
void ExpectSameOutput(const std::string& args_template, const std::vector<fs::path>& kernels,
                      const std::string& compression = "zstd") {
  std::string original = args_template;
  std::string snapshot = args_template;
  std::vector<std::pair<std::string, std::string>> back;
  for (size_t i = 0; i < kernels.size(); ++i) {
    const std::string slot = "{" + std::to_string(i) + "}";
    const fs::path snap = SnapshotOf(kernels[i], compression);
    original = absl::StrReplaceAll(original, {{slot, Q(kernels[i])}});
    snapshot = absl::StrReplaceAll(snapshot, {{slot, Q(snap)}});
    back.emplace_back(snap.string(), kernels[i].string());
  }
  CommandResult a = RunCli(original);
  CommandResult b = RunCli(snapshot);
  EXPECT_EQ(a.exit_code, b.exit_code) << original << "\n" << a.err << "\n" << b.err;
  EXPECT_EQ(a.out, absl::StrReplaceAll(b.out, back)) << snapshot;
  EXPECT_EQ(a.err, absl::StrReplaceAll(b.err, back)) << snapshot;
  EXPECT_FALSE(a.out.empty()) << original << "\n" << a.err;
}

class SnapshotRoundTrip : public ::testing::TestWithParam<Source> {
 protected:
  void SetUp() override { KC_REQUIRE_PATH(GetParam().original); }
};

TEST_P(SnapshotRoundTrip, KernelViewsAreTheOriginals) {
  const fs::path k = GetParam().original;
  for (const char* format : {"", "--format json "}) {
    ExpectSameOutput(absl::StrCat(format, "kernel kfuncs --kernel {0}"), {k});
    ExpectSameOutput(absl::StrCat(format, "kernel struct-ops --kernel {0}"), {k});
  }
}

TEST_P(SnapshotRoundTrip, ShowSaysWhatItWasMadeFrom) {
  const fs::path k = GetParam().original;
  const fs::path snap = SnapshotOf(k);
  CommandResult a = RunCli("--format json kernel show --kernel " + Q(k));
  CommandResult b = RunCli("--format json kernel show --kernel " + Q(snap));
  ASSERT_EQ(a.exit_code, 0) << a.err;
  ASSERT_EQ(b.exit_code, 0) << b.err;
  nlohmann::json original = nlohmann::json::parse(a.out);
  nlohmann::json from_snapshot = nlohmann::json::parse(b.out);
  EXPECT_EQ(from_snapshot["source"], snap.string());
  EXPECT_EQ(from_snapshot["source_kind"], "snapshot");
  const nlohmann::json& made_from = from_snapshot["made_from"];
  EXPECT_EQ(made_from["kind"], original["source_kind"]);
  EXPECT_EQ(made_from["name"], k.filename().string());
  EXPECT_EQ(made_from["sha256"].get<std::string>().size(), 64u);
  if (fs::is_regular_file(k)) {
    CommandResult sum = RunCommand("sha256sum " + Q(k));
    EXPECT_EQ(sum.out.substr(0, 64), made_from["sha256"]);
  }
  for (const char* key : {"source", "source_kind", "made_from"}) {
    original.erase(key);
    from_snapshot.erase(key);
  }
  EXPECT_EQ(original.dump(1), from_snapshot.dump(1));

  CommandResult text = RunCli("kernel show --kernel " + Q(snap));
  EXPECT_NE(text.out.find("made from:   " + k.filename().string() + " ("), std::string::npos)
      << text.out;
}

TEST_P(SnapshotRoundTrip, CheckAndProbeAreTheOriginals) {
  const fs::path k = GetParam().original;
  for (const char* format : {"", "--format json "}) {
    ExpectSameOutput(absl::StrCat(format, "check --kernel {0}", CheckObjects()), {k});
    ExpectSameOutput(absl::StrCat(format, "probe --kernel {0}"), {k});
  }
}

// A snapshot whose BTF is stored uncompressed (--compression none) is read
// in place, and reads as the kernel did.
TEST_P(SnapshotRoundTrip, StoredSnapshotIsTheOriginalToo) {
  const fs::path k = GetParam().original;
  for (const char* format : {"", "--format json "}) {
    ExpectSameOutput(absl::StrCat(format, "kernel kfuncs --kernel {0}"), {k}, "none");
    ExpectSameOutput(absl::StrCat(format, "check --kernel {0}", CheckObjects()), {k}, "none");
  }
  ExpectSameOutput("probe --kernel {0}", {k}, "none");
}

INSTANTIATE_TEST_SUITE_P(SharedKernels, SnapshotRoundTrip,
                         ::testing::ValuesIn(SharedSources()),
                         [](const ::testing::TestParamInfo<Source>& info) {
                           return info.param.name;
                         });

TEST(Snapshot, CheckAgainstSeveralSnapshotsAtOnce) {
  KC_REQUIRE_PATH(Kernel61());
  KC_REQUIRE_PATH(Kernel612());
  KC_REQUIRE_PATH(Kernel618());
  ExpectSameOutput(absl::StrCat("check --kernel {0} --kernel {1} --kernel {2}", CheckObjects()),
                   {Kernel61(), Kernel612(), Kernel618()});
}

// The packaging gate: the corpus objects on the three kernels (and the
// 6.1 one as the baseline) give the same cells, totals and findings on the
// kernels' snapshots, in every format.
TEST(Snapshot, GateOnSnapshotsIsGateOnTheKernels) {
  KC_REQUIRE_PATH(Kernel61());
  KC_REQUIRE_PATH(Kernel612());
  KC_REQUIRE_PATH(Kernel618());
  const std::string gate =
      "gate " + Q(fs::path(KCONTRACT_BINARY_DIR) / "corpus") +
      " --kernel {0} --kernel {1} --kernel {2} --no-default-manifests --progress never ";
  for (const char* format : {"json", "text", "markdown"}) {
    ExpectSameOutput(gate + "--format " + format, {Kernel61(), Kernel612(), Kernel618()});
  }
  ExpectSameOutput(gate + "--baseline-kernel {0} --format json",
                   {Kernel61(), Kernel612(), Kernel618()});
  // Not a vacuous matrix: cells load and cells fail on each kernel.
  nlohmann::json j = nlohmann::json::parse(
      RunCli("gate " + Q(fs::path(KCONTRACT_BINARY_DIR) / "corpus") + " --kernel " +
             Q(SnapshotOf(Kernel61())) + " --kernel " + Q(SnapshotOf(Kernel612())) +
             " --kernel " + Q(SnapshotOf(Kernel618())) +
             " --no-default-manifests --progress never --format json")
          .out);
  ASSERT_EQ(j["kernel_totals"].size(), 3u);
  for (const nlohmann::json& totals : j["kernel_totals"]) {
    EXPECT_GT(totals["loads"].get<int>(), 0) << totals;
    EXPECT_GT(totals["fails"].get<int>(), 0) << totals;
    EXPECT_TRUE(totals["error"].is_null()) << totals;
  }
}

TEST(Snapshot, DiffBetweenSnapshotsIsTheDiffBetweenKernels) {
  KC_REQUIRE_PATH(Kernel61());
  KC_REQUIRE_PATH(Kernel612());
  KC_REQUIRE_PATH(Kernel618());
  for (const char* format : {"", "--format json "}) {
    ExpectSameOutput(absl::StrCat(format, "diff --kernel {0} --kernel {1}"),
                     {Kernel61(), Kernel612()});
    ExpectSameOutput(absl::StrCat(format, "diff --kernel {0} --kernel {1}"),
                     {Kernel612(), Kernel618()});
  }
}

// ---- deterministic bytes ----------------------------------------------------

TEST(Snapshot, SameKernelSameBytesWhateverThreadsOrPlace) {
  KC_REQUIRE_PATH(Kernel612());
  const fs::path dir = ScratchDir("SnapshotDeterminism");
  // The same kernel elsewhere, under the same name.
  const fs::path copy = dir / "elsewhere" / Kernel612().filename();
  fs::create_directories(copy.parent_path());
  fs::copy(Kernel612(), copy, fs::copy_options::recursive);
  std::vector<Bytes> made;
  for (const auto& [source, jobs] : std::vector<std::pair<fs::path, int>>{
           {Kernel612(), 1}, {Kernel612(), 2}, {Kernel612(), 0}, {copy, 2}}) {
    const fs::path out = dir / ("s" + std::to_string(made.size()));
    CommandResult r = RunCli("kernel snapshot --jobs " + std::to_string(jobs) + " --kernel " +
                             Q(source) + " -o " + Q(out));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    made.push_back(ReadFileOrDie(out));
  }
  for (size_t i = 1; i < made.size(); ++i) EXPECT_TRUE(made[i] == made[0]) << "run " << i;
  // A snapshot of a snapshot is the snapshot.
  const fs::path again = dir / "again";
  ASSERT_EQ(RunCli("kernel snapshot --kernel " + Q(dir / "s0") + " -o " + Q(again)).exit_code, 0);
  EXPECT_TRUE(ReadFileOrDie(again) == made[0]);
}

// Each compression is written in the oldest format version that holds it;
// the two hold the same kernel, so each is made from the other byte for
// byte.
TEST(Snapshot, StoredAndCompressedHoldTheSameKernel) {
  KC_REQUIRE_PATH(Kernel612());
  const fs::path dir = ScratchDir("SnapshotStored");
  const fs::path zstd = SnapshotOf(Kernel612(), "zstd");
  const fs::path stored = SnapshotOf(Kernel612(), "none");
  const Bytes zstd_bytes = ReadFileOrDie(zstd);
  const Bytes stored_bytes = ReadFileOrDie(stored);
  EXPECT_EQ(SnapshotFormatVersionOf(zstd_bytes), 1u);
  EXPECT_EQ(SnapshotFormatVersionOf(stored_bytes), 2u);
  // The BTF is all there, uncompressed (it compresses about 3 times).
  EXPECT_GT(stored_bytes.size(), 5 * zstd_bytes.size() / 2);

  for (const auto& [from, compression, expected] :
       std::vector<std::tuple<fs::path, std::string, const Bytes*>>{
           {stored, "zstd", &zstd_bytes}, {zstd, "none", &stored_bytes},
           {stored, "none", &stored_bytes}}) {
    const fs::path out = dir / ("from-" + compression + ".kcsnap");
    CommandResult r = RunCli("--format json kernel snapshot --compression " + compression +
                             " --kernel " + Q(from) + " -o " + Q(out));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(nlohmann::json::parse(r.out)["snapshot_format_version"],
              compression == "none" ? 2 : 1);
    EXPECT_TRUE(ReadFileOrDie(out) == *expected) << compression << " from " << from;
  }
  CommandResult bad = RunCli("kernel snapshot --compression lz4 --kernel " + Q(zstd) + " -o " +
                             Q(dir / "x.kcsnap"));
  EXPECT_EQ(bad.exit_code, 2) << bad.err;
  EXPECT_NE(bad.err.find("lz4"), std::string::npos) << bad.err;
}

TEST(Snapshot, FailedSnapshotLeavesTheOutputAlone) {
  const fs::path dir = ScratchDir("SnapshotAtomic");
  const fs::path out = dir / "kept.kcsnap";
  WriteFileOrDie(out, ByteView(reinterpret_cast<const uint8_t*>("old"), 3));
  CommandResult r =
      RunCli("kernel snapshot --kernel " + Q(dir / "missing") + " -o " + Q(out));
  EXPECT_EQ(r.exit_code, kExitToolError);
  EXPECT_EQ(ReadFileOrDie(out).size(), 3u);
  std::vector<std::string> left;
  for (const auto& e : fs::directory_iterator(dir)) left.push_back(e.path().filename());
  EXPECT_EQ(left, std::vector<std::string>{"kept.kcsnap"});
}

// ---- bad snapshots ----------------------------------------------------------

// One line on stderr naming the file, exit code 1, nothing on stdout.
void ExpectOneLineError(const fs::path& path, const std::string& expected) {
  for (const char* command : {"kernel show", "kernel kfuncs", "probe"}) {
    CommandResult r = RunCli(std::string(command) + " --kernel " + Q(path));
    EXPECT_EQ(r.exit_code, kExitToolError) << command << ": " << r.err;
    EXPECT_TRUE(r.out.empty()) << r.out;
    ASSERT_FALSE(r.err.empty());
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
    EXPECT_NE(r.err.find(path.string()), std::string::npos) << r.err;
    EXPECT_NE(r.err.find(expected), std::string::npos) << r.err;
  }
}

class BadSnapshot : public ::testing::Test {
 protected:
  void SetUp() override {
    KC_REQUIRE_PATH(Kernel61());
    good_ = ReadFileOrDie(SnapshotOf(Kernel61()));
    dir_ = ScratchDir(::testing::UnitTest::GetInstance()->current_test_info()->name());
  }
  fs::path Write(const Bytes& bytes) {
    const fs::path path = dir_ / "bad.kcsnap";
    WriteFileOrDie(path, bytes);
    return path;
  }
  Bytes good_;
  fs::path dir_;
};

TEST_F(BadSnapshot, Truncated) {
  for (size_t keep : {size_t{12}, size_t{40}, good_.size() / 2, good_.size() - 1}) {
    Bytes cut(good_.begin(), good_.begin() + keep);
    ExpectOneLineError(Write(cut), "truncated snapshot");
  }
}

TEST_F(BadSnapshot, CorruptedHeaderTableOrChunk) {
  for (size_t at : {size_t{20}, size_t{40}, good_.size() / 2, good_.size() - 3}) {
    Bytes bad = good_;
    bad[at] ^= 0x5a;
    ExpectOneLineError(Write(bad), "corrupt snapshot");
  }
}

TEST_F(BadSnapshot, WrongMagicIsNotASnapshot) {
  Bytes bad = good_;
  bad[3] = 'X';
  ExpectOneLineError(Write(bad), "not a kernel source");
}

TEST_F(BadSnapshot, FutureVersionIsRefused) {
  Bytes bad = good_;
  const uint32_t future = kSnapshotFormatVersion + 1;
  std::memcpy(bad.data() + 8, &future, sizeof(future));
  ExpectOneLineError(Write(bad), "snapshot format version " + std::to_string(future) +
                                     " is newer than this kcontract reads");
  Bytes none = good_;
  std::memset(none.data() + 8, 0, 4);
  ExpectOneLineError(Write(none), "corrupt snapshot");
}

// A stored snapshot carries the CRC-32 of each chunk in its metadata: a
// damaged byte anywhere in its BTF is refused as corrupt, as zstd's frame
// checksum refuses one in a compressed chunk, not parsed as other BTF.
TEST_F(BadSnapshot, StoredChunkDamaged) {
  const Bytes stored = ReadFileOrDie(SnapshotOf(Kernel61(), "none"));
  for (size_t at : {stored.size() / 3, stored.size() / 2, stored.size() - 3}) {
    Bytes bad = stored;
    bad[at] ^= 0x01;
    ExpectOneLineError(Write(bad), "checksum mismatch");
  }
  for (size_t keep : {stored.size() / 2, stored.size() - 1}) {
    ExpectOneLineError(Write(Bytes(stored.begin(), stored.begin() + keep)),
                       "truncated snapshot");
  }
}

// Uncompressed sections are a format version 2 feature, and a stored
// section holds exactly its raw size: anything else is corrupt.
TEST_F(BadSnapshot, StoredSectionsOutsideTheirFormat) {
  const Bytes stored = ReadFileOrDie(SnapshotOf(Kernel61(), "none"));
  auto put32 = [](Bytes& b, size_t at, uint32_t v) { std::memcpy(b.data() + at, &v, 4); };
  auto put64 = [](Bytes& b, size_t at, uint64_t v) { std::memcpy(b.data() + at, &v, 8); };
  uint32_t sections = 0;
  std::memcpy(&sections, stored.data() + 12, 4);
  const size_t table_end = 32 + size_t{sections} * 32;

  Bytes v1 = stored;
  put32(v1, 8, 1);
  put32(v1, 28, crc32(0, v1.data(), 28));
  ExpectOneLineError(Write(v1), "section 1 is stored uncompressed, which format version 1 "
                                "does not have");

  Bytes claims = stored;
  uint64_t raw = 0;
  std::memcpy(&raw, claims.data() + 32 + 32 + 24, 8);  // section 1's raw size
  put64(claims, 32 + 32 + 24, raw + 1);
  put32(claims, 24, crc32(0, claims.data() + 32, table_end - 32));
  put32(claims, 28, crc32(0, claims.data(), 28));
  ExpectOneLineError(Write(claims), "section 1 is stored uncompressed in " +
                                        std::to_string(raw) + " bytes but claims " +
                                        std::to_string(raw + 1));
}

// Hostile BTF reaches libbpf exactly as the raw BTF would, and is rejected
// with the same reason.
TEST(Snapshot, HostileBtfIsRejectedAsRawBtfIs) {
  const fs::path dir = ScratchDir("SnapshotHostileBtf");
  // A BTF header whose type section runs past the data.
  Bytes btf = {0x9f, 0xeb, 1, 0, 24, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0};
  WriteFileOrDie(dir / "raw.btf", btf);
  SnapshotContents contents;
  contents.origin = KernelOrigin{SourceKind::kRawBtf, "raw.btf", std::string(64, '0')};
  contents.vmlinux_btf = btf;
  WriteFileOrDie(dir / "hostile.kcsnap", EncodeSnapshot(contents));
  CommandResult raw = RunCli("kernel show --kernel " + Q(dir / "raw.btf"));
  CommandResult snap = RunCli("kernel show --kernel " + Q(dir / "hostile.kcsnap"));
  EXPECT_EQ(raw.exit_code, kExitToolError);
  EXPECT_EQ(snap.exit_code, kExitToolError);
  EXPECT_EQ(std::count(snap.err.begin(), snap.err.end(), '\n'), 1) << snap.err;
  // The reason after the file's name is libbpf's, the same for both.
  const std::string reason = raw.err.substr(raw.err.find(": ", raw.err.find("raw.btf")));
  EXPECT_NE(snap.err.find(reason), std::string::npos) << raw.err << snap.err;

  // And a module whose split BTF is hostile, over good vmlinux BTF.
  KC_REQUIRE_PATH(Kernel618());
  const Bytes vmlinux = ReadFileOrDie(Kernel618());
  contents.vmlinux_btf = vmlinux;
  contents.modules.push_back(SnapshotModule{"evil", "evil.ko", "", btf, nullptr});
  WriteFileOrDie(dir / "module.kcsnap", EncodeSnapshot(contents));
  CommandResult module = RunCli("kernel show --kernel " + Q(dir / "module.kcsnap"));
  EXPECT_EQ(module.exit_code, kExitToolError);
  EXPECT_NE(module.err.find("module evil"), std::string::npos) << module.err;
}

// A few kilobytes that zstd would expand to 64 MiB are refused before any
// of it is decompressed (a reader would otherwise hold it all before a BTF
// check could run).
TEST(Snapshot, ADecompressionBombIsRefusedBeforeDecompressing) {
  const fs::path dir = ScratchDir("SnapshotBomb");
  const Bytes zeros(64u << 20, 0);
  SnapshotContents contents;
  contents.origin = KernelOrigin{SourceKind::kRawBtf, "zeros.btf", std::string(64, '0')};
  contents.vmlinux_btf = zeros;
  const Bytes bomb = EncodeSnapshot(contents);
  ASSERT_LT(bomb.size(), 64u << 10);
  WriteFileOrDie(dir / "bomb.kcsnap", bomb);
  CommandResult r = RunCli("kernel show --kernel " + Q(dir / "bomb.kcsnap"));
  EXPECT_EQ(r.exit_code, kExitToolError);
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  EXPECT_NE(r.err.find("bomb.kcsnap: corrupt snapshot: its sections expand to more than 64 "
                       "times its " + std::to_string(bomb.size()) + " bytes"),
            std::string::npos)
      << r.err;
}

// The ceiling on what a snapshot decompresses to, which bounds a reader's
// memory, is applied before anything is decompressed.
TEST(Snapshot, TheDecompressedCeilingIsAppliedFromTheTable) {
  KC_REQUIRE_PATH(Kernel618());
  const Bytes bytes = ReadFileOrDie(SnapshotOf(Kernel618()));
  SnapshotReadOptions options;
  EXPECT_EQ(options.max_decompressed, 160u << 20);
  EXPECT_TRUE(DecodeSnapshot(bytes, "k.kcsnap", options).ok());
  options.max_decompressed = 4u << 20;  // the 6.18 BTF is 5.3 MiB
  absl::StatusOr<std::unique_ptr<KernelBtf>> kernel = DecodeSnapshot(bytes, "k.kcsnap", options);
  ASSERT_FALSE(kernel.ok());
  EXPECT_EQ(kernel.status().code(), absl::StatusCode::kResourceExhausted);
  EXPECT_EQ(kernel.status().message(),
            "k.kcsnap: snapshot decompresses to more than the limit of 4 MiB");
}

// ---- directories with some modules -----------------------------------------

// A directory holding a few modules says which, in `kernel show` and where a
// kfunc is not found: never silently a module that was not there. So does
// its snapshot; a package holds every module and says nothing.
TEST(Snapshot, DirectorySaysWhichModulesItSearched) {
  KC_REQUIRE_PATH(Kernel61());
  const std::string modules = "fou, nf_conntrack, nf_nat, tcp_bbr, tcp_dctcp";
  for (const fs::path& k : {Kernel61(), SnapshotOf(Kernel61())}) {
    CommandResult show = RunCli("kernel show --kernel " + Q(k));
    EXPECT_NE(show.out.find("searched:    5 modules (" + modules +
                            "); other modules are not searched\n"),
              std::string::npos)
        << show.out;
    CommandResult json = RunCli("--format json kernel show --kernel " + Q(k));
    EXPECT_EQ(nlohmann::json::parse(json.out)["modules_searched"].size(), 5u);
    CommandResult check = RunCli("check --kernel " + Q(k) + " " +
                                 Q(CorpusObject("kfunc_never_merged")) + " " +
                                 Q(CorpusObject("kfunc_weak_guarded")));
    EXPECT_NE(check.out.find("[kfunc-missing] bpf_cgroup_stall: kfunc is not in 6.1.0-50-amd64 "
                             "(vmlinux or modules) (only 5 modules searched: " +
                             modules + "); libbpf fails"),
              std::string::npos)
        << check.out;
    EXPECT_NE(check.out.find("[kfunc-weak-absent] bpf_task_from_vpid: optional (weak) kfunc is "
                             "not in 6.1.0-50-amd64 (only 5 modules searched: " +
                             modules + "), and"),
              std::string::npos)
        << check.out;
  }
  // No module at all.
  const fs::path dir = ScratchDir("SnapshotNoModules");
  fs::copy_file(Kernel61() / "vmlinuz-6.1.0-50-amd64", dir / "vmlinuz-6.1.0-50-amd64");
  CommandResult show = RunCli("kernel show --kernel " + Q(dir));
  EXPECT_NE(show.out.find("searched:    no module; kfuncs and types of modules are not searched"),
            std::string::npos)
      << show.out;
  CommandResult check =
      RunCli("check --kernel " + Q(dir) + " " + Q(CorpusObject("kfunc_never_merged")));
  EXPECT_NE(check.out.find("(vmlinux or modules) (no module searched); libbpf fails"),
            std::string::npos)
      << check.out;
  // A raw BTF file has no modules to search: nothing is said.
  KC_REQUIRE_PATH(Kernel618());
  show = RunCli("kernel show --kernel " + Q(Kernel618()));
  EXPECT_EQ(show.out.find("searched:"), std::string::npos) << show.out;
}

// ---- packages ---------------------------------------------------------------

// The 6.1 kernel laid out as its linux-image package does.
fs::path BuildKernelDeb(const fs::path& dir) {
  const std::string rel = "6.1.0-50-amd64";
  const fs::path root = dir / "pkg";
  const fs::path mods = root / "lib/modules" / rel / "kernel/net";
  fs::create_directories(root / "DEBIAN");
  fs::create_directories(root / "boot");
  fs::create_directories(mods);
  const std::string control = "Package: linux-image-" + rel +
                              "\nVersion: 1.0\nArchitecture: amd64\n"
                              "Maintainer: Test <test@example.org>\n"
                              "Description: kcontract test kernel package\n";
  WriteFileOrDie(root / "DEBIAN/control",
                 ByteView(reinterpret_cast<const uint8_t*>(control.data()), control.size()));
  fs::copy_file(Kernel61() / ("vmlinuz-" + rel), root / "boot" / ("vmlinuz-" + rel));
  fs::copy_file(Kernel61() / ("config-" + rel), root / "boot" / ("config-" + rel));
  for (const auto& e : fs::directory_iterator(Kernel61() / "modules")) {
    fs::copy_file(e.path(), mods / e.path().filename());
  }
  const fs::path deb = dir / ("linux-image-" + rel + ".deb");
  CommandResult built = RunCommand("dpkg-deb --root-owner-group -Zxz -z1 --build " + Q(root) +
                                   " " + Q(deb));
  EXPECT_EQ(built.exit_code, 0) << built.err;
  fs::remove_all(root);
  return deb;
}

TEST(Snapshot, PackageRoundTrip) {
  KC_REQUIRE_PATH(Kernel61());
  if (!testing::HaveTool("dpkg-deb")) GTEST_SKIP() << "needs dpkg-deb";
  const fs::path deb = BuildKernelDeb(ScratchDir("SnapshotDeb"));
  for (const char* format : {"", "--format json "}) {
    ExpectSameOutput(absl::StrCat(format, "kernel kfuncs --kernel {0}"), {deb});
    ExpectSameOutput(absl::StrCat(format, "kernel struct-ops --kernel {0}"), {deb});
  }
  ExpectSameOutput(absl::StrCat("check --kernel {0}", CheckObjects()), {deb});
  ExpectSameOutput("diff --kernel {0} --kernel {1}", {deb, Kernel61()});
  CommandResult show = RunCli("--format json kernel show --kernel " + Q(SnapshotOf(deb)));
  nlohmann::json j = nlohmann::json::parse(show.out);
  EXPECT_EQ(j["made_from"]["kind"], "deb");
  EXPECT_EQ(j["modules"].size(), 5u);
  EXPECT_FALSE(j.contains("modules_searched"));
}

// A distribution's whole linux-image package (4,022 modules), when one sits
// in ../shared or the oracle's cache, $KCONTRACT_FULL_DEB names one, or
// apt-get can fetch Debian's: the same outputs.
TEST(Snapshot, FullPackageRoundTrip) {
  std::vector<fs::path> candidates;
  if (const char* named = std::getenv("KCONTRACT_FULL_DEB"); named != nullptr && *named) {
    candidates.push_back(named);
  }
  for (const fs::path& root : {fs::path(KCONTRACT_SHARED_DIR),
                               fs::path(KCONTRACT_BINARY_DIR) / "oracle_cache"}) {
    std::error_code ec;
    for (auto it = fs::recursive_directory_iterator(root, ec);
         !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
      const std::string name = it->path().filename().string();
      if (name.starts_with("linux-image-") && name.ends_with(".deb")) {
        candidates.push_back(it->path());
      }
    }
  }
  if (candidates.empty()) {
    // Debian 12's own 6.1 package, the one ../shared holds parts of, fetched
    // once into the build tree where the archive is reachable.
    const fs::path cache = fs::path(KCONTRACT_BINARY_DIR) / "debs";
    fs::create_directories(cache);
    const std::string package = "linux-image-6.1.0-50-amd64";
    CommandResult fetched =
        RunCommand("cd " + Q(cache) + " && ls " + package + "_*.deb >/dev/null 2>&1 || "
                   "timeout 300 apt-get download -q " + package);
    for (const auto& entry : fs::directory_iterator(cache)) {
      if (entry.path().filename().string().starts_with(package + "_")) {
        candidates.push_back(entry.path());
      }
    }
    if (candidates.empty()) {
      GTEST_SKIP() << "no linux-image-*.deb in ../shared or oracle_cache, no $KCONTRACT_FULL_DEB, "
                   << "and apt-get download " << package << " failed: " << fetched.err;
    }
  }
  const fs::path deb = candidates.front();
  ExpectSameOutput("--format json kernel kfuncs --kernel {0}", {deb});
  ExpectSameOutput("kernel struct-ops --kernel {0}", {deb});
  ExpectSameOutput(absl::StrCat("check --kernel {0}", CheckObjects()), {deb});
  ExpectSameOutput("probe --kernel {0}", {deb});
  ExpectSameOutput("diff --kernel {0} --kernel {1}", {deb, Kernel612()});
}

}  // namespace
}  // namespace kcontract
