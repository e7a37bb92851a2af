#include "btfdiff/source/kernel_source.h"

#include <sys/utsname.h>

#include <algorithm>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <mutex>
#include <system_error>
#include <thread>

#include "absl/strings/match.h"
#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_format.h"
#include "btfdiff/base/elf_image.h"
#include "btfdiff/base/file_bytes.h"
#include "btfdiff/base/parallel.h"
#include "btfdiff/base/status_macros.h"
#include "btfdiff/base/text.h"
#include "btfdiff/source/deb_package.h"
#include "btfdiff/source/kernel_image.h"
#include "btfdiff/snapshot/snapshot.h"

namespace kcontract {
namespace {

constexpr size_t kSniffSize = 4096;
constexpr int kMaxDirectoryDepth = 6;
constexpr size_t kMaxDirectoryEntries = 200000;

std::string_view AsText(ByteView bytes) {
  return std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size());
}

// "name=value" strings of a module's .modinfo section.
std::string ModinfoValue(ByteView modinfo, std::string_view key) {
  for (std::string_view entry : SplitView(AsText(modinfo), '\0')) {
    if (entry.starts_with(key) && entry.size() > key.size() &&
        entry[key.size()] == '=') {
      return std::string(entry.substr(key.size() + 1));
    }
  }
  return "";
}

// The release in a "Linux version 6.1.0-50-amd64 (...)" banner, if any.
std::string ReleaseFromBanner(ByteView bytes) {
  static constexpr std::string_view kBanner = "Linux version ";
  std::string_view text = AsText(bytes);
  for (size_t at = text.find(kBanner); at != std::string_view::npos;
       at = text.find(kBanner, at + 1)) {
    std::string_view rest = text.substr(at + kBanner.size(), 128);
    size_t end = rest.find_first_of(" \n\0", 0);
    std::string_view release = rest.substr(0, end);
    // The banner format string "%s" also appears; want a real release.
    if (!release.empty() && release[0] >= '0' && release[0] <= '9') {
      return std::string(release);
    }
  }
  return "";
}

std::string FirstWord(std::string_view text) {
  return std::string(text.substr(0, text.find(' ')));
}

std::string ModuleNameFromPath(std::string_view path) {
  std::string_view base = path.substr(path.rfind('/') + 1);
  return std::string(base.substr(0, base.find('.')));
}

absl::StatusOr<std::optional<BtfIdsSection>> ReadBtfIds(const ElfImage& elf) {
  KC_ASSIGN_OR_RETURN(std::optional<ElfSection> section, elf.Section(".BTF_ids"));
  if (!section) return std::optional<BtfIdsSection>();
  BtfIdsSection ids;
  ids.data.assign(section->data.begin(), section->data.end());
  ids.address = section->address;
  ids.index = section->index;
  KC_ASSIGN_OR_RETURN(std::vector<ElfSymbol> symbols, elf.Symbols());
  for (ElfSymbol& symbol : symbols) {
    if (symbol.section_index == section->index && symbol.name.starts_with("__BTF_ID__")) {
      ids.symbols.push_back(std::move(symbol));
    }
  }
  return std::optional<BtfIdsSection>(std::move(ids));
}

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
  void AbsorbCopy(const KernelAssembler& piece, const std::string& path);

  // Decompressed bytes count against `budget` too.
  void set_budget(DecompressBudget* budget) { budget_ = budget; }

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
  absl::StatusOr<Bytes> DecompressCounted(ByteView input, Compression kind,
                                          const std::string& what);
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
  std::vector<std::string> module_names_read_;
};

void KernelAssembler::Absorb(KernelAssembler&& piece) {
  for (VmlinuxCandidate& c : piece.vmlinux_) vmlinux_.push_back(std::move(c));
  for (ModuleCandidate& c : piece.modules_) modules_.push_back(std::move(c));
  if (config_text_.empty()) config_text_ = std::move(piece.config_text_);
  warnings_.insert(warnings_.end(), piece.warnings_.begin(), piece.warnings_.end());
}

