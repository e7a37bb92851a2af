// kcontract_gate_bench: the packaging gate's cost on the test corpus x the
// three shared kernels (6.1 and 6.12 directories: signed bzImage and
// modules; 6.18 raw BTF) plus the running kernel, as whole processes:
//
//   floor      kcontract_parse_floor on each kernel's vmlinux BTF (exec +
//              btf__parse), one process per kernel, summed: libbpf reading
//              the four kernels and nothing else. The directories' BTF is
//              extracted once beforehand (`kcontract btf extract`), so the
//              floor holds no decompression and no modules.
//   gate -jN   `kcontract gate CORPUS --kernel K...` with -j1 and -j2: wall
//              time and peak RSS (the child's ru_maxrss); and with -j1 on an
//              empty directory: the kernels read, nothing checked.
//   checks     one `kcontract check OBJ --kernel K` per object and kernel
//              (what a maintainer's loop runs today), wall times summed;
//              peak RSS is the largest of them.
//
// Each repetition runs the floor and both gates in turn (interleaved), so
// that drift in machine load hits them alike; the checks, minutes long, run
// --check-repeat times (default once). Reported: median and min, and ratios
// median/median to the floor and to the sum of checks.
//
//   kcontract_gate_bench [--repeat N] [--check-repeat N] [--shared DIR]
//                        [--corpus DIR] [--no-running] [--json]
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <system_error>
#include <vector>

#include "bench/bench_process.h"

