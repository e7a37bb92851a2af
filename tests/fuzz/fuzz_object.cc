// BPF objects, and files embedding them (libbpf skeletons): read as
// `object show`, `lint` and `check` read OBJ, then every consumer.
#include "abi/object/bpf_object.h"
#include "tests/fuzz/fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace kcontract;
  fuzz::GetFixtures();
  absl::StatusOr<std::vector<std::unique_ptr<BpfObject>>> objects =
      ReadBpfObjectsFromBytes(ByteView(data, size), "fuzz.o");
  if (objects.ok()) fuzz::ExerciseObjects(*objects);
  return 0;
}