void KernelAssembler::AbsorbCopy(const KernelAssembler& piece, const std::string& path) {
  for (const VmlinuxCandidate& c : piece.vmlinux_) {
    vmlinux_.push_back(VmlinuxCandidate{path, BtfBytes::Copy(c.btf.view()), c.btf_ids, c.release});
  }
  for (const ModuleCandidate& c : piece.modules_) {
    modules_.push_back(
        ModuleCandidate{c.name, path, c.vermagic, BtfBytes::Copy(c.btf.view()), c.btf_ids});
  }
  if (config_text_.empty()) config_text_ = piece.config_text_;
}

absl::Status AddUnrecognised(const std::string& path, ContentKind kind, bool strict) {
  if (!strict) return absl::OkStatus();
  switch (kind) {
    case ContentKind::kEmpty:
      return absl::InvalidArgumentError(absl::StrFormat("%s: empty file", path));
    case ContentKind::kElfBpf:
      return absl::InvalidArgumentError(absl::StrFormat(
          "%s: a BPF object, not a kernel (see 'kcontract object show')", path));
    case ContentKind::kKernelConfig:
      return absl::InvalidArgumentError(absl::StrFormat(
          "%s: a kernel config holds no BTF; give the kernel image or its directory",
          path));
    default:
      return absl::InvalidArgumentError(absl::StrFormat(
          "%s: not a kernel source: unrecognised content (expected raw BTF, an ELF "
          "vmlinux or module, a bzImage, a compressed image, a .deb or a directory)",
          path));
  }
}

absl::StatusOr<Bytes> KernelAssembler::DecompressCounted(ByteView input, Compression kind,
                                                         const std::string& what) {
  const uint64_t input_left = options_.max_decompressed_total -
                              std::min(options_.max_decompressed_total, decompressed_);
  const uint64_t limit = std::min(options_.max_decompressed, input_left);
  absl::StatusOr<Bytes> out = Decompress(input, kind, what, limit, budget_);
  if (!out.ok() && limit < options_.max_decompressed &&
      out.status().code() == absl::StatusCode::kResourceExhausted &&
      absl::StrContains(out.status().message(), "decompressed data exceeds")) {
    return absl::ResourceExhaustedError(absl::StrFormat(
        "%s: decompressed data exceeds the limit of %d MiB for all the files of one input "
        "together (%d MiB decompressed before this file; a decompression bomb?)",
        what, options_.max_decompressed_total >> 20, decompressed_ >> 20));
  }
  if (out.ok()) decompressed_ += out->size();
  return out;
}

absl::Status KernelAssembler::AddContent(const std::string& path, ByteView bytes,
                                         bool strict, int compressed_depth, bool stable) {
  ContentKind kind = ClassifyContent(bytes);
  if (compressed_depth == 0 && primary_ == ContentKind::kUnknown) primary_ = kind;
  switch (kind) {
    case ContentKind::kRawBtf:
      vmlinux_.push_back(VmlinuxCandidate{path, TakeBtf(bytes, stable), {}, ""});
      return absl::OkStatus();
    case ContentKind::kElfVmlinux:
      return AddVmlinuxElf(path, bytes, "", stable);
    case ContentKind::kElfModule:
      if (compressed_depth > 0 && primary_ == ContentKind::kCompressed) {
        primary_ = ContentKind::kElfModule;
      }
      return AddModuleElf(path, bytes, strict, stable);
    case ContentKind::kBzImage: {
      KC_ASSIGN_OR_RETURN(BzImagePayload payload, LocateBzImagePayload(bytes, path));
      KC_ASSIGN_OR_RETURN(Bytes vmlinux,
                          DecompressCounted(payload.compressed, payload.compression,
                                            path + ": payload"));
      if (!IsElf(vmlinux)) {
        return absl::DataLossError(
            absl::StrFormat("%s: bzImage payload is not an ELF vmlinux", path));
      }
      return AddVmlinuxElf(path, vmlinux, payload.release, /*stable=*/false);
    }
    case ContentKind::kCompressed: {
      if (compressed_depth > 0) {
        return AddUnrecognised(path, ContentKind::kUnknown, strict);
      }
      KC_ASSIGN_OR_RETURN(Bytes inner,
                          DecompressCounted(bytes, DetectCompression(bytes), path));
      ContentKind inner_kind = ClassifyContent(inner);
      if (inner_kind != ContentKind::kRawBtf && inner_kind != ContentKind::kElfVmlinux &&
          inner_kind != ContentKind::kElfModule) {
        if (!strict) return absl::OkStatus();
        return absl::InvalidArgumentError(absl::StrFormat(
            "%s: decompressed content is not BTF, a vmlinux or a kernel module", path));
      }
      return AddContent(path, inner, strict, compressed_depth + 1, /*stable=*/false);
    }
    case ContentKind::kElfOther:
      // An ELF file cut inside its header is cut, not foreign: say so.
      if (strict && !ReadElfHeader(bytes)) return ElfImage::Open(bytes, path).status();
      return AddUnrecognised(path, kind, strict);
    case ContentKind::kKernelConfig:
      if (!strict) {
        if (config_text_.empty()) config_text_ = std::string(AsText(bytes));
        return absl::OkStatus();
      }
      return AddUnrecognised(path, kind, strict);
    default:
      return AddUnrecognised(path, kind, strict);
  }
}

