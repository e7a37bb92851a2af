// A snapshot's origin: the source's kind, name and sha256 (snapshot.h says
// what the digest covers for each kind of source).

#include <algorithm>
#include <filesystem>
#include <system_error>

#include "absl/strings/str_format.h"
#include "btfdiff/base/file_bytes.h"
#include "btfdiff/base/sha256.h"
#include "btfdiff/base/status_macros.h"
#include "btfdiff/snapshot/snapshot.h"

namespace kcontract {
namespace {

namespace fs = std::filesystem;

constexpr size_t kMaxDirectoryFiles = 200000;

absl::StatusOr<std::string> FileSha256(const fs::path& path) {
  KC_ASSIGN_OR_RETURN(FileBytes file, FileBytes::Open(path));
  return Sha256Hex(file.bytes());
}

// What `sha256sum` prints for every regular file below `dir`, in byte-wise
// order of their relative paths, hashed in turn.
absl::StatusOr<std::string> DirectorySha256(const fs::path& dir) {
  std::vector<std::string> files;
  std::error_code ec;
  fs::recursive_directory_iterator it(dir, ec);
  for (; !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (!fs::is_regular_file(it->symlink_status(ec))) continue;
    files.push_back(fs::relative(it->path(), dir, ec).string());
    if (files.size() > kMaxDirectoryFiles) {
      return absl::ResourceExhaustedError(absl::StrFormat(
          "%s: more than %d files: not a kernel directory", dir.string(), kMaxDirectoryFiles));
    }
  }
  if (ec) {
    return absl::UnavailableError(
        absl::StrFormat("%s: cannot list for its digest: %s", dir.string(), ec.message()));
  }
  std::sort(files.begin(), files.end());
  std::string listing;
  for (const std::string& file : files) {
    KC_ASSIGN_OR_RETURN(std::string digest, FileSha256(dir / file));
    absl::StrAppend(&listing, digest, "  ", file, "\n");
  }
  return Sha256Hex(ByteView(reinterpret_cast<const uint8_t*>(listing.data()), listing.size()));
}

std::string SourceName(std::string_view source) {
  fs::path path(source);
  std::string name = path.filename().string();
  // "dir/" has an empty file name; its last directory names it.
  if (name.empty() || name == ".") name = fs::absolute(path).parent_path().filename().string();
  if (name.empty() || name == "." || name == "..") {
    name = fs::weakly_canonical(path).filename().string();
  }
  return name.empty() ? std::string(source) : name;
}

}  // namespace

absl::StatusOr<KernelOrigin> OriginOf(const KernelBtf& kernel, std::string_view source) {
  if (kernel.origin) return *kernel.origin;
  KernelOrigin origin;
  origin.kind = kernel.kind;
  if (kernel.kind == SourceKind::kRunning) {
    origin.name = std::string(source);
    // The running kernel's own BTF; /sys/kernel/btf, not a file given.
    KC_ASSIGN_OR_RETURN(origin.sha256, FileSha256("/sys/kernel/btf/vmlinux"));
    return origin;
  }
  origin.name = SourceName(source);
  std::error_code ec;
  if (fs::is_directory(fs::path(source), ec)) {
    KC_ASSIGN_OR_RETURN(origin.sha256, DirectorySha256(fs::path(source)));
  } else {
    KC_ASSIGN_OR_RETURN(origin.sha256, FileSha256(fs::path(source)));
  }
  return origin;
}

}  // namespace kcontract
