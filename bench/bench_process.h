// What the process benchmarks share: running a program to completion with
// its output discarded, timed, with its peak memory; medians.
#ifndef KCONTRACT_BENCH_BENCH_PROCESS_H_
#define KCONTRACT_BENCH_BENCH_PROCESS_H_

#include <string>
#include <vector>

namespace kcontract::bench {

// One process run: wall time, peak RSS, exit code; ok is false when it
// could not start or was killed.
struct Run {
  bool ok = false;
  int code = -1;
  double ms = 0;
  double rss_mib = 0;
};

// Runs argv[0] (a path) with stdout and stderr to /dev/null, from a
// launcher process forked before main(), so that the peak RSS is the
// program's own and not the benchmark's (bench_process.cc).
Run RunProcess(std::vector<std::string> argv);

double Median(std::vector<double> v);
double Min(const std::vector<double>& v);

}  // namespace kcontract::bench

#endif  // KCONTRACT_BENCH_BENCH_PROCESS_H_