absl::Status KernelAssembler::AddVmlinuxElf(const std::string& path, ByteView bytes,
                                            std::string release, bool stable) {
  KC_ASSIGN_OR_RETURN(std::unique_ptr<ElfImage> elf, ElfImage::Open(bytes, path));
  KC_ASSIGN_OR_RETURN(std::optional<ElfSection> btf, elf->Section(".BTF"));
  if (!btf) {
    return absl::NotFoundError(absl::StrFormat(
        "%s: ELF file has no .BTF section (kernel built without CONFIG_DEBUG_INFO_BTF?)",
        path));
  }
  VmlinuxCandidate candidate{path, TakeBtf(btf->data, stable), {}, std::move(release)};
  KC_ASSIGN_OR_RETURN(candidate.btf_ids, ReadBtfIds(*elf));
  if (candidate.release.empty()) {
    KC_ASSIGN_OR_RETURN(std::optional<ElfSection> rodata, elf->Section(".rodata"));
    candidate.release = ReleaseFromBanner(rodata ? rodata->data : bytes);
  }
  vmlinux_.push_back(std::move(candidate));
  return absl::OkStatus();
}

absl::Status KernelAssembler::AddModuleElf(const std::string& path, ByteView bytes,
                                           bool strict, bool stable) {
  KC_ASSIGN_OR_RETURN(std::unique_ptr<ElfImage> elf, ElfImage::Open(bytes, path));
  KC_ASSIGN_OR_RETURN(std::optional<ElfSection> modinfo, elf->Section(".modinfo"));
  if (!modinfo) {
    if (!strict) return absl::OkStatus();
    return absl::InvalidArgumentError(absl::StrFormat(
        "%s: relocatable ELF without .modinfo: not a kernel module", path));
  }
  KC_ASSIGN_OR_RETURN(std::optional<ElfSection> btf, elf->Section(".BTF"));
  ModuleCandidate module;
  module.path = path;
  module.name = ModinfoValue(modinfo->data, "name");
  if (module.name.empty()) module.name = ModuleNameFromPath(path);
  module.vermagic = ModinfoValue(modinfo->data, "vermagic");
  module_names_read_.push_back(module.name);
  if (!btf) {
    if (strict) {
      return absl::NotFoundError(absl::StrFormat(
          "%s: module has no .BTF section (built without CONFIG_DEBUG_INFO_BTF_MODULES?)",
          path));
    }
    return absl::OkStatus();  // most modules of a package carry no kfuncs
  }
  module.btf = TakeBtf(btf->data, stable);
  KC_ASSIGN_OR_RETURN(module.btf_ids, ReadBtfIds(*elf));
  modules_.push_back(std::move(module));
  return absl::OkStatus();
}

