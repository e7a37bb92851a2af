// kcontract_check_bench: the pre-load check's cost.
//  1. `check` of one object against the running kernel, in process, as a
//     ratio to a bare libbpf btf__parse() of the running kernel's BTF
//     measured in the same run (the floor: reading the kernel is the work).
//  2. N objects x the shared kernels in one call, each kernel read and
//     indexed once: total time, and time per object x kernel pair.
//
//   kcontract_check_bench OBJ... [--kernel SRC]... [--repeat N]
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include "abi/libbpf/libbpf_check.h"
#include "abi/object/bpf_object.h"
#include "btfdiff/source/kernel_source.h"

namespace {

using Clock = std::chrono::steady_clock;

double Ms(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
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

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> objects;
  std::vector<std::string> kernels;
  int repeat = 9;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--kernel" && i + 1 < argc) {
      kernels.push_back(argv[++i]);
    } else if (arg == "--repeat" && i + 1 < argc) {
      repeat = std::max(1, std::atoi(argv[++i]));
    } else {
      objects.push_back(arg);
    }
  }
  if (objects.empty()) {
    std::fprintf(stderr, "usage: %s OBJ... [--kernel SRC]... [--repeat N]\n", argv[0]);
    return 2;
  }
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
