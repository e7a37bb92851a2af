// Readers: turn a --kernel argument into a KernelBtf. The argument is
// "running", a file or a directory; files are recognised by their content
// (magic bytes), never by their names.
#ifndef KCONTRACT_BTFDIFF_SOURCE_KERNEL_SOURCE_H_
#define KCONTRACT_BTFDIFF_SOURCE_KERNEL_SOURCE_H_

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "btfdiff/model/btf_validate.h"
#include "btfdiff/model/kernel_btf.h"
#include "btfdiff/source/decompress.h"

namespace kcontract {

inline constexpr std::string_view kRunningKernel = "running";

struct KernelLoadOptions {
  // The kernel a module source belongs to (its base BTF); any kernel source.
  std::string base;
  // Bytes one compressed file may decompress to, and all the files of one
  // input together (a package's data tarball, images and modules): a
  // package of small members that each expand to the per-file limit would
  // otherwise cost their count times it.
  uint64_t max_decompressed = kDefaultMaxDecompressedSize;
  // Ceiling on everything one source decompresses, all files together: a
  // package's data member, its modules, the kernel image, a snapshot.
  uint64_t max_decompressed_total = kDefaultMaxDecompressedTotal;
  // Ceiling on what reading a package holds at once: its files read and not
  // yet dropped, and what is decompressed of them, on every thread together.
  uint64_t max_decompressed_held = kDefaultMaxDecompressedHeld;
  // Ceiling on the BTF a read keeps, vmlinux and modules together, copies
  // for hard links included: compressible BTF spread over thousands of
  // modules would otherwise be held up to the decompression ceilings.
  uint64_t max_btf_total = kMaxKernelBtfBytes;
  // Threads decompressing and parsing modules; 0: every CPU this process may
  // use.
  unsigned jobs = 0;
  // Where the running kernel's BTF lives (tests point it elsewhere).
  std::filesystem::path sysfs_btf_dir = "/sys/kernel/btf";
};

// What a file's content says it is.
enum class ContentKind {
  kEmpty,
  kUnknown,
  kRawBtf,
  kElfVmlinux,  // ELF executable (vmlinux) — .BTF presence is checked later
  kElfModule,   // ELF relocatable object for a CPU (a kernel module)
  kElfBpf,      // an EM_BPF object: a BPF program, not a kernel
  kElfOther,
  kBzImage,
  kCompressed,
  kDebPackage,
  kKernelConfig,
  kSnapshot,    // a kcontract kernel snapshot
};

ContentKind ClassifyContent(ByteView bytes);

absl::StatusOr<std::unique_ptr<KernelBtf>> LoadKernel(
    std::string_view source, const KernelLoadOptions& options = {});

// The same for a file's bytes already in memory (what LoadKernel does with a
// file once it has read it); `what` names them in messages. `bytes` must
// outlive the call only, not the result.
absl::StatusOr<std::unique_ptr<KernelBtf>> LoadKernelFromBytes(
    ByteView bytes, std::string_view what, const KernelLoadOptions& options = {});

}  // namespace kcontract

#endif  // KCONTRACT_BTFDIFF_SOURCE_KERNEL_SOURCE_H_