absl::Status KernelAssembler::AttachModules(KernelBtf& kernel) {
  // Stable: of two copies of a module, the first read is the one used.
  std::stable_sort(
      modules_.begin(), modules_.end(),
      [](const ModuleCandidate& a, const ModuleCandidate& b) { return a.name < b.name; });
  std::vector<bool> duplicate(modules_.size());
  for (size_t i = 1; i < modules_.size(); ++i) {
    duplicate[i] = modules_[i].name == modules_[i - 1].name;
  }
  // A package holds thousands of modules: their BTF is parsed in parallel
  // (libbpf only reads the shared base).
  std::vector<absl::StatusOr<std::unique_ptr<Btf>>> parsed(modules_.size());
  ParallelFor(modules_.size(), EffectiveJobs(options_.jobs), [&](size_t i) {
    if (duplicate[i]) return;
    ModuleCandidate& candidate = modules_[i];
    parsed[i] = Btf::Parse(candidate.btf.view(), candidate.path, kernel.vmlinux.get());
    candidate.btf = BtfBytes();  // libbpf holds its own copy now
  });
  for (size_t i = 0; i < modules_.size(); ++i) {
    ModuleCandidate& candidate = modules_[i];
    if (duplicate[i]) {
      kernel.warnings.push_back(absl::StrFormat(
          "%s: module %s appears twice; the first copy is used", candidate.path,
          candidate.name));
      continue;
    }
    std::string built_for = FirstWord(candidate.vermagic);
    if (!built_for.empty() && !kernel.release.empty() && built_for != kernel.release) {
      kernel.warnings.push_back(absl::StrFormat(
          "%s: module built for %s, not %s: its BTF may not match this kernel",
          candidate.path, built_for, kernel.release));
    }
    KC_RETURN_IF_ERROR(parsed[i].status());
    kernel.modules.push_back(ModuleBtf{std::move(candidate.name), std::move(candidate.path),
                                       std::move(*parsed[i]), std::move(candidate.btf_ids),
                                       std::move(candidate.vermagic)});
  }
  return absl::OkStatus();
}

absl::StatusOr<std::unique_ptr<KernelBtf>> KernelAssembler::Finish(SourceKind kind,
                                                                   std::string_view source) {
  std::unique_ptr<KernelBtf> kernel;
  if (vmlinux_.empty()) {
    if (modules_.empty()) {
      return absl::NotFoundError(absl::StrFormat(
          "%s: no kernel BTF found (no bzImage, vmlinux, raw BTF or module with BTF)",
          source));
    }
    if (options_.base.empty()) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "%s: a module's BTF is split BTF over its kernel's vmlinux BTF; give that "
          "kernel with --base SRC, or a directory holding both",
          source));
    }
    KernelLoadOptions base_options = options_;
    base_options.base.clear();
    KC_ASSIGN_OR_RETURN(kernel, LoadKernel(options_.base, base_options));
    kernel->modules.clear();
  } else {
    if (vmlinux_.size() > 1) {
      std::vector<std::string> paths;
      for (const VmlinuxCandidate& c : vmlinux_) paths.push_back(c.path);
      return absl::InvalidArgumentError(absl::StrFormat(
          "%s: several kernel images (%s); give one of them", source,
          Join(paths, ", ")));
    }
    VmlinuxCandidate& image = vmlinux_.front();
    kernel = std::make_unique<KernelBtf>();
    KC_ASSIGN_OR_RETURN(kernel->vmlinux, Btf::Parse(image.btf.view(), image.path));
    kernel->vmlinux_btf_ids = std::move(image.btf_ids);
    kernel->release = image.release;
  }
  kernel->kind = kind;
  kernel->source = std::string(source);
  if (!config_text_.empty()) {
    kernel->config = ParseKernelConfig(config_text_);
    if (kernel->release.empty()) kernel->release = ReleaseFromConfig(config_text_);
  }
  if (kernel->release.empty() && !modules_.empty()) {
    kernel->release = FirstWord(modules_.front().vermagic);
  }
  KC_RETURN_IF_ERROR(AttachModules(*kernel));
  kernel->warnings.insert(kernel->warnings.end(), warnings_.begin(), warnings_.end());
  return kernel;
}

