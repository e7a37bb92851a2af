// kcontract_snapshot_bench: what a kernel snapshot costs and saves, against
// libbpf reading the raw BTF it holds (the floor), measured in the same run.
//
//   make       `kcontract kernel snapshot` of each shared kernel (6.1 and
//              6.12 directories: signed bzImage and modules; 6.18 raw BTF):
//              wall time, peak RSS, the snapshot's size against the BTF it
//              holds (the kernel's vmlinux and module BTF, as extracted).
//   load       in process: reading the 6.18 snapshot, zstd and stored
//              (decode, libbpf parse, validation), against btf__parse of the
//              raw 6.18 BTF: each load timed in a fresh process (what a
//              command sees: it loads a kernel once, into fresh memory), and
//              repeated in this process (the allocator then hands each load
//              pages the previous one freed, so btf__parse took anywhere
//              from 2.3 to 6.6 ms by what ran before); and as a process,
//              `kcontract kernel show --kernel SNAPSHOT` against
//              `kcontract_parse_floor RAW` (exec + btf__parse), interleaved.
//   many       `kcontract check OBJ` against 50 snapshots (the three shared
//              ones repeated) in one call: wall time and peak RSS.
//
// A full linux-image .deb is not in ../shared: its snapshot row is made
// only with --deb FILE.
//
//   kcontract_snapshot_bench [--repeat N] [--shared DIR] [--object OBJ]
//                            [--deb FILE]
#include <bpf/btf.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <string>
#include <system_error>
#include <vector>

#include "bench/bench_process.h"
#include "btfdiff/model/kernel_btf.h"
#include "btfdiff/source/kernel_source.h"

