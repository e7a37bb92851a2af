// KernelBtf: everything kcontract knows of one kernel, whatever form it came
// in: its vmlinux BTF, its modules' split BTF, their .BTF_ids sections, the
// release and the config. Built by the readers in kernel_source.h; read-only
// afterwards.
#ifndef KCONTRACT_BTFDIFF_MODEL_KERNEL_BTF_H_
#define KCONTRACT_BTFDIFF_MODEL_KERNEL_BTF_H_

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "btfdiff/base/bytes.h"
#include "btfdiff/base/elf_image.h"
#include "btfdiff/model/btf.h"
#include "btfdiff/model/kf_flags.h"
#include "btfdiff/model/name_index.h"

namespace kcontract {

enum class SourceKind {
  kRunning,     // /sys/kernel/btf
  kRawBtf,      // a raw BTF file
  kVmlinux,     // an ELF file with .BTF
  kBzImage,     // a compressed x86 boot image, signed or not
  kCompressed,  // a gzip/xz/zstd-compressed vmlinux or raw BTF
  kModule,      // a .ko (or .ko.xz, .ko.zst, .ko.gz) over a base kernel
  kDirectory,   // a directory holding an image, a config and modules
  kDebPackage,  // a Debian linux-image package
  kSnapshot,    // a kcontract kernel snapshot (btfdiff/snapshot)
};

std::string_view SourceKindName(SourceKind kind);

// The .BTF_ids section of an ELF file, kept for kfunc-set decoding.
struct BtfIdsSection {
  Bytes data;
  uint64_t address = 0;
  uint32_t index = 0;
  std::vector<ElfSymbol> symbols;  // __BTF_ID__* symbols only; empty when stripped
};

struct ModuleBtf {
  std::string name;  // "nf_conntrack"
  std::string path;  // where it was read from
  std::unique_ptr<Btf> btf;
  std::optional<BtfIdsSection> btf_ids;
  std::string vermagic;  // release the module was built for, when known
};

// Where a kernel read from a snapshot was first read from: the snapshot
// records it when it is made.
struct KernelOrigin {
  SourceKind kind = SourceKind::kRawBtf;
  std::string name;    // the source's file or directory name, or "running"
  std::string sha256;  // hex; what it covers: btfdiff/snapshot/snapshot.h
};

// The modules of a source that may hold only some of its kernel's modules (a
// directory with a few .ko files): the name of every module file read there,
// with BTF or not. "Not found" names them, so that it is never silently a
// module that was not there. (Where they were looked is the source.)
struct ModuleSearch {
  std::vector<std::string> names;  // sorted
};

// "5 modules (a, b, ...); other modules are not searched".
std::string ModuleSearchText(const ModuleSearch& search);

// CONFIG_* values as the kernel's config file gives them ("y", "m", "\"str\"", "123").
using KernelConfig = absl::flat_hash_map<std::string, std::string>;

class KernelBtf {
 public:
  SourceKind kind = SourceKind::kRawBtf;
  std::string source;   // the --kernel argument, as given
  std::string release;  // "6.1.0-50-amd64"; empty when the source holds none
  std::unique_ptr<Btf> vmlinux;
  std::optional<BtfIdsSection> vmlinux_btf_ids;
  std::vector<ModuleBtf> modules;
  std::optional<KernelConfig> config;
  std::vector<std::string> warnings;  // problems that did not stop reading
  std::optional<KernelOrigin> origin;  // set when read from a snapshot
  std::optional<ModuleSearch> module_search;  // set when modules may be missing

  KernelVersion version() const { return ParseKernelVersion(release); }
  // The kind of the source the kernel was first read from: the snapshot's
  // origin for a snapshot, else `kind`.
  SourceKind original_kind() const { return origin ? origin->kind : kind; }
  // The vmlinux BTF's type count plus every module's own types.
  uint64_t TypeCount() const;
  const ModuleBtf* FindModule(std::string_view name) const;

  // The kernel's types by name (name_index.h), made on first use and shared
  // by every later caller; the kernel must not change afterwards. Not
  // thread-safe.
  const KernelNameIndex& names() const;

 private:
  mutable std::unique_ptr<KernelNameIndex> names_;
};

// How findings, reports and probe name a kernel: its release, else its
// source as given (the --kernel argument).
std::string KernelLabel(const KernelBtf& kernel);

// What a "not in the kernel" message adds for a kernel whose modules were
// searched only in part: " (only 5 modules searched: a, b, ...)", or ""
// when every module the source has was searched.
std::string ModuleSearchNote(const KernelBtf& kernel);

// Parses a kernel config file's text ("CONFIG_FOO=y" lines).
KernelConfig ParseKernelConfig(std::string_view text);

// True when `bytes` looks like a kernel config file.
bool IsKernelConfig(ByteView bytes);

// The release named in a config's header ("# Linux/x86 6.18.44 Kernel
// Configuration"), or empty.
std::string ReleaseFromConfig(std::string_view text);

}  // namespace kcontract

#endif  // KCONTRACT_BTFDIFF_MODEL_KERNEL_BTF_H_
