// Assembling one kernel from the pieces found in a file, a directory or a
// package: the image's BTF and .BTF_ids, each module's, the config. Used by
// the kernel sources (kernel_source.cc) only.
#ifndef KCONTRACT_BTFDIFF_SOURCE_KERNEL_ASSEMBLER_H_
#define KCONTRACT_BTFDIFF_SOURCE_KERNEL_ASSEMBLER_H_

#include <algorithm>
#include <atomic>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "btfdiff/base/bytes.h"
#include "btfdiff/base/file_bytes.h"
#include "btfdiff/source/decompress.h"
#include "btfdiff/source/kernel_source.h"

namespace kcontract {

// The BTF of a candidate: a view of input bytes that outlive the assembler's
// Finish() (a mapped file, a package member), or a copy of transient ones
// (a decompressed image). Borrowing spares a copy of the whole BTF (5 MB for
// a distribution vmlinux) before libbpf makes its own.
class BtfBytes {
 public:
  static BtfBytes Borrow(ByteView bytes) {
    BtfBytes b;
    b.view_ = bytes;
    return b;
  }
  static BtfBytes Copy(ByteView bytes) {
    BtfBytes b;
    b.owned_.assign(bytes.begin(), bytes.end());
    b.view_ = b.owned_;
    return b;
  }
  static BtfBytes Of(ByteView bytes, bool borrow) {
    return borrow ? Borrow(bytes) : Copy(bytes);
  }
  // A moved vector keeps its buffer, so the view stays valid.
  BtfBytes() = default;
  BtfBytes(BtfBytes&&) noexcept = default;
  BtfBytes& operator=(BtfBytes&&) noexcept = default;

  ByteView view() const { return view_; }

 private:
  Bytes owned_;
  ByteView view_;
};

// Collects the pieces of one kernel found in a file, a directory or a
// package, then parses them in dependency order (modules over vmlinux).
class KernelAssembler {
 public:
  explicit KernelAssembler(const KernelLoadOptions& options) : options_(options) {}

  // Adds a file by its content. `strict`: the file was named by the user, so
  // content that is no part of a kernel is an error rather than skipped.
  // `bytes` must stay valid until Finish() returns.
  absl::Status AddFile(const std::string& path, ByteView bytes, bool strict) {
    return AddContent(path, bytes, strict, /*compressed_depth=*/0, /*stable=*/true);
  }

  // The same for a file the caller would close at once: the assembler keeps
  // it open while a candidate borrows its bytes.
  absl::Status AddFile(const std::string& path, FileBytes file, bool strict) {
    borrowed_ = false;
    absl::Status status = AddFile(path, file.bytes(), strict);
    if (borrowed_) kept_files_.push_back(std::move(file));
    return status;
  }

  // The same for bytes freed once it returns: candidates copy what they
  // keep (a module's BTF and .BTF_ids, not the module).
  absl::Status AddTransientFile(const std::string& path, ByteView bytes) {
    return AddContent(path, bytes, /*strict=*/false, /*compressed_depth=*/0, /*stable=*/false);
  }

  // Takes over what `piece` found (read from transient bytes), after what
  // this one holds.
  void Absorb(KernelAssembler&& piece);
  // Copies what `piece` found, as if it had been read from `path` (a hard
  // link in a package).
  absl::Status AbsorbCopy(const KernelAssembler& piece, const std::string& path);

  // Decompressed bytes count against `budget` too.
  void set_budget(DecompressBudget* budget) { budget_ = budget; }
  // The BTF kept counts against options.max_btf_total; the pieces of one
  // package read share one count.
  void set_btf_counter(std::atomic<uint64_t>* counter) { kept_btf_ = counter; }

  absl::StatusOr<std::unique_ptr<KernelBtf>> Finish(SourceKind kind,
                                                    std::string_view source);

  ContentKind primary_content() const { return primary_; }
  // Every module read, with BTF or not: sorted, each name once.
  std::vector<std::string> ModuleNamesRead() const {
    std::vector<std::string> names = module_names_read_;
    std::sort(names.begin(), names.end());
    names.erase(std::unique(names.begin(), names.end()), names.end());
    return names;
  }

  // A problem that did not stop reading: the kernel's warnings.
  void Warn(std::string warning) { warnings_.push_back(std::move(warning)); }


 private:
  struct VmlinuxCandidate {
    std::string path;
    BtfBytes btf;
    std::optional<BtfIdsSection> btf_ids;
    std::string release;
  };
  struct ModuleCandidate {
    std::string name;
    std::string path;
    std::string vermagic;
    BtfBytes btf;
    std::optional<BtfIdsSection> btf_ids;
  };

  // `stable`: `bytes` stay valid until Finish() returns, so candidates may
  // borrow them instead of copying.
  absl::Status AddContent(const std::string& path, ByteView bytes, bool strict,
                          int compressed_depth, bool stable);
  absl::Status AddVmlinuxElf(const std::string& path, ByteView bytes,
                             std::string release, bool stable);
  absl::Status AddModuleElf(const std::string& path, ByteView bytes, bool strict,
                            bool stable);
  absl::Status AttachModules(KernelBtf& kernel);
  // Decompress under both limits: the per-file one, and what is left of
  // the per-input one.
  // With a budget, the result is held against it while it lives.
  absl::StatusOr<HeldBytes> DecompressCounted(ByteView input, Compression kind,
                                              const std::string& what);
  // Counts `bytes` of BTF kept for `path`; fails past the ceiling.
  absl::Status KeepBtf(const std::string& path, uint64_t bytes);
  BtfBytes TakeBtf(ByteView bytes, bool stable) {
    borrowed_ |= stable;
    return BtfBytes::Of(bytes, stable);
  }

  const KernelLoadOptions& options_;
  ContentKind primary_ = ContentKind::kUnknown;
  std::vector<VmlinuxCandidate> vmlinux_;
  std::vector<ModuleCandidate> modules_;
  std::string config_text_;
  std::vector<std::string> warnings_;
  uint64_t decompressed_ = 0;           // bytes decompressed for this input so far
  bool borrowed_ = false;               // a candidate borrowed the current file
  std::vector<FileBytes> kept_files_;   // files that candidates borrow from
  DecompressBudget* budget_ = nullptr;
  std::atomic<uint64_t> own_kept_btf_{0};
  std::atomic<uint64_t>* kept_btf_ = &own_kept_btf_;
  std::vector<std::string> module_names_read_;
};

// The source kind a file of this content makes.
SourceKind SourceKindFor(ContentKind kind);

}  // namespace kcontract

#endif  // KCONTRACT_BTFDIFF_SOURCE_KERNEL_ASSEMBLER_H_
