#include "btfdiff/source/kernel_source.h"

#include <sys/utsname.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <mutex>
#include <system_error>
#include <thread>

#include "absl/status/status.h"
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
#include "btfdiff/source/kernel_assembler.h"
#include "btfdiff/source/kernel_image.h"
#include "btfdiff/snapshot/snapshot.h"

namespace kcontract {
namespace {

constexpr size_t kSniffSize = 4096;
constexpr int kMaxDirectoryDepth = 6;
constexpr size_t kMaxDirectoryEntries = 200000;

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

// Most a package's files may hold while waiting for a worker: past it the
// walk waits for room. What they, the file being read and what the workers
// decompress hold together is bounded by max_decompressed_held (an error
// past it).
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

  // The BTF the pieces keep, counted together.
  std::atomic<uint64_t>* kept_btf() { return &kept_btf_; }

  // Queues one file, waiting while the queue holds too much.
  absl::Status Add(StreamedFile file) {
    std::unique_lock lock(mutex_);
    if (failed_) return absl::AbortedError("a package file failed");
    slots_.push_back(Slot{std::move(file.path), std::move(file.hard_link)});
    if (file.contents.empty()) return absl::OkStatus();
    drained_.wait(lock, [&] { return queued_bytes_ < kMaxQueuedBytes || failed_; });
    queued_bytes_ += file.contents.size();
    queue_.push_back(Item{&slots_.back(), std::move(file.contents), std::move(file.hold)});
    ready_.notify_one();
    return absl::OkStatus();
  }

  // Waits for the workers, then joins the pieces into `assembler`. The
  // first failing file, in archive order, is the error; files dropped
  // unread once one failed are none.
  absl::Status Finish(KernelAssembler& assembler) {
    Stop();
    for (const Slot& slot : slots_) {
      if (!slot.status.ok() && !absl::IsCancelled(slot.status)) return slot.status;
    }
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
          KC_RETURN_IF_ERROR(assembler.AbsorbCopy(*target->second->piece, slot.path));
        }
      } else if (slot.piece && link_targets.contains(slot.path)) {
        // A later link reads it again.
        KC_RETURN_IF_ERROR(assembler.AbsorbCopy(*slot.piece, slot.path));
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
    BudgetHold hold;  // of `contents`
  };

  void Work() {
    while (true) {
      Item item;
      bool failed;
      {
        std::unique_lock lock(mutex_);
        ready_.wait(lock, [&] { return !queue_.empty() || stopping_; });
        if (queue_.empty()) return;
        item = std::move(queue_.front());
        queue_.pop_front();
        failed = failed_;
      }
      // Once a file failed the package is refused: what is still queued is
      // dropped unread rather than decompressed for nothing.
      std::unique_ptr<KernelAssembler> piece;
      absl::Status status = absl::CancelledError("dropped: an earlier file failed");
      if (!failed) {
        piece = std::make_unique<KernelAssembler>(options_);
        piece->set_budget(budget_);
        piece->set_btf_counter(&kept_btf_);
        status = piece->AddTransientFile(item.slot->path, item.contents);
      }
      const size_t size = item.contents.size();
      item.contents = Bytes();
      item.hold.Release();
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
  std::atomic<uint64_t> kept_btf_{0};
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
  DecompressBudget budget(options.max_decompressed_total, options.max_decompressed_held);
  DebStreamOptions stream;
  stream.max_file_size = options.max_decompressed;
  stream.budget = &budget;
  // One thread decodes the data member: liblzma's threaded decoder holds
  // each block in flight whole, which adds about 100 MiB to the peak of
  // reading Debian's full 6.1 package on two threads (for wall time, not
  // CPU time); the workers reading its files are the parallel part.
  stream.threads = 1;
  bool has_image = false;
  PackageReader reader(options, &budget, jobs);
  absl::Status streamed = StreamDebFiles(
      bytes, path, IsPackageMemberWanted, [&](StreamedFile file) {
        has_image |= file.path.starts_with("boot/vmlinu");
        file.path = path + ":" + file.path;
        if (!file.hard_link.empty()) file.hard_link = path + ":" + file.hard_link;
        return reader.Add(std::move(file));
      },
      stream);
  KernelAssembler assembler(options);
  assembler.set_btf_counter(reader.kept_btf());
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
    // A snapshot holds the kernel's BTF: the ceiling on what a read keeps bounds it.
    read.max_decompressed = std::min(options.max_btf_total, options.max_decompressed_total);
    return DecodeSnapshot(bytes, path, read);
  }
  KernelAssembler assembler(options);
  KC_RETURN_IF_ERROR(assembler.AddFile(path, bytes, /*strict=*/true));
  const SourceKind source_kind = SourceKindFor(assembler.primary_content());
  KC_ASSIGN_OR_RETURN(std::unique_ptr<KernelBtf> kernel, assembler.Finish(source_kind, path));
  // A kernel image alone: its modules are other files, none of them given,
  // so a kfunc of a module is "not found" for want of the module. (A raw
  // BTF file, as /sys/kernel/btf/vmlinux gives it, says nothing.)
  if ((source_kind == SourceKind::kBzImage || source_kind == SourceKind::kVmlinux) &&
      kernel->modules.empty()) {
    kernel->module_search = ModuleSearch{};
  }
  return kernel;
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