SourceKind SourceKindFor(ContentKind kind) {
  switch (kind) {
    case ContentKind::kElfVmlinux: return SourceKind::kVmlinux;
    case ContentKind::kElfModule: return SourceKind::kModule;
    case ContentKind::kBzImage: return SourceKind::kBzImage;
    case ContentKind::kCompressed: return SourceKind::kCompressed;
    default: return SourceKind::kRawBtf;
  }
}

bool IsPackageMemberWanted(std::string_view path) {
  if (path.starts_with("boot/vmlinuz-") || path.starts_with("boot/vmlinux-") ||
      path.starts_with("boot/config-")) {
    return true;
  }
  bool in_modules = path.starts_with("lib/modules/") ||
                    path.starts_with("usr/lib/modules/");
  return in_modules && (path.ends_with(".ko") || path.ends_with(".ko.xz") ||
                        path.ends_with(".ko.zst") || path.ends_with(".ko.gz"));
}

// Most a package's files may hold decompressed while waiting for a worker:
// with the workers' own files and the decoder's blocks, this bounds the
// memory a package of any size takes.
constexpr uint64_t kMaxQueuedBytes = 64ull << 20;

// A package's files turned into kernel pieces as the data member is
// decompressed: the tar walk (the calling thread) hands each file to one of
// `jobs` workers, which keeps what a kernel needs (a module's BTF and
// .BTF_ids, the image's BTF, the config) and drops the file. Pieces are
// joined in archive order, so the result does not depend on the threads.
class PackageReader {
 public:
  PackageReader(const KernelLoadOptions& options, DecompressBudget* budget, unsigned jobs)
      : options_(options), budget_(budget) {
    for (unsigned i = 0; i < jobs; ++i) workers_.emplace_back([this] { Work(); });
  }
  ~PackageReader() { Stop(); }

  // Queues one file, waiting while the queue holds too much.
  absl::Status Add(StreamedFile file) {
    std::unique_lock lock(mutex_);
    if (failed_) return absl::AbortedError("a package file failed");
    slots_.push_back(Slot{std::move(file.path), std::move(file.hard_link)});
    if (file.contents.empty()) return absl::OkStatus();
    drained_.wait(lock, [&] { return queued_bytes_ < kMaxQueuedBytes || failed_; });
    queued_bytes_ += file.contents.size();
    queue_.push_back(Item{&slots_.back(), std::move(file.contents)});
    ready_.notify_one();
    return absl::OkStatus();
  }

  // Waits for the workers, then joins the pieces into `assembler`. The
  // first failing file, in archive order, is the error.
  absl::Status Finish(KernelAssembler& assembler) {
    Stop();
    absl::flat_hash_set<std::string_view> link_targets;
    for (const Slot& slot : slots_) {
      if (!slot.hard_link.empty()) link_targets.insert(slot.hard_link);
    }
    absl::flat_hash_map<std::string_view, const Slot*> by_path;
    for (Slot& slot : slots_) {
      KC_RETURN_IF_ERROR(slot.status);
      if (!slot.hard_link.empty()) {
        auto target = by_path.find(slot.hard_link);
        if (target != by_path.end() && target->second->piece) {
          assembler.AbsorbCopy(*target->second->piece, slot.path);
        }
      } else if (slot.piece && link_targets.contains(slot.path)) {
        assembler.AbsorbCopy(*slot.piece, slot.path);  // a later link reads it again
      } else if (slot.piece) {
        assembler.Absorb(std::move(*slot.piece));
        slot.piece.reset();
      }
      by_path[slot.path] = &slot;
    }
    return absl::OkStatus();
  }

 private:
  struct Slot {
    std::string path;
    std::string hard_link;
    std::unique_ptr<KernelAssembler> piece;
    absl::Status status;
  };
  struct Item {
    Slot* slot;
    Bytes contents;
  };

