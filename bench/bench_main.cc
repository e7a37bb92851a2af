// kcontract_bench: wall time of the `kernel show` and `kernel kfuncs` paths,
// as a ratio to a bare libbpf btf__parse() of the same BTF measured in the
// same run, and the decompression time of each shared vmlinuz.
//
// For every kernel source each repetition runs every measurement once, in
// turn (interleaved), so that drift in machine load hits the floor and the
// measured path alike. Reported: median and min over the repetitions; ratio
// = median / median of the baseline (and min / min).
//
// In-process figures depend on the state of glibc's allocator: whether a
// 5 MB buffer comes back from the heap already mapped or as fresh pages that
// fault one by one. `--malloc fresh` (the default) makes every large buffer
// fresh memory, as in a one-shot CLI process; `--malloc warm` keeps freed
// memory in the heap, as in a long-running process that loads kernels again
// and again. The proc.* rows run real processes and are unaffected.
//
//   kcontract_bench [--repeat N] [--shared DIR] [--json] [--only TEXT]
//                   [--no-process] [--malloc fresh|warm] [--cli PATH]
//                   [--parse-floor PATH]
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <fcntl.h>
#include <malloc.h>
#include <spawn.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <system_error>
#include <vector>

#include <nlohmann/json.hpp>

#include "abi/report/inventory_report.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_format.h"
#include "btfdiff/base/file_bytes.h"
#include "btfdiff/inventory/kfunc_inventory.h"
#include "btfdiff/inventory/struct_ops_inventory.h"
#include "btfdiff/source/decompress.h"
#include "btfdiff/source/kernel_image.h"
#include "btfdiff/source/kernel_source.h"

extern char** environ;

