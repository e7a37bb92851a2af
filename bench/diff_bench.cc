// kcontract_diff_bench: the cost of `kcontract diff` between two shared
// kernels (6.1.0-50 and 6.12.111 by default), as a ratio to two bare libbpf
// btf__parse() calls of the same kernels' BTF, measured in the same run.
//
// Each kernel's vmlinux is decompressed once, before timing, into a scratch
// directory beside its config (an ELF vmlinux keeps .BTF_ids, so kfuncs and
// their KF_* flags are found as from the vmlinuz, without the decompression
// dominating). Rows, each the median (and min) of N interleaved runs:
//
//   floor.btf_parse_x2  btf__parse(raw BTF) of both kernels: the floor
//   lib.diff            LoadKernel x2 (scratch dirs) + DiffKernels + JudgeDiff + RenderDiff(text)
//   part.load_x2        LoadKernel x2 alone (breakdown)
//   part.diff           DiffKernels on kernels loaded once: inventories + comparison (breakdown)
//   part.render         JudgeDiff + RenderDiff(text) (breakdown)
//   dir.diff            the same from the shared directories: decompression and modules included
//   dir.decompress_x2   decompression of both vmlinuz alone (breakdown)
//
// Comparison counters (ComparisonStats) of the diff, printed once: pairs
// queried, answered from the memo or by a cycle's assumption, compared; the
// largest strongly connected set of pairs and the deepest recursion.
//
// Peak RSS: ru_maxrss of this process after one lib.diff run, taken before
// anything else runs in it (the scratch files are made by a child process),
// and of `kcontract diff` on the shared directories under GNU time.
//
//   kcontract_diff_bench [--repeat N] [--shared DIR] [--old NAME] [--new NAME]
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <string>
#include <vector>

#include "abi/policy/diff_policy.h"
#include "abi/report/diff_report.h"
#include "btfdiff/base/file_bytes.h"
#include "btfdiff/diff/kernel_diff.h"
#include "btfdiff/source/kernel_image.h"
#include "btfdiff/source/kernel_source.h"

namespace kcontract::bench {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

volatile uint64_t g_sink = 0;

struct Options {
  int repeat = 11;
  fs::path shared = KCONTRACT_BENCH_SHARED_DIR;
  std::string old_name = "debian-6.1.0-50-amd64";
  std::string new_name = "debian-6.12.111-amd64";
  std::string cli = KCONTRACT_BENCH_CLI;
};

struct Prepared {
  fs::path dir;   // scratch: vmlinux (ELF) + config
  fs::path raw;   // scratch: the vmlinux's raw BTF
  fs::path shared_dir;
  fs::path image;
};

[[noreturn]] void Die(const std::string& message) {
  std::fprintf(stderr, "kcontract_diff_bench: %s\n", message.c_str());
  std::exit(1);
}

fs::path FindFile(const fs::path& dir, std::string_view prefix) {
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.path().filename().string().rfind(prefix, 0) == 0) return entry.path();
  }
  return {};
}

void WriteFile(const fs::path& path, ByteView bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(bytes.data()), bytes.size());
  if (!out) Die("cannot write " + path.string());
}

// Decompresses the vmlinuz and extracts the raw BTF. Runs in a child
// process, so that its memory does not count in this one's peak RSS.
void Prepare(const Prepared& kernel) {
  absl::StatusOr<FileBytes> image = FileBytes::Open(kernel.image);
  if (!image.ok()) Die(std::string(image.status().message()));
  absl::StatusOr<Bytes> vmlinux = ExtractVmlinux(image->bytes(), kernel.image.string());
  if (!vmlinux.ok()) Die(std::string(vmlinux.status().message()));
  fs::create_directories(kernel.dir);
  WriteFile(kernel.dir / "vmlinux", *vmlinux);
  fs::path config = FindFile(kernel.shared_dir, "config-");
  if (!config.empty()) fs::copy_file(config, kernel.dir / config.filename());
  absl::StatusOr<std::unique_ptr<KernelBtf>> loaded = LoadKernel(kernel.dir.string());
  if (!loaded.ok()) Die(std::string(loaded.status().message()));
  WriteFile(kernel.raw, (*loaded)->vmlinux->RawData());
}

std::unique_ptr<KernelBtf> Load(const fs::path& source) {
  absl::StatusOr<std::unique_ptr<KernelBtf>> kernel = LoadKernel(source.string());
  if (!kernel.ok()) Die(std::string(kernel.status().message()));
  return std::move(*kernel);
}

