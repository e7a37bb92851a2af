// One kernel source file, as `--kernel FILE --base <model kernel>` reads it
// (kernel images, compressed files, modules, .deb packages: recognised by
// content), then every consumer of the kernel.
#ifndef KCONTRACT_TESTS_FUZZ_FUZZ_KERNEL_FILE_H_
#define KCONTRACT_TESTS_FUZZ_FUZZ_KERNEL_FILE_H_

#include "btfdiff/source/kernel_source.h"
#include "tests/fuzz/fuzz_support.h"

namespace kcontract::fuzz {

inline void FuzzKernelFile(const uint8_t* data, size_t size, const char* what) {
  KernelLoadOptions options;
  options.base = GetFixtures().model_kernel_path;
  // The fuzzer's own memory limit (-rss_limit_mb) would report the default
  // 1 GiB cap as a leak-like out-of-memory; 64 MiB still holds every seed.
  options.max_decompressed = 64ull << 20;
  options.max_decompressed_total = 128ull << 20;
  absl::StatusOr<std::unique_ptr<KernelBtf>> kernel =
      LoadKernelFromBytes(ByteView(data, size), what, options);
  if (kernel.ok()) ExerciseKernel(**kernel);
}

}  // namespace kcontract::fuzz

#endif  // KCONTRACT_TESTS_FUZZ_FUZZ_KERNEL_FILE_H_