namespace kcontract::bench {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

// Results flow here so that no measured work can be optimised away.
volatile uint64_t g_sink = 0;

// CPU time (user + system) of the last child RunProcess waited for, in ms.
double g_child_cpu_ms = 0;

struct Options {
  int repeat = 11;
  fs::path shared = KCONTRACT_BENCH_SHARED_DIR;
  bool json = false;
  bool processes = true;
  std::string malloc_mode = "fresh";
  std::string only;  // run only groups whose name contains this
  std::string cli = KCONTRACT_BENCH_CLI;
  std::string parse_floor = KCONTRACT_BENCH_PARSE_FLOOR;
};

using Work = std::function<absl::Status()>;

struct Task {
  std::string name;
  Work work;
  // The ratio is against the sum of these tasks' figures (same group).
  std::vector<std::string> baseline;
  std::string note;
};

struct Row {
  std::string group;
  std::string name;
  std::string note;
  std::vector<double> samples_ms;
  double median_ms = 0;
  double min_ms = 0;
  // CPU time of the same runs (this process, or the child for proc.*): less
  // sensitive than wall time to other work on the machine.
  double median_cpu_ms = 0;
  std::string baseline;  // "floor.btf_parse", "decompress+floor.btf_parse", ...
  std::optional<double> ratio;
  std::optional<double> ratio_min;
  std::optional<double> ratio_cpu;
};

struct Skip {
  std::string what;
  std::string reason;
};

struct Report {
  std::vector<Row> rows;
  std::vector<Skip> skipped;
};

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  size_t n = v.size();
  return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

// ---- the measured work ---------------------------------------------------

absl::Status FloorParse(const std::string& path) {
  struct btf* btf = btf__parse(path.c_str(), nullptr);
  if (libbpf_get_error(btf) != 0 || btf == nullptr) {
    return absl::DataLossError(absl::StrFormat("%s: btf__parse failed", path));
  }
  g_sink = g_sink + btf__type_cnt(btf);
  btf__free(btf);
  return absl::OkStatus();
}

absl::Status LibLoad(const std::string& source) {
  absl::StatusOr<std::unique_ptr<KernelBtf>> kernel = LoadKernel(source);
  if (!kernel.ok()) return kernel.status();
  g_sink = g_sink + (*kernel)->TypeCount();
  return absl::OkStatus();
}

// The library path of `kcontract kernel show`.
absl::Status LibShow(const std::string& source) {
  absl::StatusOr<std::unique_ptr<KernelBtf>> kernel = LoadKernel(source);
  if (!kernel.ok()) return kernel.status();
  KernelInventory inventory = TakeInventory(**kernel);
  std::string text = RenderKernelShow(inventory, OutputFormat::kText);
  g_sink = g_sink + text.size();
  return absl::OkStatus();
}

// The library path of `kcontract kernel kfuncs`, rendered both ways.
absl::Status LibKfuncs(const std::string& source) {
  absl::StatusOr<std::unique_ptr<KernelBtf>> kernel = LoadKernel(source);
  if (!kernel.ok()) return kernel.status();
  KfuncSet kfuncs = CollectKfuncs(**kernel);
  std::string json = RenderKfuncs(kfuncs, OutputFormat::kJson);
  std::string text = RenderKfuncs(kfuncs, OutputFormat::kText);
  g_sink = g_sink + json.size() + text.size();
  return absl::OkStatus();
}

// FileBytes + Btf::Parse (libbpf's btf__new on the mapped file): LoadKernel
// minus the source detection and the candidate copy.
absl::Status ParseMapped(const std::string& path) {
  absl::StatusOr<FileBytes> file = FileBytes::Open(path);
  if (!file.ok()) return file.status();
  absl::StatusOr<std::unique_ptr<Btf>> btf = Btf::Parse(file->bytes(), path);
  if (!btf.ok()) return btf.status();
  g_sink = g_sink + (*btf)->own_type_count();
  return absl::OkStatus();
}

// LocateBzImagePayload + Decompress of an image already in memory.
absl::Status DecompressImage(const FileBytes& image) {
  absl::StatusOr<BzImagePayload> payload =
      LocateBzImagePayload(image.bytes(), image.path().string());
  if (!payload.ok()) return payload.status();
  absl::StatusOr<Bytes> vmlinux =
      Decompress(payload->compressed, payload->compression, image.path().string());
  if (!vmlinux.ok()) return vmlinux.status();
  g_sink = g_sink + vmlinux->size();
  return absl::OkStatus();
}

// Runs argv[0] with stdout and stderr on /dev/null. Exit 0 and exit 4
// (kcontract's "warnings found") both count as success.
absl::Status RunProcess(const std::vector<std::string>& argv) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
  std::vector<char*> args;
  for (const std::string& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
  args.push_back(nullptr);
  pid_t pid = 0;
  int rc = posix_spawn(&pid, args[0], &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) {
    return absl::UnavailableError(
        absl::StrFormat("cannot run %s: %s", argv[0], std::strerror(rc)));
  }
  int status = 0;
  struct rusage usage {};
  while (wait4(pid, &status, 0, &usage) < 0) {
    if (errno != EINTR) {
      return absl::UnavailableError(absl::StrFormat("waitpid: %s", std::strerror(errno)));
    }
  }
  auto ms = [](const struct timeval& tv) { return tv.tv_sec * 1e3 + tv.tv_usec / 1e3; };
  g_child_cpu_ms = ms(usage.ru_utime) + ms(usage.ru_stime);
  if (WIFEXITED(status) && (WEXITSTATUS(status) == 0 || WEXITSTATUS(status) == 4)) {
    return absl::OkStatus();
  }
  std::string cmd;
  for (const std::string& arg : argv) cmd += (cmd.empty() ? "" : " ") + arg;
  return absl::InternalError(absl::StrFormat(
      "`%s` %s %d", cmd, WIFEXITED(status) ? "exited with status" : "died of signal",
      WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status)));
}

// ---- running a group ------------------------------------------------------

void Progress(const Options& options, const std::string& text) {
  std::fprintf(stderr, "%s\n", text.c_str());
}