  void Work() {
    while (true) {
      Item item;
      {
        std::unique_lock lock(mutex_);
        ready_.wait(lock, [&] { return !queue_.empty() || stopping_; });
        if (queue_.empty()) return;
        item = std::move(queue_.front());
        queue_.pop_front();
      }
      auto piece = std::make_unique<KernelAssembler>(options_);
      piece->set_budget(budget_);
      absl::Status status = piece->AddTransientFile(item.slot->path, item.contents);
      const size_t size = item.contents.size();
      item.contents = Bytes();
      std::lock_guard lock(mutex_);
      item.slot->status = status;
      item.slot->piece = std::move(piece);
      failed_ |= !status.ok();
      queued_bytes_ -= size;
      drained_.notify_all();
    }
  }

  void Stop() {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
      ready_.notify_all();
    }
    for (std::thread& worker : workers_) worker.join();
    workers_.clear();
  }

  const KernelLoadOptions& options_;
  DecompressBudget* budget_;
  std::mutex mutex_;
  std::condition_variable ready_;    // an item queued, or stopping
  std::condition_variable drained_;  // an item done
  std::deque<Slot> slots_;           // every file, in archive order; stable addresses
  std::deque<Item> queue_;
  uint64_t queued_bytes_ = 0;        // files queued or being read
  bool stopping_ = false;
  bool failed_ = false;
  std::vector<std::thread> workers_;
};

absl::StatusOr<std::unique_ptr<KernelBtf>> LoadDebPackage(const std::string& path,
                                                          ByteView bytes,
                                                          const KernelLoadOptions& options) {
  const unsigned jobs = EffectiveJobs(options.jobs);
  DecompressBudget budget(options.max_decompressed_total);
  DebStreamOptions stream;
  stream.max_file_size = options.max_decompressed;
  stream.budget = &budget;
  stream.threads = jobs;
  bool has_image = false;
  PackageReader reader(options, &budget, jobs);
  absl::Status streamed = StreamDebFiles(
      bytes, path, IsPackageMemberWanted, [&](StreamedFile file) {
        has_image |= file.path.starts_with("boot/vmlinu");
        file.path = path + ":" + file.path;
        if (!file.hard_link.empty()) file.hard_link = path + ":" + file.hard_link;
        return reader.Add(std::move(file));
      });
  KernelAssembler assembler(options);
  // A file's own error says more than the walk stopping because of it.
  absl::Status joined = reader.Finish(assembler);
  KC_RETURN_IF_ERROR(joined);
  KC_RETURN_IF_ERROR(streamed);
  if (!has_image) {
    return absl::NotFoundError(absl::StrFormat(
        "%s: package holds no kernel image (boot/vmlinuz-*): not a linux-image package?",
        path));
  }
  return assembler.Finish(SourceKind::kDebPackage, path);
}

absl::StatusOr<std::unique_ptr<KernelBtf>> LoadBytes(ByteView bytes, const std::string& path,
                                                     const KernelLoadOptions& options) {
  const ContentKind kind = ClassifyContent(bytes);
  if (kind == ContentKind::kDebPackage) return LoadDebPackage(path, bytes, options);
  if (kind == ContentKind::kSnapshot) {
    SnapshotReadOptions read;
    read.jobs = options.jobs;
    read.max_decompressed = options.max_decompressed_total;
    return DecodeSnapshot(bytes, path, read);
  }
  KernelAssembler assembler(options);
  KC_RETURN_IF_ERROR(assembler.AddFile(path, bytes, /*strict=*/true));
  return assembler.Finish(SourceKindFor(assembler.primary_content()), path);
}

absl::StatusOr<std::unique_ptr<KernelBtf>> LoadFile(const std::string& path,
                                                    const KernelLoadOptions& options) {
  KC_ASSIGN_OR_RETURN(FileBytes file, FileBytes::Open(path));
  return LoadBytes(file.bytes(), path, options);
}

