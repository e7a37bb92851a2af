#include "btfdiff/source/deb_package.h"

#include <archive.h>
#include <archive_entry.h>

#include <algorithm>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_format.h"
#include "btfdiff/base/status_macros.h"
#include "btfdiff/base/text.h"

namespace kcontract {
namespace {

constexpr std::string_view kArMagic = "!<arch>\n";
constexpr size_t kArNameOffset = 8;  // the first member header's name field

// How a file's buffer grows when its size is not known: from the first
// chunk, doubling, by at most the largest.
constexpr uint64_t kFirstReadChunk = 64 << 10;
constexpr uint64_t kReadChunk = 1 << 20;
// The largest buffer a header's declared size gets before any data is read.
constexpr uint64_t kMaxPresized = 16 << 20;

struct ArchiveDeleter {
  void operator()(archive* a) const { archive_read_free(a); }
};
using ArchivePtr = std::unique_ptr<archive, ArchiveDeleter>;

std::string ArchiveMessage(archive* a) {
  const char* message = archive_error_string(a);
  return message != nullptr ? message : "unknown libarchive error";
}

absl::Status CorruptPackage(std::string_view what, std::string_view detail) {
  return absl::DataLossError(
      absl::StrFormat("%s: corrupt package: %s", what, detail));
}

absl::Status NotADebPackage(std::string_view what, std::string_view why) {
  return absl::InvalidArgumentError(
      absl::StrFormat("%s: not a Debian package (%s)", what, why));
}

absl::Status MemberTooLarge(std::string_view what, std::string_view path,
                            uint64_t limit) {
  return absl::ResourceExhaustedError(absl::StrFormat(
      "%s: member %s exceeds the size limit of %d bytes", what, path, limit));
}

absl::Status SkippedTooMuch(std::string_view what, std::string_view path, uint64_t limit) {
  return absl::ResourceExhaustedError(absl::StrFormat(
      "%s: member %s: the members not read hold more than %d MiB, which would be "
      "decompressed only to be skipped (a decompression bomb?)",
      what, path, limit >> 20));
}

// deb(5) allows these compressions of the data member (lzma is deprecated
// but still accepted by dpkg).
bool IsDataMemberName(std::string_view name) {
  for (std::string_view suffix : {"", ".gz", ".xz", ".zst", ".bz2", ".lzma"}) {
    if (name == "data.tar" + std::string(suffix)) return true;
  }
  return false;
}

std::string_view StripDotSlash(std::string_view path) {
  while (path.starts_with("./")) path.remove_prefix(2);
  return path;
}

// Reads the current entry's data, failing with `limit_error` as soon as it
// grows past `limit` bytes, whatever size the header declared. The buffer
// starts at the declared size (up to 16 MiB, so that a lying header in an
// uncompressed tar costs little), else at 64 KiB; it grows by its size, at
// most 1 MiB at a time. Growing by zero-filled 1 MiB chunks, each file of
// a package of small files cost a 1 MiB memset: a quarter of `gate`'s time
// on such a package.
absl::StatusOr<Bytes> ReadEntryData(archive* a, std::string_view what,
                                    std::string_view context, uint64_t limit,
                                    const absl::Status& limit_error,
                                    int64_t declared) {
  // One byte past the limit (or past the declared size) is enough to know
  // the file is larger.
  const uint64_t past_limit = limit == UINT64_MAX ? limit : limit + 1;
  Bytes data(std::min(declared >= 0 && static_cast<uint64_t>(declared) < kMaxPresized
                          ? static_cast<uint64_t>(declared) + 1
                          : kFirstReadChunk,
                      past_limit));
  uint64_t held = 0;
  while (true) {
    if (held == data.size()) {
      const uint64_t grow =
          std::min(std::clamp(held, kFirstReadChunk, kReadChunk), past_limit - held);
      data.resize(held + grow);
    }
    const la_ssize_t n = archive_read_data(a, data.data() + held, data.size() - held);
    if (n < 0) {
      return CorruptPackage(what, std::string(context) + ArchiveMessage(a));
    }
    if (n == 0) break;
    held += static_cast<uint64_t>(n);
    if (held > limit) return limit_error;
  }
  data.resize(held);
  // Spare capacity of a quarter or less is kept rather than copied away.
  if (data.capacity() - held > held / 4 + 4096) data.shrink_to_fit();
  return data;
}

// libarchive signals "try again" and "lost data" with distinct codes; for a
// memory source only OK and WARN (e.g. an unknown pax keyword) are usable.
bool HeaderUsable(int rc) { return rc == ARCHIVE_OK || rc == ARCHIVE_WARN; }

// The outer ar archive: returns the data.tar.* member's name and bytes.
absl::StatusOr<std::pair<std::string, Bytes>> ReadDataMember(
    ByteView deb, std::string_view what) {
  ArchivePtr a(archive_read_new());
  archive_read_support_format_ar(a.get());
  if (archive_read_open_memory(a.get(), deb.data(), deb.size()) != ARCHIVE_OK) {
    return CorruptPackage(what, ArchiveMessage(a.get()));
  }
  archive_entry* entry = nullptr;
  while (true) {
    const int rc = archive_read_next_header(a.get(), &entry);
    if (rc == ARCHIVE_EOF) break;
    if (!HeaderUsable(rc)) return CorruptPackage(what, ArchiveMessage(a.get()));
    const char* raw_name = archive_entry_pathname(entry);
    const std::string name = raw_name != nullptr ? raw_name : "";
    if (!IsDataMemberName(name)) continue;
    // The member is a slice of the package, so a declared size beyond the
    // package's own is a truncated (or lying) file, not a large one.
    const int64_t declared =
        archive_entry_size_is_set(entry) ? archive_entry_size(entry) : -1;
    const absl::Status truncated = CorruptPackage(
        what, absl::StrFormat("%s is truncated (declares %d bytes in a "
                              "%d-byte file)",
                              name, declared, deb.size()));
    if (declared > 0 && static_cast<uint64_t>(declared) > deb.size()) {
      return truncated;
    }
    KC_ASSIGN_OR_RETURN(Bytes bytes, ReadEntryData(a.get(), what, name + ": ",
                                                   deb.size(), truncated, declared));
    if (declared >= 0 && bytes.size() != static_cast<uint64_t>(declared)) {
      return truncated;
    }
    return std::make_pair(name, std::move(bytes));
  }
  // A package that starts like a .deb but ends before its data member is
  // damaged, most likely cut short; anything else is just not a package.
  if (IsDebPackage(deb)) {
    return CorruptPackage(what, "no data.tar member (file truncated?)");
  }
  return NotADebPackage(what, "no data.tar member");
}

// Reading state for the data tarball: the selected files, where each one
// sits (so hard links to them can be resolved), and the running total.
struct Selection {
  std::vector<PackageFile> files;
  uint64_t walked = 0;  // bytes of entry data read or skipped
  absl::flat_hash_map<std::string, size_t> index;
  // Every regular file seen, selected or not, to tell hard links to regular
  // files from links to anything else.
  absl::flat_hash_set<std::string> regular_files;
  uint64_t total = 0;
};

// How large the next selected file may be under both limits.
uint64_t RemainingBudget(const DebReadLimits& limits,
                         const Selection& selection) {
  const uint64_t total_left =
      limits.max_total_size - std::min(limits.max_total_size, selection.total);
  return std::min(limits.max_file_size, total_left);
}

// The error for a file beyond RemainingBudget, naming the limit that bound.
absl::Status BudgetError(std::string_view what, std::string_view path,
                         const DebReadLimits& limits,
                         const Selection& selection) {
  if (RemainingBudget(limits, selection) == limits.max_file_size) {
    return MemberTooLarge(what, path, limits.max_file_size);
  }
  return absl::ResourceExhaustedError(absl::StrFormat(
      "%s: member %s exceeds the size limit: the selected files would "
      "exceed the total limit of %d bytes",
      what, path, limits.max_total_size));
}

// A hard link entry carries no data; it shares the contents of an earlier
// entry, which is only at hand if that entry was selected too. The bytes
// are shared, not copied, so a link costs nothing against the limits.
absl::Status AddHardLink(std::string_view what, std::string path,
                         const std::string& target_path, Selection& selection) {
  auto it = selection.index.find(target_path);
  if (it == selection.index.end()) {
    return absl::UnimplementedError(absl::StrFormat(
        "%s: %s is a hard link to %s, which the caller did not select", what,
        path, target_path));
  }
  const PackageFile& target = selection.files[it->second];
  PackageFile link{std::move(path), target.contents,
                   target.link_target.empty() ? target.path : target.link_target};
  selection.index[link.path] = selection.files.size();
  selection.files.push_back(std::move(link));
  return absl::OkStatus();
}

absl::Status DataBytesExceeded(std::string_view what, std::string_view path,
                               const DebReadLimits& limits) {
  return absl::ResourceExhaustedError(absl::StrFormat(
      "%s: member %s: the data tarball holds more than %d MiB of files (a "
      "decompression bomb?)",
      what, path, limits.max_data_bytes >> 20));
}

uint64_t DataBytesLeft(const DebReadLimits& limits, const Selection& selection) {
  return limits.max_data_bytes - std::min(limits.max_data_bytes, selection.walked);
}

// Passes over an unselected entry's data, counting it against the data
// limit: skipping a compressed member means decompressing it, so a huge
// one costs time even unread. Blocks, not bytes: a sparse file's holes
// cost nothing.
absl::Status SkipEntryData(archive* a, std::string_view what,
                           std::string_view member, std::string_view path,
                           const DebReadLimits& limits, Selection& selection) {
  while (true) {
    const void* block = nullptr;
    size_t size = 0;
    la_int64_t offset = 0;
    const int rc = archive_read_data_block(a, &block, &size, &offset);
    if (rc == ARCHIVE_EOF) return absl::OkStatus();
    if (rc != ARCHIVE_OK && rc != ARCHIVE_WARN) {
      return CorruptPackage(what, absl::StrFormat("%s: %s: %s", member, path,
                                                  ArchiveMessage(a)));
    }
    selection.walked += size;
    if (selection.walked > limits.max_data_bytes) {
      return DataBytesExceeded(what, path, limits);
    }
  }
}

absl::Status AddRegularFile(archive* a, archive_entry* entry,
                            std::string_view what, std::string_view member,
                            std::string path, const DebReadLimits& limits,
                            Selection& selection) {
  uint64_t budget = RemainingBudget(limits, selection);
  absl::Status too_large = BudgetError(what, path, limits, selection);
  if (DataBytesLeft(limits, selection) < budget) {
    budget = DataBytesLeft(limits, selection);
    too_large = DataBytesExceeded(what, path, limits);
  }
  if (archive_entry_size_is_set(entry) && archive_entry_size(entry) >= 0 &&
      static_cast<uint64_t>(archive_entry_size(entry)) > budget) {
    return too_large;
  }
  KC_ASSIGN_OR_RETURN(
      Bytes contents,
      ReadEntryData(a, what, absl::StrFormat("%s: %s: ", member, path), budget,
                    too_large,
                    archive_entry_size_is_set(entry) ? archive_entry_size(entry) : -1));
  selection.total += contents.size();
  selection.walked += contents.size();
  selection.index[path] = selection.files.size();
  selection.files.push_back(
      {std::move(path), std::make_shared<const Bytes>(std::move(contents)), ""});
  return absl::OkStatus();
}

absl::StatusOr<std::vector<PackageFile>> ReadDataTar(
    ByteView tar, std::string_view what, std::string_view member,
    const std::function<bool(std::string_view path)>& want,
    const DebReadLimits& limits, uint64_t* data_bytes) {
  ArchivePtr a(archive_read_new());
  archive_read_support_format_tar(a.get());
  // The compressions deb(5) allows, all linked into libarchive. Not
  // support_filter_all: for lzop, lrzip and grzip libarchive runs external
  // programs, which untrusted input should never be able to trigger.
  archive_read_support_filter_gzip(a.get());
  archive_read_support_filter_xz(a.get());
  archive_read_support_filter_lzma(a.get());
  archive_read_support_filter_zstd(a.get());
  archive_read_support_filter_bzip2(a.get());
  const std::string context = absl::StrFormat("%s: ", member);
  if (archive_read_open_memory(a.get(), tar.data(), tar.size()) != ARCHIVE_OK) {
    return CorruptPackage(what, context + ArchiveMessage(a.get()));
  }
  Selection selection;
  archive_entry* entry = nullptr;
  while (true) {
    const int rc = archive_read_next_header(a.get(), &entry);
    if (rc == ARCHIVE_EOF) break;
    if (!HeaderUsable(rc)) {
      return CorruptPackage(what, context + ArchiveMessage(a.get()));
    }
    const char* raw_path = archive_entry_pathname(entry);
    if (raw_path == nullptr) continue;
    std::string path(StripDotSlash(raw_path));
    // libarchive leaves the file type of hard link entries unset, so they
    // are recognised by their target, and only links to regular files count.
    if (const char* target = archive_entry_hardlink(entry); target != nullptr) {
      const std::string target_path(StripDotSlash(target));
      if (!selection.regular_files.contains(target_path)) continue;
      selection.regular_files.insert(path);
      if (!want(path)) continue;
      KC_RETURN_IF_ERROR(
          AddHardLink(what, std::move(path), target_path, selection));
      continue;
    }
    if (archive_entry_filetype(entry) != AE_IFREG) continue;
    selection.regular_files.insert(path);
    if (!want(path)) {
      KC_RETURN_IF_ERROR(
          SkipEntryData(a.get(), what, member, path, limits, selection));
      continue;
    }
    KC_RETURN_IF_ERROR(AddRegularFile(a.get(), entry, what, member,
                                      std::move(path), limits, selection));
  }
  if (data_bytes != nullptr) *data_bytes = selection.walked;
  return std::move(selection.files);
}

// ---- streaming ------------------------------------------------------------

constexpr size_t kArHeaderSize = 60;
// What the tar reader is fed per call: large enough that the
// decompressor's per-call overhead vanishes.
constexpr size_t kStreamBuffer = 1 << 20;

// The data member as a slice of the package, found by walking the ar
// headers (name[16] mtime[12] uid[6] gid[6] mode[8] size[10] "`\n"): no copy
// of the member is made.
absl::StatusOr<std::pair<std::string, ByteView>> LocateDataMember(ByteView deb,
                                                                  std::string_view what) {
  uint64_t at = kArMagic.size();
  while (at + kArHeaderSize <= deb.size()) {
    const std::string_view header(reinterpret_cast<const char*>(deb.data() + at),
                                  kArHeaderSize);
    if (header.substr(58, 2) != "`\n") {
      return CorruptPackage(what, absl::StrFormat("bad ar member header at byte %d", at));
    }
    std::string_view name = header.substr(0, 16);
    while (!name.empty() && (name.back() == ' ' || name.back() == '/')) name.remove_suffix(1);
    std::string_view size_field = header.substr(48, 10);
    while (!size_field.empty() && size_field.back() == ' ') size_field.remove_suffix(1);
    uint64_t size = 0;
    if (!absl::SimpleAtoi(absl::string_view(size_field.data(), size_field.size()), &size)) {
      return CorruptPackage(what, absl::StrFormat("bad ar member size at byte %d", at));
    }
    const uint64_t data_at = at + kArHeaderSize;
    if (IsDataMemberName(name) || size > deb.size() - data_at) {
      if (size > deb.size() - data_at) {
        return CorruptPackage(
            what, absl::StrFormat("%s is truncated (declares %d bytes in a %d-byte file)",
                                  name, size, deb.size()));
      }
      return std::make_pair(std::string(name), deb.subspan(data_at, size));
    }
    at = data_at + size + (size & 1);
  }
  if (IsDebPackage(deb)) return CorruptPackage(what, "no data.tar member (file truncated?)");
  return NotADebPackage(what, "no data.tar member");
}

Compression MemberCompression(std::string_view name) {
  if (name.ends_with(".gz")) return Compression::kGzip;
  if (name.ends_with(".xz")) return Compression::kXz;
  if (name.ends_with(".zst")) return Compression::kZstd;
  if (name.ends_with(".lzma")) return Compression::kLzma;
  if (name.ends_with(".bz2")) return Compression::kBzip2;
  return Compression::kNone;
}

// bzip2 data members, rare in packages: decoded by libarchive (its raw
// format over its bzip2 filter) and read through the same source as the
// other compressions, so that their bytes count against the budget too.
class Bzip2Member final : public StreamDecompressor {
 public:
  Bzip2Member(ByteView data, std::string_view what, std::string_view name)
      : StreamDecompressor(what), data_(data), name_(name), a_(archive_read_new()) {}

