// Raw and split BTF. The first byte chooses: even, the rest is a raw BTF
// file given as --kernel (what /sys/kernel/btf/vmlinux gives); odd, it is a
// module's split BTF over the model kernel (what /sys/kernel/btf/<module>
// gives, and a .ko's .BTF section holds), read as the running-kernel reader
// reads it. Either way the kernel then goes through every consumer.
#include "btfdiff/source/kernel_source.h"
#include "tests/fuzz/fuzz_support.h"

namespace kcontract::fuzz {
namespace {

const Bytes& ModelKernelBytes() {
  static const Bytes* bytes = [] {
    auto* raw = new Bytes();
    ByteView view = GetFixtures().model_kernel->vmlinux->RawData();
    raw->assign(view.begin(), view.end());
    return raw;
  }();
  return *bytes;
}

void FuzzSplit(ByteView bytes) {
  auto kernel = std::make_unique<KernelBtf>();
  kernel->kind = SourceKind::kRunning;
  kernel->source = "fuzz";
  absl::StatusOr<std::unique_ptr<Btf>> base = Btf::Parse(ModelKernelBytes(), "vmlinux");
  if (!base.ok()) __builtin_trap();  // the model kernel always parses
  kernel->vmlinux = std::move(*base);
  absl::StatusOr<std::unique_ptr<Btf>> module =
      Btf::Parse(bytes, "fuzz_mod", kernel->vmlinux.get());
  if (!module.ok()) return;
  kernel->modules.push_back(ModuleBtf{"fuzz_mod", "fuzz_mod", std::move(*module), {}, ""});
  ExerciseKernel(*kernel);
}

}  // namespace
}  // namespace kcontract::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace kcontract;
  fuzz::GetFixtures();
  if (size < 1) return 0;
  ByteView bytes(data + 1, size - 1);
  if (data[0] & 1) {
    fuzz::FuzzSplit(bytes);
    return 0;
  }
  absl::StatusOr<std::unique_ptr<KernelBtf>> kernel = LoadKernelFromBytes(bytes, "fuzz.btf");
  if (kernel.ok()) fuzz::ExerciseKernel(**kernel);
  return 0;
}