bool WorthReadingInDirectory(ContentKind kind) {
  switch (kind) {
    case ContentKind::kRawBtf:
    case ContentKind::kElfVmlinux:
    case ContentKind::kElfModule:
    case ContentKind::kBzImage:
    case ContentKind::kCompressed:
    case ContentKind::kKernelConfig:
      return true;
    default:
      return false;
  }
}

absl::StatusOr<std::unique_ptr<KernelBtf>> LoadDirectory(const std::string& dir,
                                                         const KernelLoadOptions& options) {
  namespace fs = std::filesystem;
  std::vector<fs::path> files;
  KernelAssembler assembler(options);
  std::error_code ec;
  fs::recursive_directory_iterator it(dir, fs::directory_options::skip_permission_denied, ec);
  if (ec) {
    return absl::UnavailableError(absl::StrFormat("%s: cannot read directory: %s", dir,
                                                  ec.message()));
  }
  for (; it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (ec) {
      return absl::UnavailableError(
          absl::StrFormat("%s: cannot read directory: %s", dir, ec.message()));
    }
    if (it.depth() >= kMaxDirectoryDepth) it.disable_recursion_pending();
    const fs::file_status status = it->status(ec);
    if (ec == std::errc::no_such_file_or_directory) {
      assembler.Warn(absl::StrFormat("%s: skipped: a dangling symbolic link",
                                     it->path().string()));
      ec.clear();
    } else if (ec) {
      assembler.Warn(absl::StrFormat("%s: skipped: cannot stat: %s", it->path().string(),
                                     ec.message()));
      ec.clear();
    } else if (fs::is_regular_file(status)) {
      files.push_back(it->path());
    } else if (!fs::is_directory(status)) {
      assembler.Warn(absl::StrFormat("%s: skipped: not a regular file (a FIFO, socket or device)",
                                     it->path().string()));
    }
    if (files.size() > kMaxDirectoryEntries) {
      return absl::ResourceExhaustedError(absl::StrFormat(
          "%s: more than %d files: not a kernel directory", dir, kMaxDirectoryEntries));
    }
  }
  std::sort(files.begin(), files.end());  // a stable order whatever the file system
  for (const fs::path& file : files) {
    // One entry that cannot be read (no permission, an I/O error, a FIFO
    // put there since the walk) is skipped with a warning naming it: the
    // rest of the directory may still hold the kernel.
    absl::StatusOr<Bytes> head = ReadFilePrefix(file, kSniffSize);
    if (!head.ok()) {
      assembler.Warn(absl::StrFormat("skipped: %s", head.status().message()));
      continue;
    }
    if (!WorthReadingInDirectory(ClassifyContent(*head))) continue;
    absl::StatusOr<FileBytes> bytes = FileBytes::Open(file);
    if (!bytes.ok()) {
      assembler.Warn(absl::StrFormat("skipped: %s", bytes.status().message()));
      continue;
    }
    KC_RETURN_IF_ERROR(assembler.AddFile(file.string(), std::move(*bytes), /*strict=*/false));
  }
  KC_ASSIGN_OR_RETURN(std::unique_ptr<KernelBtf> kernel,
                      assembler.Finish(SourceKind::kDirectory, dir));
  // A directory may hold a few of its kernel's modules: say which, so that
  // what is not found is never silently a module that was not there.
  kernel->module_search = ModuleSearch{assembler.ModuleNamesRead()};
  return kernel;
}