size_t DiffAndRender(const KernelBtf& old_kernel, const KernelBtf& new_kernel) {
  KernelDiff diff = DiffKernels(old_kernel, new_kernel);
  DiffVerdict verdict = JudgeDiff(diff, NoContracts());
  return RenderDiff(diff, verdict, OutputFormat::kText).size() + diff.changes.size();
}

void FloorParse(const fs::path& raw) {
  struct btf* btf = btf__parse(raw.c_str(), nullptr);
  if (libbpf_get_error(btf) != 0 || btf == nullptr) Die("btf__parse failed: " + raw.string());
  g_sink = g_sink + btf__type_cnt(btf);
  btf__free(btf);
}

struct Row {
  std::string name;
  std::string note;
  std::function<void()> work;
  std::vector<double> ms;
};

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}
double Min(const std::vector<double>& v) { return *std::min_element(v.begin(), v.end()); }

// Peak RSS of `kcontract diff` on the shared directories, by GNU time (a
// small parent, so the figure is the command's own).
long CliPeakRssKib(const Options& options, const Prepared& a, const Prepared& b) {
  if (access("/usr/bin/time", X_OK) != 0) return -1;
  fs::path out = fs::temp_directory_path() / ("kcontract-diff-bench-rss." + std::to_string(getpid()));
  std::string command = "/usr/bin/time -f %M -o '" + out.string() + "' '" + options.cli +
                        "' diff --kernel '" + a.shared_dir.string() + "' --kernel '" +
                        b.shared_dir.string() + "' >/dev/null 2>&1";
  int status = std::system(command.c_str());
  (void)status;  // exit 4: changes found
  // GNU time writes "Command exited with non-zero status 4" first (diff
  // exits 4 when it found changes): the figure is the last word.
  std::ifstream in(out);
  long kib = -1;
  std::string word;
  while (in >> word) {
    if (!word.empty() && std::isdigit(static_cast<unsigned char>(word[0]))) kib = std::stol(word);
  }
  fs::remove(out);
  return kib;
}