namespace {

namespace fs = std::filesystem;
using kcontract::bench::Median;
using kcontract::bench::Min;
using kcontract::bench::Run;
using kcontract::bench::RunProcess;

struct Options {
  int repeat = 5;
  int check_repeat = 1;
  fs::path shared = KCONTRACT_BENCH_SHARED_DIR;
  fs::path corpus = KCONTRACT_BENCH_CORPUS_DIR;
  bool running = true;
  bool json = false;
};

// Verdicts (8), warnings (4) and no finding (0) are answers; 1 (an input
// or kernel unreadable), 2 (usage) and signals are failures of the bench.
bool Answered(const Run& run) { return run.ok && (run.code & ~(4 | 8)) == 0; }

[[noreturn]] void Fail(const std::string& what, const Run& run) {
  std::fprintf(stderr, "kcontract_gate_bench: %s failed (exit %d)\n", what.c_str(), run.code);
  std::exit(1);
}

struct Kernel {
  std::string source;  // a --kernel argument
  std::string btf;     // its vmlinux BTF as a raw file, for the floor
};

struct Row {
  std::string name;
  std::vector<double> ms;
  double rss_mib = 0;  // the largest peak over its runs
  void Add(const Run& run) {
    ms.push_back(run.ms);
    rss_mib = std::max(rss_mib, run.rss_mib);
  }
};

int Main(const Options& options) {
  const std::string cli = KCONTRACT_BENCH_CLI;
  const std::string floor_program = KCONTRACT_BENCH_PARSE_FLOOR;
  std::vector<std::string> objects;
  std::error_code ec;
  for (const fs::directory_entry& entry : fs::directory_iterator(options.corpus, ec)) {
    const std::string name = entry.path().filename().string();
    if (name.size() > 6 && name.compare(name.size() - 6, 6, ".bpf.o") == 0) {
      objects.push_back(entry.path().string());
    }
  }
  std::sort(objects.begin(), objects.end());
  if (objects.empty()) {
    std::fprintf(stderr, "kcontract_gate_bench: no *.bpf.o in %s (build kc_corpus)\n",
                 options.corpus.c_str());
    return 1;
  }
  // The kernels, and each one's vmlinux BTF for the floor.
  const fs::path scratch = fs::temp_directory_path() / ("kcontract_gate_bench." +
                                                        std::to_string(getpid()));
  fs::create_directories(scratch);
  std::vector<Kernel> kernels;
  for (const char* dir : {"debian-6.1.0-50-amd64", "debian-6.12.111-amd64"}) {
    const fs::path source = options.shared / "kernels" / dir;
    if (!fs::exists(source)) continue;
    const std::string btf = (scratch / (std::string(dir) + ".btf")).string();
    Run extract = RunProcess({cli, "btf", "extract", "--kernel", source.string(), "-o", btf});
    if (!extract.ok || extract.code != 0) Fail("btf extract " + source.string(), extract);
    kernels.push_back({source.string(), btf});
  }
  const fs::path raw = options.shared / "kernels" / "host-6.18.44" / "vmlinux.btf";
  if (fs::exists(raw)) kernels.push_back({raw.string(), raw.string()});
  if (options.running && fs::exists("/sys/kernel/btf/vmlinux")) {
    kernels.push_back({"running", "/sys/kernel/btf/vmlinux"});
  }

  std::vector<std::string> gate_args = {cli, "gate", options.corpus.string()};
  for (const Kernel& k : kernels) {
    gate_args.push_back("--kernel");
    gate_args.push_back(k.source);
  }
  for (const char* a : {"--no-default-manifests", "--progress", "never", "--format", "json"}) {
    gate_args.push_back(a);
  }
  // The same gate on an empty directory: the kernels read and indexed, no
  // object checked.
  const fs::path empty = scratch / "no-objects";
  fs::create_directories(empty);
  std::vector<std::string> read_args = gate_args;
  read_args[2] = empty.string();
  read_args.push_back("-j");
  read_args.push_back("1");
  Row floor{"floor (parse_floor x kernels)"}, read{"gate -j1, no objects"}, gate1{"gate -j1"},
      gate2{"gate -j2"};
  for (int r = 0; r < options.repeat; ++r) {
    double floor_ms = 0;
    Run floor_run;
    for (const Kernel& k : kernels) {
      Run one = RunProcess({floor_program, k.btf});
      if (!one.ok || one.code != 0) Fail("parse_floor " + k.btf, one);
      floor_ms += one.ms;
      floor_run.rss_mib = std::max(floor_run.rss_mib, one.rss_mib);
    }
    floor_run.ms = floor_ms;
    floor.Add(floor_run);
    Run read_run = RunProcess(read_args);
    if (!Answered(read_run)) Fail("gate with no objects", read_run);
    read.Add(read_run);
    for (auto [row, jobs] : {std::pair{&gate1, "1"}, std::pair{&gate2, "2"}}) {
      std::vector<std::string> args = gate_args;
      args.push_back("-j");
      args.push_back(jobs);
      Run run = RunProcess(args);
      if (!Answered(run)) Fail(std::string("gate -j") + jobs, run);
      row->Add(run);
    }
  }
  Row checks{"checks (1 process per cell)"};
  for (int r = 0; r < options.check_repeat; ++r) {
    Run sum;
    for (const std::string& object : objects) {
      for (const Kernel& k : kernels) {
        Run run = RunProcess(
            {cli, "check", object, "--kernel", k.source, "--no-default-manifests"});
        if (!Answered(run)) Fail("check " + object + " --kernel " + k.source, run);
        sum.ms += run.ms;
        sum.rss_mib = std::max(sum.rss_mib, run.rss_mib);
      }
    }
    checks.Add(sum);
  }
  fs::remove_all(scratch, ec);

  const size_t cells = objects.size() * kernels.size();
  const double floor_ms = Median(floor.ms), checks_ms = Median(checks.ms);
  if (options.json) {
    std::printf("{\"objects\": %zu, \"kernels\": %zu, \"rows\": [", objects.size(),
                kernels.size());
    const char* sep = "";
    for (const Row* row : {&floor, &read, &gate1, &gate2, &checks}) {
      if (row->ms.empty()) continue;
      std::printf("%s\n  {\"row\": \"%s\", \"median_ms\": %.1f, \"min_ms\": %.1f, "
                  "\"peak_rss_mib\": %.1f}",
                  sep, row->name.c_str(), Median(row->ms), Min(row->ms), row->rss_mib);
      sep = ",";
    }
    std::printf("\n]}\n");
    return 0;
  }
  std::printf("gate bench: %zu objects x %zu kernels = %zu cells; repeat %d (checks %d)\n",
              objects.size(), kernels.size(), cells, options.repeat, options.check_repeat);
  for (const Kernel& k : kernels) std::printf("  kernel %s\n", k.source.c_str());
  std::printf("%-30s %10s %10s %9s %10s %10s %9s\n", "row", "median ms", "min ms", "ms/cell",
              "peak MiB", "vs floor", "vs checks");
  for (const Row* row : {&floor, &read, &gate1, &gate2, &checks}) {
    if (row->ms.empty()) continue;  // --check-repeat 0
    const double median = Median(row->ms);
    std::printf("%-30s %10.1f %10.1f %9.2f %10.1f %9.2fx", row->name.c_str(), median,
                Min(row->ms), median / cells, row->rss_mib, median / floor_ms);
    if (checks_ms > 0) {
      std::printf(" %8.4fx\n", median / checks_ms);
    } else {
      std::printf(" %9s\n", "-");
    }
  }
  const double gate_ms = Median(gate1.ms), read_ms = Median(read.ms);
  if (checks_ms > 0 && gate_ms > 0) {
    std::printf("gate -j1: %.0fx faster than the checks; reading the kernels is %.0f%% of it\n",
                checks_ms / gate_ms, 100 * std::min(1.0, read_ms / gate_ms));
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) {
        std::fprintf(stderr, "%s needs a value\n", arg.c_str());
        std::exit(2);
      }
      return argv[++i];
    };
    if (arg == "--repeat") {
      options.repeat = std::max(1, std::atoi(value().c_str()));
    } else if (arg == "--check-repeat") {
      options.check_repeat = std::max(0, std::atoi(value().c_str()));
    } else if (arg == "--shared") {
      options.shared = value();
    } else if (arg == "--corpus") {
      options.corpus = value();
    } else if (arg == "--no-running") {
      options.running = false;
    } else if (arg == "--json") {
      options.json = true;
    } else {
      std::fprintf(stderr,
                   "usage: %s [--repeat N] [--check-repeat N] [--shared DIR] [--corpus DIR] "
                   "[--no-running] [--json]\n",
                   argv[0]);
      return 2;
    }
  }
  return Main(options);
}
