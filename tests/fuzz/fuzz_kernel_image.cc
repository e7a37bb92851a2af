// Kernel images and compressed files: vmlinux ELF, bzImage (gzip, xz,
// lzma, zstd payloads), gzip/xz/zstd files, modules (.ko and compressed).
#include "tests/fuzz/fuzz_kernel_file.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  kcontract::fuzz::GetFixtures();
  kcontract::fuzz::FuzzKernelFile(data, size, "fuzz-image");
  return 0;
}
