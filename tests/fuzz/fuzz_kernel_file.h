// One kernel source file, as `--kernel FILE --base <model kernel>` reads it
// (kernel images, compressed files, modules, .deb packages: recognised by
// content), then every consumer of the kernel.
#ifndef KCONTRACT_TESTS_FUZZ_FUZZ_KERNEL_FILE_H_
#define KCONTRACT_TESTS_FUZZ_FUZZ_KERNEL_FILE_H_

#include <cstdint>

#include "btfdiff/source/kernel_source.h"
#include "tests/fuzz/fuzz_support.h"

namespace kcontract::fuzz {

// The fuzz targets' decompression caps, per file and per input: the
// fuzzer's own memory limit (-rss_limit_mb) would report the CLI's 1 and
// 2 GiB as a leak-like out-of-memory; these still hold every seed.
inline constexpr uint64_t kMaxDecompressedPerFile = 64ull << 20;
inline constexpr uint64_t kMaxDecompressedPerInput = 128ull << 20;

inline void FuzzKernelFile(const uint8_t* data, size_t size, const char* what) {
  KernelLoadOptions options;
  options.base = GetFixtures().model_kernel_path;
  options.max_decompressed = kMaxDecompressedPerFile;
  options.max_decompressed_total = kMaxDecompressedPerInput;
  absl::StatusOr<std::unique_ptr<KernelBtf>> kernel =
      LoadKernelFromBytes(ByteView(data, size), what, options);
  if (kernel.ok()) ExerciseKernel(**kernel);
}

}  // namespace kcontract::fuzz

#endif  // KCONTRACT_TESTS_FUZZ_FUZZ_KERNEL_FILE_H_
