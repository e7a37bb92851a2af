#include "btfdiff/base/parallel.h"

#include <sched.h>

#include <algorithm>
#include <atomic>
#include <thread>
#include <vector>

namespace kcontract {

unsigned AvailableCpus() {
  cpu_set_t set;
  if (sched_getaffinity(0, sizeof(set), &set) == 0) {
    int count = CPU_COUNT(&set);
    if (count > 0) return static_cast<unsigned>(count);
  }
  return std::max(1u, std::thread::hardware_concurrency());
}

unsigned EffectiveJobs(unsigned requested) {
  unsigned cpus = AvailableCpus();
  return requested == 0 ? cpus : std::min(requested, cpus);
}

void ParallelFor(size_t count, unsigned jobs, const std::function<void(size_t)>& fn) {
  if (count == 0) return;
  size_t threads = std::min<size_t>(std::max(1u, jobs), count);
  std::atomic<size_t> next{0};
  auto work = [&] {
    for (size_t i = next.fetch_add(1); i < count; i = next.fetch_add(1)) fn(i);
  };
  std::vector<std::thread> helpers;
  helpers.reserve(threads - 1);
  for (size_t t = 1; t < threads; ++t) helpers.emplace_back(work);
  work();
  for (std::thread& helper : helpers) helper.join();
}

}  // namespace kcontract