absl::StatusOr<std::unique_ptr<KernelBtf>> LoadRunning(const KernelLoadOptions& options) {
  namespace fs = std::filesystem;
  fs::path vmlinux_path = options.sysfs_btf_dir / "vmlinux";
  absl::StatusOr<FileBytes> vmlinux = FileBytes::Open(vmlinux_path);
  if (!vmlinux.ok()) {
    return absl::Status(vmlinux.status().code(),
                        absl::StrFormat("running kernel: %s (kernel built without CONFIG_DEBUG_INFO_BTF?)",
                                        vmlinux.status().message()));
  }
  auto kernel = std::make_unique<KernelBtf>();
  kernel->kind = SourceKind::kRunning;
  kernel->source = std::string(kRunningKernel);
  KC_ASSIGN_OR_RETURN(kernel->vmlinux, Btf::Parse(vmlinux->bytes(), vmlinux_path.string()));
  struct utsname uts;
  if (uname(&uts) == 0) kernel->release = uts.release;

  std::vector<fs::path> module_paths;
  std::error_code ec;
  for (const fs::directory_entry& entry : fs::directory_iterator(options.sysfs_btf_dir, ec)) {
    if (entry.path().filename() != "vmlinux") module_paths.push_back(entry.path());
  }
  std::sort(module_paths.begin(), module_paths.end());
  for (const fs::path& path : module_paths) {
    KC_ASSIGN_OR_RETURN(FileBytes bytes, FileBytes::Open(path));
    KC_ASSIGN_OR_RETURN(std::unique_ptr<Btf> btf,
                        Btf::Parse(bytes.bytes(), path.string(), kernel->vmlinux.get()));
    kernel->modules.push_back(
        ModuleBtf{path.filename().string(), path.string(), std::move(btf), {}, ""});
  }

  // /proc/config.gz when the kernel exports it, else the distribution's copy.
  if (absl::StatusOr<FileBytes> gz = FileBytes::Open("/proc/config.gz"); gz.ok()) {
    absl::StatusOr<Bytes> text = Decompress(gz->bytes(), Compression::kGzip, "/proc/config.gz",
                                            16 << 20);
    if (text.ok()) kernel->config = ParseKernelConfig(AsText(*text));
  }
  if (!kernel->config) {
    fs::path boot_config = fs::path("/boot") / ("config-" + kernel->release);
    if (absl::StatusOr<FileBytes> file = FileBytes::Open(boot_config, 64 << 20); file.ok()) {
      kernel->config = ParseKernelConfig(AsText(file->bytes()));
    }
  }
  return kernel;
}

}  // namespace

ContentKind ClassifyContent(ByteView bytes) {
  if (bytes.empty()) return ContentKind::kEmpty;
  if (StartsWith(bytes, "\x9f\xeb\x01")) return ContentKind::kRawBtf;
  if (IsElf(bytes)) {
    std::optional<ElfHeader> header = ReadElfHeader(bytes);
    if (!header) return ContentKind::kElfOther;
    if (header->machine == EM_BPF) return ContentKind::kElfBpf;
    if (header->type == ET_REL) return ContentKind::kElfModule;
    if (header->type == ET_EXEC || header->type == ET_DYN) return ContentKind::kElfVmlinux;
    return ContentKind::kElfOther;
  }
  if (IsBzImage(bytes)) return ContentKind::kBzImage;
  if (IsDebPackage(bytes)) return ContentKind::kDebPackage;
  if (IsSnapshot(bytes)) return ContentKind::kSnapshot;
  if (DetectCompression(bytes) != Compression::kNone) return ContentKind::kCompressed;
  if (IsKernelConfig(bytes)) return ContentKind::kKernelConfig;
  return ContentKind::kUnknown;
}

absl::StatusOr<std::unique_ptr<KernelBtf>> LoadKernel(std::string_view source,
                                                      const KernelLoadOptions& options) {
  if (source == kRunningKernel) return LoadRunning(options);
  std::string path(source);
  // "-": standard input. FileBytes refuses devices, sockets and FIFOs other
  // than a pipe given on purpose (file_bytes.h).
  if (path == "-") return LoadFile(path, options);
  std::error_code ec;
  std::filesystem::file_status status = std::filesystem::status(path, ec);
  if (ec || !std::filesystem::exists(status)) {
    return absl::NotFoundError(
        absl::StrFormat("%s: no such file or directory", path));
  }
  if (std::filesystem::is_directory(status)) return LoadDirectory(path, options);
  return LoadFile(path, options);
}

absl::StatusOr<std::unique_ptr<KernelBtf>> LoadKernelFromBytes(ByteView bytes,
                                                               std::string_view what,
                                                               const KernelLoadOptions& options) {
  return LoadBytes(bytes, std::string(what), options);
}

}  // namespace kcontract
