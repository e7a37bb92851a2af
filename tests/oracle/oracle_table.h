// The libbpf oracle for tests: runs kc_libbpf_oracle (real libbpf 1.1.2, or
// one of the upstream releases built for the tests: OracleOptions::libbpf)
// on BPF objects x kernels, in parallel, with results cached in the build
// tree by content hash. See tests/oracle/README.md for what the classes mean.
//
//   std::string why;
//   auto kernels = kcontract::oracle::SharedOracleKernels(&why);
//   if (kernels.empty()) GTEST_SKIP() << why;
//   auto corpus = kcontract::oracle::LoadCorpus();
//   auto results = kcontract::oracle::RunOracle(ObjectPaths(corpus), kernels);
#ifndef KCONTRACT_TESTS_ORACLE_ORACLE_TABLE_H_
#define KCONTRACT_TESTS_ORACLE_ORACLE_TABLE_H_

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace kcontract::oracle {

// A kernel the oracle runs against: its raw BTF and config (foreign), or
// the running kernel itself.
struct OracleKernel {
  std::string name;                // "6.1", "6.12", "6.18", "running"
  std::filesystem::path btf;       // raw BTF (empty for the running kernel)
  std::filesystem::path config;    // kernel config (may be empty)
  bool running = false;
};

// One relocation as libbpf resolved it (from its debug log).
struct OracleRelo {
  std::string prog;
  int index = 0;
  std::string kind;    // libbpf's names: byte_off, byte_sz, field_exists,
                       // signed, lshift_u64, rshift_u64, local_type_id,
                       // target_type_id, type_exists, type_matches,
                       // type_size, enumval_exists, enumval_value
  std::string spec;    // local side, e.g. "[10] struct inode.i_state (0:0 @ offset 0)"
  std::string result;  // "off=144 mem_sz=4", "imm=0", "poisoned", "failed"
};

struct OracleResult {
  std::string object;  // file name, e.g. "kfunc_task_from_pid.bpf.o"
  std::string kernel;  // OracleKernel::name
  // What libbpf did before the kernel's verifier: relo_failed,
  // extern_failed, struct_ops_failed, map_create_failed,
  // attach_target_missing, poisoned, passed_relocation, open_failed.
  std::string cls;
  // The real load into the running kernel (running only, else "n/a"):
  // loaded, eperm, verifier_rejected, poison_reached, or `cls` when libbpf
  // stopped before the kernel.
  std::string load;
  // The whole outcome, for every kernel: on the running kernel `load`; on a
  // foreign one, `cls` when libbpf stopped, else the running kernel's
  // verifier on the programs relocated for the foreign kernel (loaded,
  // eperm, verifier_rejected, poison_reached), or "n/a: why" when their
  // verification depends on the kernel's own BTF.
  std::string verifier;
  int poisoned = 0;          // poisoned relocations (CO-RE, map loads)
  int kfunc_poisoned = 0;    // calls of unresolved weak kfuncs libbpf poisoned (1.3+)
  std::string libbpf;        // the libbpf that ran: "1.1", "1.3", "1.5", "1.7"
  std::string prepare;       // bpf_object__prepare: ok | failed | n/a (before 1.6)
  std::string mode;          // namespace | custom_path_only | running
  std::string extern_basis;  // target | running | "running-kernel only"
  std::vector<std::string> detail;  // key libbpf log lines
  std::vector<OracleRelo> relos;
  std::string json;          // the oracle's raw output line
  bool ok = false;           // false: the oracle itself failed (see error)
  std::string error;
};

struct OracleOptions {
  int jobs = 2;                 // oracle processes at once
  bool use_namespace = true;    // false: btf_custom_path only (for comparison)
  bool use_cache = true;
  std::filesystem::path cache_dir;  // default: <tests build dir>/oracle_cache
  // More arguments for every run, part of the cache key: a loader's
  // changes ("--autoload-off", "PROG", "--attach", "PROG=TARGET").
  std::vector<std::string> extra_args;
  // Which libbpf: "" for the system's (kc_libbpf_oracle, 1.1.2 on Debian
  // 12), else an upstream release OracleLibbpfVersions() lists ("1.3").
  // Part of the cache key.
  std::string libbpf;
};

// The upstream libbpf releases whose oracle is built here ("1.3", "1.5",
// "1.7"), oldest first; *why_not says why any release is missing (no
// tarball in ../shared/libbpf, or its oracle not built).
std::vector<std::string> OracleLibbpfVersions(std::string* why_not);

struct OracleStats {
  int ran = 0;
  int cached = 0;
};

// Runs every object against every kernel; results object-major, in order.
std::vector<OracleResult> RunOracle(const std::vector<std::filesystem::path>& objects,
                                    const std::vector<OracleKernel>& kernels,
                                    const OracleOptions& options = {},
                                    OracleStats* stats = nullptr);

// The kernels of ../shared (6.1 and 6.12 from their signed images, raw BTF
// extracted with the kcontract CLI and cached; 6.18 raw BTF) and the
// running kernel. Empty, with the reason, when they are unusable here (no
// ../shared, not root, no /sys/kernel/btf/vmlinux).
std::vector<OracleKernel> SharedOracleKernels(std::string* why_not);

// The corpus: tests/corpus/*.bpf.c as built into the build tree, with the
// expectations each source states in its header comment:
//   Expect: 6.1=<class> 6.12=<class> 6.18=<class> running=<class>
//   Expect-load: running=<load>
//   Expect-verdict: 6.1=<verdict> ... (loads, or the stage the load stops
//                   at: open, extern, struct_ops, relocation, attach, verifier)
// Those are libbpf 1.1.2's; an upstream release V has its own
//   Expect-libbpf-V: 6.1=<class> ...    Expect-load-libbpf-V: running=<load>
// where it differs (ExpectedClass/ExpectedLoad).
struct CorpusEntry {
  std::string name;                 // "kfunc_task_from_pid"
  std::filesystem::path object;     // .../corpus/kfunc_task_from_pid.bpf.o
  std::filesystem::path source;     // tests/corpus/kfunc_task_from_pid.bpf.c
  std::map<std::string, std::string> expect;       // kernel -> class
  std::map<std::string, std::string> expect_load;  // kernel -> load
  std::map<std::string, std::string> expect_verdict;  // kernel -> verdict
  // libbpf version ("1.3") -> kernel -> class / load, as the lines say.
  std::map<std::string, std::map<std::string, std::string>> expect_libbpf;
  std::map<std::string, std::map<std::string, std::string>> expect_load_libbpf;
};
std::vector<CorpusEntry> LoadCorpus();

// What `entry` expects of libbpf `version` ("1.1": the Expect lines) on
// `kernel`: that version's line, else the nearest older version's that has
// one, down to 1.1.2's. "" when no line names the kernel.
std::string ExpectedClass(const CorpusEntry& entry, const std::string& version,
                          const std::string& kernel);
std::string ExpectedLoad(const CorpusEntry& entry, const std::string& version,
                         const std::string& kernel);
std::vector<std::filesystem::path> ObjectPaths(const std::vector<CorpusEntry>& corpus);

// The CO-RE relocation kinds (enum bpf_core_relo_kind values) recorded in an
// object's .BTF.ext; empty when it has none or cannot be read.
std::vector<uint32_t> CoreReloKinds(const std::filesystem::path& object);

// The oracle table as text: one row per object, one column per kernel.
std::string FormatTable(const std::vector<OracleResult>& results,
                        const std::vector<OracleKernel>& kernels);

}  // namespace kcontract::oracle

#endif  // KCONTRACT_TESTS_ORACLE_ORACLE_TABLE_H_
