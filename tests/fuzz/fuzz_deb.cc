// Debian packages (ar + tar, any compression), read in memory: as a kernel
// (`--kernel FILE.deb`, the entry point fuzz_kernel_image uses), and as the
// gate reads a package of BPF objects (`gate FILE.deb`), whose objects then
// go through every consumer of objects. Its own seeds (linux-image packages
// and a package of policies) keep the mutations on the archive layers.
#include "abi/gate/gate_inputs.h"
#include "tests/fuzz/fuzz_kernel_file.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace kcontract;
  fuzz::GetFixtures();
  fuzz::FuzzKernelFile(data, size, "fuzz.deb");

  DebReadLimits limits;
  limits.max_file_size = fuzz::kMaxDecompressedPerFile;
  limits.max_total_size = fuzz::kMaxDecompressedPerInput;
  limits.max_data_bytes = fuzz::kMaxDecompressedPerInput;
  const std::string path = fuzz::WriteScratchFile("fuzz.deb", data, size);
  GateInputs inputs = ReadGateInputs({path}, limits);
  if (inputs.rows.size() != inputs.objects.size()) __builtin_trap();
  std::vector<std::unique_ptr<BpfObject>> objects;
  for (std::unique_ptr<BpfObject>& object : inputs.objects) {
    if (object != nullptr) objects.push_back(std::move(object));
  }
  if (!objects.empty()) fuzz::ExerciseObjects(objects);
  return 0;
}