  absl::Status Open() {
    archive_read_support_format_raw(a_.get());
    archive_read_support_filter_bzip2(a_.get());
    archive_entry* entry = nullptr;
    if (archive_read_open_memory(a_.get(), data_.data(), data_.size()) != ARCHIVE_OK ||
        !HeaderUsable(archive_read_next_header(a_.get(), &entry))) {
      return Corrupt();
    }
    return absl::OkStatus();
  }

 private:
  absl::StatusOr<size_t> ReadSome(std::span<uint8_t> out) override {
    const la_ssize_t n = archive_read_data(a_.get(), out.data(), out.size());
    if (n < 0) return Corrupt();
    return static_cast<size_t>(n);
  }
  // As libarchive's own bzip2 reading said it, when it decoded the member.
  absl::Status Corrupt() {
    return CorruptPackage(what(), absl::StrFormat("%s: %s", name_, ArchiveMessage(a_.get())));
  }

  ByteView data_;
  std::string name_;
  ArchivePtr a_;
};

// Feeds libarchive from a StreamDecompressor, counting every byte against
// the budget: an unselected member is decompressed to be skipped, so its
// bytes cost as much time as a selected one's. The source's error, if any,
// is the one reported rather than libarchive's restatement of it.
struct StreamSource {
  StreamDecompressor* stream = nullptr;
  DecompressBudget* budget = nullptr;
  std::string what;
  // Left uninitialised: the decoder overwrites what it hands over (zeroing
  // a megabyte per package was 7% of fuzz_deb's time).
  std::unique_ptr<uint8_t[]> buffer = std::make_unique_for_overwrite<uint8_t[]>(kStreamBuffer);
  std::span<uint8_t> Buffer() { return {buffer.get(), kStreamBuffer}; }
  absl::Status error;
};

la_ssize_t ReadFromStream(archive* a, void* client, const void** out) {
  auto* source = static_cast<StreamSource*>(client);
  absl::StatusOr<size_t> n = source->stream->Read(source->Buffer());
  if (n.ok() && source->budget != nullptr && !source->budget->Take(*n)) {
    n = source->budget->Exceeded(source->what);
  }
  if (!n.ok()) {
    source->error = n.status();
    archive_set_error(a, EIO, "%s", std::string(n.status().message()).c_str());
    return -1;
  }
  *out = source->buffer.get();
  return static_cast<la_ssize_t>(*n);
}

// Reads what is left of the decompressed stream, counting it against the
// budget, and returns the decoder's error if it meets one. A decoder checks
// its data only as it reaches it (bzip2 and xz check their CRCs at the end
// of each block and of the stream), so the tar reader may stop first: on
// garbage the decoder has already handed over, or at the tar's end marker
// before the stream's last check. Either way the decoder's word is the true
// one, and a package whose stream fails its check is corrupt even when its
// tar ended cleanly.
absl::Status DecoderError(StreamSource* source) {
  if (source == nullptr || source->stream == nullptr) return absl::OkStatus();
  while (source->error.ok()) {
    absl::StatusOr<size_t> n = source->stream->Read(source->Buffer());
    if (n.ok() && source->budget != nullptr && !source->budget->Take(*n)) {
      n = source->budget->Exceeded(source->what);
    }
    if (!n.ok()) source->error = n.status();
    else if (*n == 0) break;
  }
  return source->error;
}

// The current entry's data when its header declares its size (tar headers
// always do): read straight into a buffer of that size (the budget holds
// it), whatever its size, and a file that ends early is reported so.
absl::StatusOr<Bytes> ReadDeclaredEntry(archive* a, std::string_view what,
                                        std::string_view context, uint64_t size) {
  Bytes data(size);
  uint64_t held = 0;
  while (held < size) {
    const la_ssize_t n = archive_read_data(a, data.data() + held, size - held);
    if (n < 0) return CorruptPackage(what, std::string(context) + ArchiveMessage(a));
    if (n == 0) {
      return CorruptPackage(what, absl::StrFormat("%sends after %d of its %d bytes", context,
                                                  held, size));
    }
    held += static_cast<uint64_t>(n);
  }
  return data;
}

absl::Status WalkTar(archive* a, std::string_view what, std::string_view member,
                     StreamSource* source,
                     const std::function<bool(std::string_view path)>& want,
                     const std::function<absl::Status(StreamedFile file)>& visit,
                     const DebStreamOptions& options) {
  const uint64_t max_file_size = options.max_file_size;
  const std::string context = absl::StrFormat("%s: ", member);
  uint64_t skipped = 0;
  auto archive_error = [&](const std::string& where) {
    const std::string message = ArchiveMessage(a);
    KC_RETURN_IF_ERROR(DecoderError(source));
    return CorruptPackage(what, where + message);
  };
  absl::flat_hash_set<std::string> regular_files;
  absl::flat_hash_set<std::string> visited;
  archive_entry* entry = nullptr;
  while (true) {
    const int rc = archive_read_next_header(a, &entry);
    if (rc == ARCHIVE_EOF) return DecoderError(source);
    if (!HeaderUsable(rc)) return archive_error(context);
    const char* raw_path = archive_entry_pathname(entry);
    if (raw_path == nullptr) continue;
    std::string path(StripDotSlash(raw_path));
    if (const char* target = archive_entry_hardlink(entry); target != nullptr) {
      const std::string target_path(StripDotSlash(target));
      if (!regular_files.contains(target_path)) continue;
      regular_files.insert(path);
      if (!want(path)) continue;
      if (!visited.contains(target_path)) {
        return absl::UnimplementedError(absl::StrFormat(
            "%s: %s is a hard link to %s, which the caller did not select", what, path,
            target_path));
      }
      visited.insert(path);
      KC_RETURN_IF_ERROR(visit(StreamedFile{std::move(path), {}, target_path, {}}));
      continue;
    }
    if (archive_entry_filetype(entry) != AE_IFREG) continue;
    regular_files.insert(path);
    if (!want(path)) {
      if (archive_entry_size_is_set(entry) && archive_entry_size(entry) > 0) {
        skipped += static_cast<uint64_t>(archive_entry_size(entry));
      }
      if (skipped > options.max_skipped) return SkippedTooMuch(what, path, options.max_skipped);
      continue;
    }
    const absl::Status too_large = MemberTooLarge(what, path, max_file_size);
    if (archive_entry_size_is_set(entry) && archive_entry_size(entry) >= 0 &&
        static_cast<uint64_t>(archive_entry_size(entry)) > max_file_size) {
      return too_large;
    }
    // A file is held from before it is read: the memory of its buffer is
    // taken at once.
    const bool declared = archive_entry_size_is_set(entry) && archive_entry_size(entry) >= 0;
    BudgetHold hold;
    if (declared && options.budget != nullptr) {
      const uint64_t size = static_cast<uint64_t>(archive_entry_size(entry));
      if (!options.budget->Hold(size)) {
        return options.budget->HeldExceeded(absl::StrFormat("%s:%s", what, path));
      }
      hold = BudgetHold(options.budget, size);
    }
    absl::StatusOr<Bytes> contents =
        declared ? ReadDeclaredEntry(a, what, absl::StrFormat("%s: %s: ", member, path),
                                     static_cast<uint64_t>(archive_entry_size(entry)))
                 : ReadEntryData(a, what, absl::StrFormat("%s: %s: ", member, path),
                                 max_file_size, too_large, -1);
    if (!contents.ok()) {
      KC_RETURN_IF_ERROR(DecoderError(source));
      return contents.status();
    }
    if (!declared && options.budget != nullptr) {
      if (!options.budget->Hold(contents->size())) {
        return options.budget->HeldExceeded(absl::StrFormat("%s:%s", what, path));
      }
      hold = BudgetHold(options.budget, contents->size());
    }
    visited.insert(path);
    KC_RETURN_IF_ERROR(
        visit(StreamedFile{std::move(path), std::move(*contents), "", std::move(hold)}));
  }
  return absl::OkStatus();
}

}  // namespace

bool IsDebPackage(ByteView bytes) {
  // ar pads member names with spaces; GNU ar also ends them with '/'.
  const std::optional<ByteView> name = Slice(bytes, kArNameOffset, 14);
  if (!StartsWith(bytes, kArMagic) || !name.has_value()) return false;
  const char last = static_cast<char>((*name)[13]);
  return StartsWith(*name, "debian-binary") && (last == ' ' || last == '/');
}

absl::StatusOr<std::vector<PackageFile>> ReadDebFiles(
    ByteView deb, std::string_view what,
    const std::function<bool(std::string_view path)>& want,
    const DebReadLimits& limits, uint64_t* data_bytes) {
  if (deb.empty()) return NotADebPackage(what, "empty file");
  if (!StartsWith(deb, kArMagic)) {
    return NotADebPackage(what, "no ar archive signature");
  }
  KC_ASSIGN_OR_RETURN(auto member, ReadDataMember(deb, what));
  return ReadDataTar(member.second, what, member.first, want, limits,
                     data_bytes);
}

absl::Status StreamDebFiles(ByteView deb, std::string_view what,
                            const std::function<bool(std::string_view path)>& want,
                            const std::function<absl::Status(StreamedFile file)>& visit,
                            const DebStreamOptions& options) {
  if (deb.empty()) return NotADebPackage(what, "empty file");
  if (!StartsWith(deb, kArMagic)) return NotADebPackage(what, "no ar archive signature");
  KC_ASSIGN_OR_RETURN(auto member, LocateDataMember(deb, what));
  const auto& [name, data] = member;
  StreamSource source;
  source.budget = options.budget;
  source.what = absl::StrFormat("%s: %s", what, name);
  std::unique_ptr<StreamDecompressor> stream;
  if (const Compression compression = MemberCompression(name);
      compression == Compression::kBzip2) {
    auto bzip2 = std::make_unique<Bzip2Member>(data, what, name);
    KC_RETURN_IF_ERROR(bzip2->Open());
    stream = std::move(bzip2);
  } else {
    KC_ASSIGN_OR_RETURN(stream, StreamDecompressor::Open(data, compression, source.what,
                                                         /*budget=*/nullptr, options.threads));
  }
  source.stream = stream.get();
  ArchivePtr a(archive_read_new());
  archive_read_support_format_tar(a.get());
  if (archive_read_open(a.get(), &source, nullptr, ReadFromStream, nullptr) != ARCHIVE_OK) {
    const std::string message = ArchiveMessage(a.get());
    KC_RETURN_IF_ERROR(DecoderError(&source));
    return CorruptPackage(what, absl::StrFormat("%s: %s", name, message));
  }
  return WalkTar(a.get(), what, name, &source, want, visit, options);
}

}  // namespace kcontract