namespace {

namespace fs = std::filesystem;
using kcontract::bench::Median;
using kcontract::bench::Min;
using kcontract::bench::Run;
using kcontract::bench::RunProcess;
using Clock = std::chrono::steady_clock;

double MsSince(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

struct Options {
  int repeat = 11;
  fs::path shared = KCONTRACT_BENCH_SHARED_DIR;
  std::string object = KCONTRACT_BENCH_OBJECT;
  std::string deb;
};

[[noreturn]] void Fail(const std::string& what) {
  std::fprintf(stderr, "kcontract_snapshot_bench: %s\n", what.c_str());
  std::exit(1);
}

// One load, timed inside this process: `floor` is btf__parse of a raw BTF
// file, `kernel` is LoadKernel of any source. -1 when it failed.
double TimeOneLoad(const std::string& kind, const std::string& path) {
  auto start = Clock::now();
  bool ok;
  if (kind == "floor") {
    struct btf* btf = btf__parse(path.c_str(), nullptr);
    ok = btf != nullptr;
    btf__free(btf);
  } else {
    ok = kcontract::LoadKernel(path).ok();
  }
  return ok ? MsSince(start) : -1;
}

// TimeOneLoad in a fresh process (this program, run with --time-load): its
// memory is fresh, as a command's is. Nullopt when the load failed.
std::optional<double> TimeInFreshProcess(const std::string& kind, const std::string& path) {
  int out[2];
  if (pipe(out) != 0) return std::nullopt;
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, out[1], STDOUT_FILENO);
  posix_spawn_file_actions_addclose(&actions, out[0]);
  std::string self = "/proc/self/exe", flag = "--time-load";
  std::vector<char*> args = {self.data(), flag.data(), const_cast<char*>(kind.c_str()),
                             const_cast<char*>(path.c_str()), nullptr};
  pid_t pid = 0;
  const int rc = posix_spawn(&pid, self.c_str(), &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  close(out[1]);
  char text[64] = {};
  ssize_t n = rc == 0 ? read(out[0], text, sizeof(text) - 1) : -1;
  close(out[0]);
  int status = 0;
  if (rc == 0) waitpid(pid, &status, 0);
  if (n <= 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) return std::nullopt;
  return std::atof(text);
}

uintmax_t SizeOf(const fs::path& path) {
  std::error_code ec;
  uintmax_t size = fs::file_size(path, ec);
  return ec ? 0 : size;
}

// The BTF a kernel source holds: its vmlinux and module BTF, raw.
uintmax_t BtfBytes(const std::string& source) {
  auto kernel = kcontract::LoadKernel(source);
  if (!kernel.ok()) Fail(std::string(kernel.status().message()));
  uintmax_t total = 0;
  uint32_t size = 0;
  if ((*kernel)->vmlinux && btf__raw_data((*kernel)->vmlinux->libbpf(), &size) != nullptr) {
    total += size;
  }
  for (const kcontract::ModuleBtf& module : (*kernel)->modules) {
    if (btf__raw_data(module.btf->libbpf(), &size) != nullptr) total += size;
  }
  return total;
}

int Main(const Options& options) {
  const std::string cli = KCONTRACT_BENCH_CLI;
  const std::string floor_program = KCONTRACT_BENCH_PARSE_FLOOR;
  const fs::path kernels = options.shared / "kernels";
  struct Kernel {
    std::string name;
    std::string source;
    fs::path snapshot;
  };
  std::vector<Kernel> shared = {
      {"6.1", (kernels / "debian-6.1.0-50-amd64").string(), {}},
      {"6.12", (kernels / "debian-6.12.111-amd64").string(), {}},
      {"6.18", (kernels / "host-6.18.44" / "vmlinux.btf").string(), {}},
  };
  const fs::path scratch = fs::temp_directory_path() / ("kc_snapshot_bench." +
                                                        std::to_string(getpid()));
  fs::create_directories(scratch);

  std::printf("make: kernel snapshot (wall, peak RSS), size against the BTF it holds\n");
  for (Kernel& k : shared) {
    if (!fs::exists(k.source)) Fail(k.source + " is missing");
    k.snapshot = scratch / (k.name + ".kcsnap");
    Run run = RunProcess({cli, "kernel", "snapshot", "--kernel", k.source, "-o",
                          k.snapshot.string()});
    if (!run.ok || run.code != 0) Fail("kernel snapshot of " + k.source + " failed");
    const uintmax_t btf = BtfBytes(k.source);
    const uintmax_t snap = SizeOf(k.snapshot);
    std::printf("  %-5s %8.1f ms %7.1f MiB   snapshot %8.1f KiB, BTF %8.1f KiB, %.2fx\n",
                k.name.c_str(), run.ms, run.rss_mib, snap / 1024.0, btf / 1024.0,
                btf ? static_cast<double>(snap) / btf : 0.0);
  }
  if (!options.deb.empty()) {
    const fs::path out = scratch / "deb.kcsnap";
    Run run = RunProcess({cli, "kernel", "snapshot", "--kernel", options.deb, "-o",
                          out.string()});
    std::printf("  .deb  %8.1f ms %7.1f MiB   snapshot %8.1f KiB (exit %d)\n", run.ms,
                run.rss_mib, SizeOf(out) / 1024.0, run.code);
  }

  // The 6.18 snapshot again with its BTF stored (--compression none).
  const Kernel& k618 = shared.back();
  const fs::path stored = scratch / "6.18-stored.kcsnap";
  {
    Run run = RunProcess({cli, "kernel", "snapshot", "--compression", "none", "--kernel",
                          k618.source, "-o", stored.string()});
    if (!run.ok || run.code != 0) Fail("kernel snapshot --compression none failed");
    std::printf("  6.18 stored (--compression none): %8.1f ms   snapshot %8.1f KiB\n", run.ms,
                SizeOf(stored) / 1024.0);
  }

  // In process: each load timed inside a fresh process, as a command loads
  // a kernel once with fresh memory; then the same loads repeated in this
  // process, where the allocator hands back what the previous one freed.
  struct Load {
    const char* label;
    std::string kind, path;
    std::vector<double> fresh, repeated;
  };
  std::vector<Load> loads = {
      {"floor btf__parse(raw)         ", "floor", k618.source, {}, {}},
      {"snapshot (zstd)               ", "kernel", k618.snapshot.string(), {}, {}},
      {"snapshot (stored)             ", "kernel", stored.string(), {}, {}},
  };
  for (int i = 0; i < options.repeat; ++i) {
    for (Load& load : loads) {
      std::optional<double> ms = TimeInFreshProcess(load.kind, load.path);
      if (!ms) Fail("a load failed: " + load.path);
      load.fresh.push_back(*ms);
    }
  }
  for (int i = 0; i < options.repeat; ++i) {
    for (Load& load : loads) {
      const double ms = TimeOneLoad(load.kind, load.path);
      if (ms < 0) Fail("a load failed: " + load.path);
      load.repeated.push_back(ms);
    }
  }
  std::printf("load (in process, 6.18, median of %d)   fresh process      repeated\n",
              options.repeat);
  const double floor_fresh = Median(loads[0].fresh);
  const double floor_repeated = Median(loads[0].repeated);
  for (const Load& load : loads) {
    std::printf("  %s %7.2f ms %5.2fx   %7.2f ms %5.2fx\n", load.label, Median(load.fresh),
                Median(load.fresh) / floor_fresh, Median(load.repeated),
                Median(load.repeated) / floor_repeated);
  }

  // As processes, interleaved.
  std::vector<double> floor_proc, show_proc, stored_proc;
  for (int i = 0; i < options.repeat; ++i) {
    Run floor = RunProcess({floor_program, k618.source});
    Run show = RunProcess({cli, "kernel", "show", "--kernel", k618.snapshot.string()});
    Run show_stored = RunProcess({cli, "kernel", "show", "--kernel", stored.string()});
    if (!floor.ok || floor.code != 0 || !show.ok || show.code != 0 || !show_stored.ok ||
        show_stored.code != 0) {
      Fail("a process run failed");
    }
    floor_proc.push_back(floor.ms);
    show_proc.push_back(show.ms);
    stored_proc.push_back(show_stored.ms);
  }
  std::printf("load (process, 6.18, median of %d)\n", options.repeat);
  std::printf("  floor parse_floor(raw)         %7.2f ms\n", Median(floor_proc));
  std::printf("  kernel show --kernel snapshot  %7.2f ms  ratio %.2fx  (min %.2f)\n",
              Median(show_proc), Median(show_proc) / Median(floor_proc), Min(show_proc));
  std::printf("  ... the stored snapshot        %7.2f ms  ratio %.2fx  (min %.2f)\n",
              Median(stored_proc), Median(stored_proc) / Median(floor_proc), Min(stored_proc));

  // One object against 50 snapshots in one call.
  std::vector<std::string> argv = {cli, "check", options.object};
  for (int i = 0; i < 50; ++i) {
    argv.push_back("--kernel");
    argv.push_back(shared[i % shared.size()].snapshot.string());
  }
  std::vector<double> many_ms;
  double many_rss = 0;
  for (int i = 0; i < 3; ++i) {
    Run run = RunProcess(argv);
    if (!run.ok || (run.code & ~(4 | 8)) != 0) Fail("check against 50 snapshots failed");
    many_ms.push_back(run.ms);
    many_rss = std::max(many_rss, run.rss_mib);
  }
  std::printf("many: check 1 object x 50 snapshots, one call (median of 3)\n");
  std::printf("  %.1f ms (%.2f ms per kernel), peak RSS %.1f MiB\n", Median(many_ms),
              Median(many_ms) / 50, many_rss);
  fs::remove_all(scratch);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc == 4 && std::string(argv[1]) == "--time-load") {
    const double ms = TimeOneLoad(argv[2], argv[3]);
    std::printf("%.6f\n", ms);
    return ms < 0 ? 1 : 0;
  }
  Options options;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--repeat" && i + 1 < argc) {
      options.repeat = std::max(1, std::atoi(argv[++i]));
    } else if (arg == "--shared" && i + 1 < argc) {
      options.shared = argv[++i];
    } else if (arg == "--object" && i + 1 < argc) {
      options.object = argv[++i];
    } else if (arg == "--deb" && i + 1 < argc) {
      options.deb = argv[++i];
    } else {
      std::fprintf(stderr,
                   "usage: %s [--repeat N] [--shared DIR] [--object OBJ] [--deb FILE]\n",
                   argv[0]);
      return 2;
    }
  }
  return Main(options);
}
