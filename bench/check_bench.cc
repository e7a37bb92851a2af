// kcontract_check_bench: the pre-load check's cost.
//  1. `check` of one object against the running kernel, in process, as a
//     ratio to a bare libbpf btf__parse() of the running kernel's BTF
//     measured in the same run (the floor: reading the kernel is the work).
//  2. N objects x the shared kernels in one call, each kernel read and
//     indexed once: total time, and time per object x kernel pair.
//  3. With --process BTF: `kcontract check OBJ --kernel BTF` as a whole
//     process (the reach analysis included) for each OBJ, as a ratio to
//     `kcontract_parse_floor BTF` (exec + btf__parse), interleaved.
//
//   kcontract_check_bench OBJ... [--kernel SRC]... [--repeat N] [--process BTF]
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>
#include <utility>
#include <vector>

#include "abi/libbpf/libbpf_check.h"
#include "bench/bench_process.h"
#include "abi/object/bpf_object.h"
#include "btfdiff/source/kernel_source.h"

namespace {

using kcontract::bench::Median;
using Clock = std::chrono::steady_clock;

double Ms(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}


// Reads the kernels and objects, checks every pair; returns the pair count.
int CheckAll(const std::vector<std::string>& objects, const std::vector<std::string>& kernels) {
  std::vector<std::unique_ptr<kcontract::BpfObject>> loaded;
  for (const std::string& path : objects) {
    auto found = kcontract::ReadBpfObjects(path);
    if (!found.ok()) {
      std::fprintf(stderr, "%s\n", std::string(found.status().message()).c_str());
      std::exit(1);
    }
    for (auto& o : *found) loaded.push_back(std::move(o));
  }
  int pairs = 0;
  for (const std::string& source : kernels) {
    auto kernel = kcontract::LoadKernel(source);
    if (!kernel.ok()) {
      std::fprintf(stderr, "%s\n", std::string(kernel.status().message()).c_str());
      std::exit(1);
    }
    kcontract::CheckTarget target(**kernel);
    for (const auto& object : loaded) {
      kcontract::ObjectCheck check = kcontract::CheckObject(*object, target);
      pairs += !check.kernel.empty();
    }
  }
  return pairs;
}

// A process's wall time in ms, or -1 when it could not run, was killed or
// failed (exit codes 0, 4 and 8 are answers).
double TimeProcess(std::vector<std::string> argv) {
  kcontract::bench::Run run = kcontract::bench::RunProcess(std::move(argv));
  return run.ok && (run.code & ~(4 | 8)) == 0 ? run.ms : -1;
}

int ProcessBench(const std::vector<std::string>& objects, const std::string& btf, int repeat) {
  std::vector<double> floor;
  std::vector<std::vector<double>> checks(objects.size());
  for (int r = 0; r < repeat; ++r) {
    floor.push_back(TimeProcess({KCONTRACT_BENCH_PARSE_FLOOR, btf}));
    for (size_t i = 0; i < objects.size(); ++i)
      checks[i].push_back(TimeProcess({KCONTRACT_BENCH_CLI, "check", objects[i], "--kernel", btf}));
  }
  if (std::count(floor.begin(), floor.end(), -1.0) > 0) {
    std::fprintf(stderr, "%s %s failed\n", KCONTRACT_BENCH_PARSE_FLOOR, btf.c_str());
    return 1;
  }
  std::printf("proc floor parse_floor(BTF)      %8.2f ms\n", Median(floor));
  for (size_t i = 0; i < objects.size(); ++i) {
    if (std::count(checks[i].begin(), checks[i].end(), -1.0) > 0) {
      std::fprintf(stderr, "kcontract check %s failed\n", objects[i].c_str());
      return 1;
    }
    std::printf("proc check %-22s %8.2f ms  ratio %.2fx\n", objects[i].c_str(),
                Median(checks[i]), Median(checks[i]) / Median(floor));
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> objects;
  std::vector<std::string> kernels;
  int repeat = 9;
  std::string process_btf;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--kernel" && i + 1 < argc) {
      kernels.push_back(argv[++i]);
    } else if (arg == "--process" && i + 1 < argc) {
      process_btf = argv[++i];
    } else if (arg == "--repeat" && i + 1 < argc) {
      repeat = std::max(1, std::atoi(argv[++i]));
    } else {
      objects.push_back(arg);
    }
  }
  if (objects.empty()) {
    std::fprintf(stderr, "usage: %s OBJ... [--kernel SRC]... [--repeat N] [--process BTF]\n",
                 argv[0]);
    return 2;
  }
  if (!process_btf.empty()) return ProcessBench(objects, process_btf, repeat);
  std::vector<double> floor, one;
  for (int r = 0; r < repeat; ++r) {
    auto start = Clock::now();
    struct btf* btf = btf__parse("/sys/kernel/btf/vmlinux", nullptr);
    if (libbpf_get_error(btf)) {
      std::fprintf(stderr, "cannot parse /sys/kernel/btf/vmlinux\n");
      return 1;
    }
    btf__free(btf);
    floor.push_back(Ms(start));
    start = Clock::now();
    CheckAll({objects.front()}, {"running"});
    one.push_back(Ms(start));
  }
  std::printf("floor btf__parse(running)        %8.2f ms\n", Median(floor));
  std::printf("check 1 object x running         %8.2f ms  ratio %.2fx\n", Median(one),
              Median(one) / Median(floor));
  if (!kernels.empty()) {
    std::vector<double> all;
    int pairs = 0;
    for (int r = 0; r < std::max(1, repeat / 3); ++r) {
      auto start = Clock::now();
      pairs = CheckAll(objects, kernels);
      all.push_back(Ms(start));
    }
    std::printf("check %zu objects x %zu kernels    %8.2f ms  (%d pairs, %.3f ms/pair incl. reading each kernel once)\n",
                objects.size(), kernels.size(), Median(all), pairs, Median(all) / pairs);
  }
  return 0;
}