int Main(int argc, char** argv) {
  Options options;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    auto next = [&]() -> std::string {
      if (i + 1 >= argc) Die("missing value after " + arg);
      return argv[++i];
    };
    if (arg == "--repeat") {
      options.repeat = std::max(1, std::atoi(next().c_str()));
    } else if (arg == "--shared") {
      options.shared = next();
    } else if (arg == "--old") {
      options.old_name = next();
    } else if (arg == "--new") {
      options.new_name = next();
    } else if (arg == "--cli") {
      options.cli = next();
    } else {
      std::fprintf(stderr,
                   "usage: %s [--repeat N] [--shared DIR] [--old NAME] [--new NAME] [--cli PATH]\n",
                   argv[0]);
      return 2;
    }
  }
  libbpf_set_print(nullptr);
  char tmpl[] = "/tmp/kcontract-diff-bench.XXXXXX";
  if (mkdtemp(tmpl) == nullptr) Die("mkdtemp failed");
  const fs::path scratch = tmpl;
  auto prepared = [&](const std::string& name) {
    fs::path shared_dir = options.shared / "kernels" / name;
    fs::path image = FindFile(shared_dir, "vmlinuz-");
    if (image.empty()) Die("no vmlinuz in " + shared_dir.string());
    return Prepared{scratch / name, scratch / (name + ".btf"), shared_dir, image};
  };
  const Prepared old_kernel = prepared(options.old_name);
  const Prepared new_kernel = prepared(options.new_name);

  pid_t child = fork();
  if (child == 0) {
    Prepare(old_kernel);
    Prepare(new_kernel);
    std::_Exit(0);
  }
  int status = 0;
  waitpid(child, &status, 0);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) Die("preparing the kernels failed");

  // Peak RSS of one diff, before anything else ran in this process.
  {
    auto a = Load(old_kernel.dir);
    auto b = Load(new_kernel.dir);
    g_sink = g_sink + DiffAndRender(*a, *b);
  }
  struct rusage usage {};
  getrusage(RUSAGE_SELF, &usage);
  const long lib_rss_kib = usage.ru_maxrss;
  const long cli_rss_kib = CliPeakRssKib(options, old_kernel, new_kernel);

  std::shared_ptr<KernelBtf> loaded_old = Load(old_kernel.dir);
  std::shared_ptr<KernelBtf> loaded_new = Load(new_kernel.dir);
  auto image_old = std::make_shared<FileBytes>(*FileBytes::Open(old_kernel.image));
  auto image_new = std::make_shared<FileBytes>(*FileBytes::Open(new_kernel.image));
  ComparisonStats stats;
  KernelDiff diff = DiffKernels(*loaded_old, *loaded_new, {}, &stats);

  std::vector<Row> rows = {
      {"floor.btf_parse_x2", "btf__parse of both kernels' raw BTF",
       [&] {
         FloorParse(old_kernel.raw);
         FloorParse(new_kernel.raw);
       }},
      {"lib.diff", "LoadKernel x2 + DiffKernels + JudgeDiff + RenderDiff(text)",
       [&] {
         auto a = Load(old_kernel.dir);
         auto b = Load(new_kernel.dir);
         g_sink = g_sink + DiffAndRender(*a, *b);
       }},
      {"part.load_x2", "LoadKernel x2 (breakdown)",
       [&] { g_sink = g_sink + Load(old_kernel.dir)->TypeCount() + Load(new_kernel.dir)->TypeCount(); }},
      {"part.diff", "DiffKernels on loaded kernels (breakdown)",
       [&] { g_sink = g_sink + DiffKernels(*loaded_old, *loaded_new).changes.size(); }},
      {"part.render", "JudgeDiff + RenderDiff(text) (breakdown)",
       [&] {
         g_sink = g_sink +
                  RenderDiff(diff, JudgeDiff(diff, NoContracts()), OutputFormat::kText).size();
       }},
      {"dir.diff", "the same from the shared dirs: decompression + modules",
       [&] {
         auto a = Load(old_kernel.shared_dir);
         auto b = Load(new_kernel.shared_dir);
         g_sink = g_sink + DiffAndRender(*a, *b);
       }},
      {"dir.decompress_x2", "ExtractVmlinux of both vmlinuz (breakdown)",
       [&] {
         g_sink = g_sink + ExtractVmlinux(image_old->bytes(), "old")->size() +
                  ExtractVmlinux(image_new->bytes(), "new")->size();
       }},
  };
  for (int r = 0; r < options.repeat; ++r) {
    for (Row& row : rows) {
      auto start = Clock::now();
      row.work();
      row.ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - start).count());
    }
  }

  const double floor = Median(rows[0].ms);
  const double floor_min = Min(rows[0].ms);
  std::printf("kcontract_diff_bench: %s -> %s, %d repetitions, libbpf %u.%u\n",
              options.old_name.c_str(), options.new_name.c_str(), options.repeat,
              libbpf_major_version(), libbpf_minor_version());
  std::printf("diff: %zu changes; comparison memo and reach as in `kcontract diff`\n",
              diff.changes.size());
  const double hit_share =
      stats.pairs_queried == 0 ? 0 : 100.0 * stats.memo_hits / stats.pairs_queried;
  std::printf("comparison: %llu pairs queried, %llu memo hits (%.1f%%), %llu cycle hits, "
              "%llu compared, %llu beyond the depth bound; largest cycle %llu pairs, "
              "max depth %u; named types: %llu queried, %llu diffed\n",
              static_cast<unsigned long long>(stats.pairs_queried),
              static_cast<unsigned long long>(stats.memo_hits), hit_share,
              static_cast<unsigned long long>(stats.cycle_hits),
              static_cast<unsigned long long>(stats.pairs_compared),
              static_cast<unsigned long long>(stats.depth_limited),
              static_cast<unsigned long long>(stats.largest_component), stats.max_depth,
              static_cast<unsigned long long>(stats.named_queried),
              static_cast<unsigned long long>(stats.named_compared));
  std::printf("%-20s %10s %10s %8s %8s  %s\n", "measurement", "median ms", "min ms", "ratio",
              "min/min", "what");
  for (const Row& row : rows) {
    std::printf("%-20s %10.2f %10.2f %7.2fx %7.2fx  %s\n", row.name.c_str(), Median(row.ms),
                Min(row.ms), Median(row.ms) / floor, Min(row.ms) / floor_min, row.note.c_str());
  }
  const double ratio = Median(rows[1].ms) / floor;
  std::printf("\ntarget: lib.diff <= 2.50x of two btf__parse: %.2fx %s\n", ratio,
              ratio <= 2.5 ? "ok" : "OVER");
  std::printf("peak RSS: %.1f MiB in process (one lib.diff, ru_maxrss)", lib_rss_kib / 1024.0);
  if (cli_rss_kib > 0) {
    std::printf("; %.1f MiB for `kcontract diff` on the shared dirs (GNU time)",
                cli_rss_kib / 1024.0);
  }
  std::printf("\n");
  std::error_code ec;
  fs::remove_all(scratch, ec);
  return 0;
}

}  // namespace
}  // namespace kcontract::bench

int main(int argc, char** argv) { return kcontract::bench::Main(argc, argv); }