double ProcessCpuMs() {
  struct timespec ts;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

// Runs every task once untimed (warm-up and check), drops those that fail,
// then `repeat` interleaved timed rounds.
void RunGroup(const Options& options, const std::string& group, std::vector<Task> tasks,
              Report& report) {
  Progress(options, "== " + group);
  std::vector<Task> live;
  for (Task& task : tasks) {
    absl::Status status = task.work();
    if (!status.ok()) {
      report.skipped.push_back({group + " " + task.name, std::string(status.message())});
      Progress(options, "   skip " + task.name + ": " + std::string(status.message()));
      continue;
    }
    live.push_back(std::move(task));
  }
  std::vector<std::vector<double>> samples(live.size());
  std::vector<std::vector<double>> cpu(live.size());
  for (int round = 0; round < options.repeat; ++round) {
    for (size_t i = 0; i < live.size(); ++i) {
      g_child_cpu_ms = -1;
      double cpu_start = ProcessCpuMs();
      Clock::time_point start = Clock::now();
      absl::Status status = live[i].work();
      double ms = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
      cpu[i].push_back(g_child_cpu_ms >= 0 ? g_child_cpu_ms : ProcessCpuMs() - cpu_start);
      if (!status.ok()) {
        std::fprintf(stderr, "kcontract_bench: %s %s failed in round %d: %s\n",
                     group.c_str(), live[i].name.c_str(), round,
                     std::string(status.message()).c_str());
        std::exit(1);
      }
      samples[i].push_back(ms);
    }
  }
  std::map<std::string, Row> by_name;
  size_t first = report.rows.size();
  for (size_t i = 0; i < live.size(); ++i) {
    Row row;
    row.group = group;
    row.name = live[i].name;
    row.note = live[i].note;
    row.samples_ms = samples[i];
    row.median_ms = Median(samples[i]);
    row.min_ms = *std::min_element(samples[i].begin(), samples[i].end());
    row.median_cpu_ms = Median(cpu[i]);
    by_name[row.name] = row;
    report.rows.push_back(std::move(row));
  }
  for (size_t i = 0; i < live.size(); ++i) {
    Row& row = report.rows[first + i];
    if (live[i].baseline.empty()) continue;
    double median = 0, min = 0, median_cpu = 0;
    bool complete = true;
    std::string label;
    for (const std::string& name : live[i].baseline) {
      auto it = by_name.find(name);
      if (it == by_name.end()) {
        complete = false;
        break;
      }
      median += it->second.median_ms;
      min += it->second.min_ms;
      median_cpu += it->second.median_cpu_ms;
      label += (label.empty() ? "" : "+") + name;
    }
    if (!complete || median <= 0 || min <= 0) continue;
    row.baseline = label;
    row.ratio = row.median_ms / median;
    row.ratio_min = row.min_ms / min;
    if (median_cpu > 0) row.ratio_cpu = row.median_cpu_ms / median_cpu;
  }
}

// ---- kernel sources -------------------------------------------------------

struct RawSource {
  std::string label;     // group name
  std::string btf_path;  // the file btf__parse reads
  std::string source;    // the --kernel argument ("running" or btf_path)
  std::string note;
};

struct ImageDir {
  std::string name;
  fs::path dir;
  fs::path image;     // the vmlinuz
  std::string raw;    // its vmlinux BTF, extracted to a temporary file
};

// The regular files directly in `dir` whose content is `kind`.
std::vector<fs::path> FilesOfKind(const fs::path& dir, ContentKind kind) {
  std::vector<fs::path> out;
  std::error_code ec;
  for (const fs::directory_entry& entry : fs::directory_iterator(dir, ec)) {
    if (!entry.is_regular_file(ec)) continue;
    absl::StatusOr<Bytes> head = ReadFilePrefix(entry.path(), 4096);
    if (head.ok() && ClassifyContent(*head) == kind) out.push_back(entry.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

absl::Status WriteFile(const fs::path& path, ByteView bytes) {
  FILE* f = std::fopen(path.c_str(), "wb");
  if (f == nullptr) {
    return absl::UnavailableError(
        absl::StrFormat("%s: %s", path.string(), std::strerror(errno)));
  }
  size_t written = std::fwrite(bytes.data(), 1, bytes.size(), f);
  bool ok = written == bytes.size() && std::fclose(f) == 0;
  if (!ok) return absl::UnavailableError(absl::StrFormat("%s: write failed", path.string()));
  return absl::OkStatus();
}

bool Wanted(const Options& options, const std::string& group) {
  return options.only.empty() || group.find(options.only) != std::string::npos;
}

void BenchRawSource(const Options& options, const RawSource& src, Report& report) {
  std::vector<Task> tasks;
  const std::vector<std::string> floor = {"floor.btf_parse"};
  tasks.push_back({"floor.btf_parse", [=] { return FloorParse(src.btf_path); }, {}, src.note});
  tasks.push_back({"lib.show", [=] { return LibShow(src.source); }, floor,
                   "LoadKernel+TakeInventory+RenderKernelShow(text)"});
  tasks.push_back({"lib.kfuncs", [=] { return LibKfuncs(src.source); }, floor,
                   "LoadKernel+CollectKfuncs+RenderKfuncs(json,text)"});
  tasks.push_back({"lib.load_only", [=] { return LibLoad(src.source); }, floor,
                   "LoadKernel alone (breakdown)"});
  tasks.push_back({"part.mmap_btf_new", [=] { return ParseMapped(src.btf_path); }, floor,
                   "FileBytes::Open+Btf::Parse (breakdown)"});
  // The steps after loading, on a kernel loaded once (breakdown).
  std::shared_ptr<KernelBtf> kernel;
  if (absl::StatusOr<std::unique_ptr<KernelBtf>> loaded = LoadKernel(src.source); loaded.ok()) {
    kernel = std::move(*loaded);
    auto kfuncs = std::make_shared<KfuncSet>(CollectKfuncs(*kernel));
    auto inventory = std::make_shared<KernelInventory>(TakeInventory(*kernel));
    tasks.push_back({"part.collect_kfuncs", [=] {
                       g_sink = g_sink + CollectKfuncs(*kernel).kfuncs.size();
                       return absl::OkStatus();
                     }, floor, "CollectKfuncs (breakdown)"});
    tasks.push_back({"part.collect_struct_ops", [=] {
                       g_sink = g_sink + CollectStructOps(*kernel).size();
                       return absl::OkStatus();
                     }, floor, "CollectStructOps (breakdown)"});
    tasks.push_back({"part.render_kfuncs_json", [=] {
                       g_sink = g_sink + RenderKfuncs(*kfuncs, OutputFormat::kJson).size();
                       return absl::OkStatus();
                     }, floor, "RenderKfuncs(json) (breakdown)"});
    tasks.push_back({"part.render_kfuncs_text", [=] {
                       g_sink = g_sink + RenderKfuncs(*kfuncs, OutputFormat::kText).size();
                       return absl::OkStatus();
                     }, floor, "RenderKfuncs(text) (breakdown)"});
    tasks.push_back({"part.render_show", [=] {
                       g_sink = g_sink + RenderKernelShow(*inventory, OutputFormat::kText).size();
                       return absl::OkStatus();
                     }, floor, "RenderKernelShow(text) (breakdown)"});
  }
  if (options.processes) {
    const std::vector<std::string> pfloor = {"proc.parse_floor"};
    tasks.push_back({"proc.parse_floor",
                     [=] { return RunProcess({options.parse_floor, src.btf_path}); }, {},
                     "exec of a btf__parse-only program"});
    tasks.push_back({"proc.floor_startup",
                     [=] { return RunProcess({options.parse_floor, "--startup"}); }, pfloor,
                     "the floor program's start-up alone (breakdown)"});
    tasks.push_back({"proc.startup_only",
                     [=] { return RunProcess({options.cli, "--version"}); }, pfloor,
                     "kcontract --version: process start-up alone (breakdown)"});
    tasks.push_back({"proc.kernel_kfuncs",
                     [=] {
                       return RunProcess(
                           {options.cli, "kernel", "kfuncs", "--kernel", src.source});
                     },
                     pfloor, "kcontract kernel kfuncs --kernel SRC >/dev/null"});
    tasks.push_back({"proc.kernel_show",
                     [=] {
                       return RunProcess({options.cli, "kernel", "show", "--kernel", src.source});
                     },
                     pfloor, "kcontract kernel show --kernel SRC >/dev/null"});
  }
  RunGroup(options, src.label, std::move(tasks), report);
}

void BenchImageDir(const Options& options, const ImageDir& kernel, Report& report) {
  auto image = std::make_shared<std::optional<FileBytes>>();
  {
    absl::StatusOr<FileBytes> bytes = FileBytes::Open(kernel.image);
    if (!bytes.ok()) {
      report.skipped.push_back({kernel.name, std::string(bytes.status().message())});
      return;
    }
    image->emplace(std::move(*bytes));
  }
  std::string compression = "?";
  if (absl::StatusOr<BzImagePayload> payload =
          LocateBzImagePayload((*image)->bytes(), kernel.image.string());
      payload.ok()) {
    compression = absl::StrFormat("%s, %.1f MiB compressed",
                                  CompressionName(payload->compression),
                                  payload->compressed.size() / 1048576.0);
  }
  std::vector<Task> tasks;
  std::string dir = kernel.dir.string();
  std::string raw = kernel.raw;
  tasks.push_back({"decompress", [=] { return DecompressImage(**image); }, {},
                   "LocateBzImagePayload+Decompress " + kernel.image.filename().string() +
                       " (" + compression + ")"});
  tasks.push_back({"floor.btf_parse", [=] { return FloorParse(raw); }, {},
                   "btf__parse of the extracted vmlinux BTF"});
  tasks.push_back({"lib.show_dir", [=] { return LibShow(dir); },
                   {"decompress", "floor.btf_parse"},
                   "LoadKernel(dir)+TakeInventory+RenderKernelShow(text), modules included"});
  if (options.processes) {
    tasks.push_back({"proc.parse_floor", [=] { return RunProcess({options.parse_floor, raw}); },
                     {}, "exec of a btf__parse-only program (extracted BTF)"});
    tasks.push_back({"proc.kernel_show_dir",
                     [=] { return RunProcess({options.cli, "kernel", "show", "--kernel", dir}); },
                     {"decompress", "proc.parse_floor"},
                     "kcontract kernel show --kernel DIR >/dev/null"});
  }
  RunGroup(options, "dir:" + kernel.name, std::move(tasks), report);
}

// ---- output ---------------------------------------------------------------

std::string Ratio(const std::optional<double>& r) {
  return r ? absl::StrFormat("%.2fx", *r) : std::string("-");
}

void PrintTable(const Options& options, const Report& report) {
  std::printf(
      "kcontract_bench: %d repetitions, libbpf %u.%u, --malloc %s, median and min wall time\n",
      options.repeat, libbpf_major_version(), libbpf_minor_version(),
      options.malloc_mode.c_str());
  std::printf("%-32s %10s %10s %8s %8s %8s %8s  %s\n", "measurement", "median ms", "min ms",
              "ratio", "min/min", "cpu ms", "cpu rat.", "baseline");
  std::string group;
  for (const Row& row : report.rows) {
    if (row.group != group) {
      group = row.group;
      std::printf("-- %s\n", group.c_str());
    }
    std::printf("%-32s %10.2f %10.2f %8s %8s %8.2f %8s  %s\n", ("  " + row.name).c_str(),
                row.median_ms, row.min_ms, Ratio(row.ratio).c_str(),
                Ratio(row.ratio_min).c_str(), row.median_cpu_ms, Ratio(row.ratio_cpu).c_str(),
                row.baseline.c_str());
  }
  bool any_target = false;
  for (const Row& row : report.rows) {
    bool target = row.group.starts_with("raw:") &&
                  (row.name == "lib.show" || row.name == "lib.kfuncs" ||
                   row.name == "proc.kernel_kfuncs" || row.name == "proc.kernel_show");
    if (!target || !row.ratio) continue;
    if (!any_target) {
      std::printf("\ntarget <= 1.20x of the libbpf floor (wall-time median ratio; cpu ratio):\n");
    }
    any_target = true;
    std::printf("  %-44s %6.2fx %-4s  cpu %s\n", (row.group + " " + row.name).c_str(), *row.ratio,
                *row.ratio <= 1.2 ? "ok" : "OVER", Ratio(row.ratio_cpu).c_str());
  }
  if (!report.skipped.empty()) {
    std::printf("\nskipped:\n");
    for (const Skip& skip : report.skipped) {
      std::printf("  %s: %s\n", skip.what.c_str(), skip.reason.c_str());
    }
  }
}

void PrintJson(const Options& options, const Report& report) {
  nlohmann::ordered_json j;
  j["repeat"] = options.repeat;
  j["malloc"] = options.malloc_mode;
  j["libbpf"] = absl::StrFormat("%u.%u", libbpf_major_version(), libbpf_minor_version());
  struct utsname uts;
  if (uname(&uts) == 0) j["host_release"] = uts.release;
  j["cpus"] = sysconf(_SC_NPROCESSORS_ONLN);
  nlohmann::ordered_json rows = nlohmann::ordered_json::array();
  for (const Row& row : report.rows) {
    nlohmann::ordered_json r;
    r["group"] = row.group;
    r["name"] = row.name;
    r["median_ms"] = row.median_ms;
    r["min_ms"] = row.min_ms;
    r["median_cpu_ms"] = row.median_cpu_ms;
    r["ratio"] = row.ratio ? nlohmann::ordered_json(*row.ratio) : nullptr;
    r["ratio_min"] = row.ratio_min ? nlohmann::ordered_json(*row.ratio_min) : nullptr;
    r["ratio_cpu"] = row.ratio_cpu ? nlohmann::ordered_json(*row.ratio_cpu) : nullptr;
    r["baseline"] = row.baseline.empty() ? nlohmann::ordered_json(nullptr)
                                         : nlohmann::ordered_json(row.baseline);
    r["note"] = row.note;
    r["samples_ms"] = row.samples_ms;
    rows.push_back(std::move(r));
  }
  j["measurements"] = std::move(rows);
  nlohmann::ordered_json skipped = nlohmann::ordered_json::array();
  for (const Skip& skip : report.skipped) {
    skipped.push_back({{"what", skip.what}, {"reason", skip.reason}});
  }
  j["skipped"] = std::move(skipped);
  std::printf("%s\n", j.dump(2).c_str());
}

int Usage(const char* argv0) {
  std::fprintf(stderr,
               "usage: %s [--repeat N] [--shared DIR] [--json] [--only TEXT] [--no-process]\n"
               "          [--malloc fresh|warm] [--cli PATH] [--parse-floor PATH]\n",
               argv0);
  return 2;
}

// Removes the temporary directory on every way out of main.
struct TempDir {
  fs::path path;
  ~TempDir() {
    std::error_code ec;
    if (!path.empty()) fs::remove_all(path, ec);
  }
};

int Main(int argc, char** argv) {
  Options options;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    auto value = [&](std::string* out) {
      if (i + 1 >= argc) return false;
      *out = argv[++i];
      return true;
    };
    std::string text;
    if (arg == "--json") {
      options.json = true;
    } else if (arg == "--no-process") {
      options.processes = false;
    } else if (arg == "--malloc" && value(&text) && (text == "fresh" || text == "warm")) {
      options.malloc_mode = text;
    } else if (arg == "--repeat" && value(&text)) {
      options.repeat = std::atoi(text.c_str());
      if (options.repeat < 1) return Usage(argv[0]);
    } else if (arg == "--shared" && value(&text)) {
      options.shared = text;
    } else if (arg == "--only" && value(&text)) {
      options.only = text;
    } else if (arg == "--cli" && value(&text)) {
      options.cli = text;
    } else if (arg == "--parse-floor" && value(&text)) {
      options.parse_floor = text;
    } else {
      return Usage(argv[0]);
    }
  }
  // libbpf would print nothing useful for valid input; keep stdout clean.
  libbpf_set_print(nullptr);
  // Fixed thresholds also stop glibc from moving them as buffers come and
  // go, which would make a figure depend on what ran before it.
  if (options.malloc_mode == "fresh") {
    mallopt(M_MMAP_THRESHOLD, 128 * 1024);  // large buffers: mmap, munmap on free
  } else {
    mallopt(M_MMAP_THRESHOLD, 32 * 1024 * 1024);  // glibc's maximum
    mallopt(M_TRIM_THRESHOLD, 1024 * 1024 * 1024);
  }

  Report report;
  std::vector<RawSource> raw_sources;
  std::vector<ImageDir> image_dirs;

  if (fs::exists("/sys/kernel/btf/vmlinux")) {
    raw_sources.push_back({"raw:running", "/sys/kernel/btf/vmlinux", std::string(kRunningKernel),
                           "btf__parse of /sys/kernel/btf/vmlinux"});
  } else {
    report.skipped.push_back({"raw:running", "/sys/kernel/btf/vmlinux does not exist"});
  }

  TempDir temp;
  fs::path kernels = options.shared / "kernels";
  std::error_code ec;
  std::vector<fs::path> dirs;
  if (fs::is_directory(kernels, ec)) {
    for (const fs::directory_entry& entry : fs::directory_iterator(kernels, ec)) {
      if (entry.is_directory(ec)) dirs.push_back(entry.path());
    }
    std::sort(dirs.begin(), dirs.end());
  } else {
    report.skipped.push_back({kernels.string(), "no such directory (give --shared DIR)"});
  }
  for (const fs::path& dir : dirs) {
    std::string name = dir.filename().string();
    bool wanted = Wanted(options, "raw:" + name) || Wanted(options, "dir:" + name);
    if (!wanted) continue;
    if (std::vector<fs::path> raw = FilesOfKind(dir, ContentKind::kRawBtf); !raw.empty()) {
      raw_sources.push_back({"raw:" + name, raw.front().string(), raw.front().string(),
                             "btf__parse of " + raw.front().filename().string()});
      continue;
    }
    std::vector<fs::path> images = FilesOfKind(dir, ContentKind::kBzImage);
    if (images.empty()) {
      report.skipped.push_back({name, "neither raw BTF nor a bzImage in the directory"});
      continue;
    }
    // The vmlinux BTF, extracted by the library, as a raw BTF file.
    if (temp.path.empty()) {
      std::string tmpl = (fs::temp_directory_path() / "kcontract-bench.XXXXXX").string();
      if (mkdtemp(tmpl.data()) == nullptr) {
        std::fprintf(stderr, "kcontract_bench: mkdtemp: %s\n", std::strerror(errno));
        return 1;
      }
      temp.path = tmpl;
    }
    Progress(options, "extracting the vmlinux BTF of " + name);
    absl::StatusOr<std::unique_ptr<KernelBtf>> kernel = LoadKernel(dir.string());
    if (!kernel.ok() || !(*kernel)->vmlinux) {
      report.skipped.push_back(
          {name, kernel.ok() ? "no vmlinux BTF" : std::string(kernel.status().message())});
      continue;
    }
    fs::path raw_path = temp.path / (name + ".btf");
    if (absl::Status status = WriteFile(raw_path, (*kernel)->vmlinux->RawData()); !status.ok()) {
      report.skipped.push_back({name, std::string(status.message())});
      continue;
    }
    raw_sources.push_back({"raw:" + name, raw_path.string(), raw_path.string(),
                           "btf__parse of the vmlinux BTF extracted from " +
                               images.front().filename().string()});
    image_dirs.push_back({name, dir, images.front(), raw_path.string()});
  }

  for (const RawSource& src : raw_sources) {
    if (Wanted(options, src.label)) BenchRawSource(options, src, report);
  }
  for (const ImageDir& kernel : image_dirs) {
    if (Wanted(options, "dir:" + kernel.name)) BenchImageDir(options, kernel, report);
  }

  if (options.json) {
    PrintJson(options, report);
  } else {
    PrintTable(options, report);
  }
  return 0;
}

}  // namespace
}  // namespace kcontract::bench

int main(int argc, char** argv) { return kcontract::bench::Main(argc, argv); }
