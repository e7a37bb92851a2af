// Debian linux-image packages (ar + tar, any compression), read in memory.
// The same entry point as fuzz_kernel_image; its own seeds keep the
// mutations on the archive layers.
#include "tests/fuzz/fuzz_kernel_file.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  kcontract::fuzz::GetFixtures();
  kcontract::fuzz::FuzzKernelFile(data, size, "fuzz.deb");
  return 0;
}
