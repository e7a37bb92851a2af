// Kernel snapshots: everything every command needs from one kernel in one
// compact file, so that a gate checks against twenty kernels without reading
// twenty packages. `kcontract kernel snapshot` writes one; every --kernel
// accepts one (recognised by its magic), and every command's output on it is
// the one on the kernel it was made from.
//
// A snapshot holds the vmlinux BTF and the split BTF of every module that has
// any, their .BTF_ids sections as the kernel has them (the kfunc sets and
// their KF_* flags are decoded from them exactly as from the ELF files), the
// release, the config, the warnings reading the source gave, which modules a
// partial source held, and its origin: the source's kind, its file name and
// its sha256. It is versioned (snapshot_format.h), deterministic (the same
// kernel gives the same bytes, whatever the number of threads or where the
// source sits) and zstd-compressed, or, on request, holds the BTF as it is
// (3.1 times larger, read in place without decompressing).
#ifndef KCONTRACT_BTFDIFF_SNAPSHOT_SNAPSHOT_H_
#define KCONTRACT_BTFDIFF_SNAPSHOT_SNAPSHOT_H_

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "btfdiff/base/bytes.h"
#include "btfdiff/base/sha256.h"
#include "btfdiff/model/btf_validate.h"
#include "btfdiff/model/kernel_btf.h"

namespace kcontract {

// The newest format version this build writes; it reads every version up
// to it. A snapshot is written in the oldest version that holds it
// (snapshot_format.h): 1 unless its BTF is stored uncompressed.
inline constexpr uint32_t kSnapshotFormatVersion = 2;

// The format version of a snapshot's bytes (0 when they are too short to
// hold one).
uint32_t SnapshotFormatVersionOf(ByteView snapshot);

// True when `bytes` start with the snapshot magic.
bool IsSnapshot(ByteView bytes);

// The origin a snapshot of `kernel`, read from `source` (the --kernel
// argument), records. The sha256 covers: a file's bytes; for a directory,
// the listing `sha256sum` prints for every regular file below it, in
// byte-wise order of their paths relative to it (what
// `find . -type f -printf '%P\n' | LC_ALL=C sort | xargs -d '\n' sha256sum`
// prints there); for the running kernel, /sys/kernel/btf/vmlinux. A kernel
// read from a snapshot keeps the snapshot's origin.
absl::StatusOr<KernelOrigin> OriginOf(const KernelBtf& kernel, std::string_view source);

// The lowercase hex SHA-256 of `bytes`.


// A snapshot's contents as the writer takes them: views of a kernel's bytes.
// Tests build hostile ones directly.
struct SnapshotModule {
  std::string name;
  std::string path;  // relative to the source: "lib/modules/.../x.ko"
  std::string vermagic;
  ByteView btf;
  const BtfIdsSection* btf_ids = nullptr;
};
struct SnapshotContents {
  KernelOrigin origin;
  std::string release;
  const KernelConfig* config = nullptr;
  std::vector<std::string> warnings;
  ByteView vmlinux_btf;
  const BtfIdsSection* vmlinux_btf_ids = nullptr;
  std::vector<SnapshotModule> modules;
  std::optional<ModuleSearch> module_search;
};

// `kernel`'s contents; paths and warnings name the source by its file name
// (origin.name), not by the path it was given as, so the bytes do not
// depend on where the source sat.
SnapshotContents ContentsOf(const KernelBtf& kernel, const KernelOrigin& origin);

enum class SnapshotCompression {
  kZstd,  // the BTF compressed: about 0.3 times its size
  kNone,  // the BTF as it is: a reader parses it in place, decompressing nothing
};

struct SnapshotWriteOptions {
  unsigned jobs = 0;  // threads compressing chunks; 0: every CPU
  SnapshotCompression compression = SnapshotCompression::kZstd;
  // zstd level of every zstd section. 3 compresses kernel BTF 4 times
  // faster than 9 for 7% more bytes (0.320 against 0.298 of the 6.18 BTF;
  // 218 against 53 MB/s), which took a whole package's snapshot from
  // 1.14-1.22 to 1.08-1.12 times the time of decompressing the package.
  int level = 3;
};

// The snapshot's bytes. The same contents give the same bytes whatever
// `jobs` is.
Bytes EncodeSnapshot(const SnapshotContents& contents,
                     const SnapshotWriteOptions& options = {});

struct SnapshotReadOptions {
  unsigned jobs = 0;  // threads decompressing chunks and parsing modules
  // Ceiling on all the bytes the snapshot decompresses to. A reader holds
  // them and libbpf's copy of them at once, so this bounds its memory: the
  // largest real snapshots, Debian's whole 6.1 and 6.12 packages, hold
  // 64.5 and 76.5 MB of BTF and peak at 153 and 180 MB when read; a hostile
  // one holding 159 MiB peaked at 256 MB.
  uint64_t max_decompressed = kMaxKernelBtfBytes;
};

// Reads a snapshot back into a KernelBtf (kind kSnapshot, source `path`,
// origin set). Fails with one message naming `path` and what is wrong:
// truncated (at which byte), corrupt (which section, and why), a format
// version newer than this build reads, BTF that libbpf rejects.
absl::StatusOr<std::unique_ptr<KernelBtf>> DecodeSnapshot(
    ByteView bytes, std::string_view path, const SnapshotReadOptions& options = {});

}  // namespace kcontract

#endif  // KCONTRACT_BTFDIFF_SNAPSHOT_SNAPSHOT_H_
