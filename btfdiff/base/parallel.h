// Work spread over a bounded number of threads: reading the modules of a
// kernel package, (de)compressing a snapshot's chunks, parsing module BTF.
#ifndef KCONTRACT_BTFDIFF_BASE_PARALLEL_H_
#define KCONTRACT_BTFDIFF_BASE_PARALLEL_H_

#include <cstddef>
#include <functional>

namespace kcontract {

// The CPUs this process may run on (its affinity mask), at least 1.
unsigned AvailableCpus();

// `requested` bounded by the CPUs available; 0 means all of them.
unsigned EffectiveJobs(unsigned requested);

// Calls fn(i) once for every i in [0, count), on at most `jobs` threads (the
// calling thread is one of them), and returns when every call has returned.
// Indexes are handed out in increasing order; fn must be safe to call
// concurrently for different indexes.
void ParallelFor(size_t count, unsigned jobs, const std::function<void(size_t)>& fn);

}  // namespace kcontract

#endif  // KCONTRACT_BTFDIFF_BASE_PARALLEL_H_
