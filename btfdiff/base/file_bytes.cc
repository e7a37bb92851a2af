#include "btfdiff/base/file_bytes.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

#include "absl/strings/str_format.h"
#include "btfdiff/base/status_macros.h"

namespace kcontract {
namespace {

absl::Status ErrnoError(const std::filesystem::path& path, std::string_view doing,
                        int err) {
  std::string message =
      absl::StrFormat("%s: %s: %s", path.string(), doing, std::strerror(err));
  if (err == ENOENT) return absl::NotFoundError(message);
  if (err == EACCES || err == EPERM) return absl::PermissionDeniedError(message);
  return absl::UnavailableError(message);
}

class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) close(fd_);
  }
  int get() const { return fd_; }

 private:
  int fd_;
};

// Reads up to `limit` bytes; reports whether more remained.
absl::Status ReadUpTo(int fd, const std::filesystem::path& path, uint64_t limit,
                      Bytes* out, bool* truncated) {
  out->clear();
  *truncated = false;
  constexpr size_t kChunk = 1 << 20;
  while (true) {
    if (out->size() >= limit) {
      uint8_t probe;
      ssize_t n = read(fd, &probe, 1);
      *truncated = n > 0;
      return absl::OkStatus();
    }
    size_t want = std::min<uint64_t>(kChunk, limit - out->size());
    size_t old = out->size();
    out->resize(old + want);
    ssize_t n = read(fd, out->data() + old, want);
    if (n < 0) {
      if (errno == EINTR) {
        out->resize(old);
        continue;
      }
      return ErrnoError(path, "read", errno);
    }
    out->resize(old + n);
    if (n == 0) return absl::OkStatus();
  }
}

bool IsStandardInput(const std::filesystem::path& path) { return path == "-"; }

// Paths through which a pipe is handed over on purpose: standard input and
// the descriptors a shell's process substitution (<(...)) names.
bool NamesInheritedDescriptor(const std::filesystem::path& path) {
  const std::string& p = path.native();
  return IsStandardInput(path) || p == "/dev/stdin" || p.starts_with("/dev/fd/") ||
         p.starts_with("/proc/self/fd/");
}

absl::Status CheckFileType(const std::filesystem::path& path, mode_t mode) {
  if (S_ISREG(mode)) return absl::OkStatus();
  if (S_ISDIR(mode)) {
    return absl::InvalidArgumentError(absl::StrFormat("%s: is a directory", path.string()));
  }
  if (S_ISFIFO(mode)) {
    if (NamesInheritedDescriptor(path)) return absl::OkStatus();
    return absl::InvalidArgumentError(absl::StrFormat(
        "%s: a FIFO (named pipe), not a regular file: refused, since reading one blocks until "
        "some writer comes; to read a pipe, give it as '-' (standard input)",
        path.string()));
  }
  std::string_view kind = S_ISCHR(mode)    ? "a character device"
                          : S_ISBLK(mode)  ? "a block device"
                          : S_ISSOCK(mode) ? "a socket"
                                           : "a special file";
  return absl::InvalidArgumentError(absl::StrFormat(
      "%s: %s, not a regular file: refused (its data may never end)", path.string(), kind));
}

// Opens an input without blocking: a FIFO's open() waits for a writer, so
// the type is checked before and after the open, which never waits.
absl::StatusOr<int> OpenInput(const std::filesystem::path& path, struct stat* st) {
  if (IsStandardInput(path)) {
    int fd = fcntl(STDIN_FILENO, F_DUPFD_CLOEXEC, 0);
    if (fd < 0) return ErrnoError(path, "cannot read standard input", errno);
    if (fstat(fd, st) != 0) {
      int err = errno;
      close(fd);
      return ErrnoError(path, "cannot stat standard input", err);
    }
    absl::Status type = CheckFileType(path, st->st_mode);
    if (!type.ok()) close(fd);
    if (!type.ok()) return type;
    return fd;
  }
  if (stat(path.c_str(), st) == 0) KC_RETURN_IF_ERROR(CheckFileType(path, st->st_mode));
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) return ErrnoError(path, "cannot open", errno);
  absl::Status type = fstat(fd, st) == 0 ? CheckFileType(path, st->st_mode)
                                         : ErrnoError(path, "cannot stat", errno);
  // A pipe given on purpose is read to its end, waiting for its writer.
  if (type.ok() && fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK) != 0) {
    type = ErrnoError(path, "cannot read", errno);
  }
  if (!type.ok()) {
    close(fd);
    return type;
  }
  return fd;
}

}  // namespace

absl::StatusOr<FileBytes> FileBytes::Open(const std::filesystem::path& path,
                                          uint64_t max_size) {
  struct stat st;
  KC_ASSIGN_OR_RETURN(int opened, OpenInput(path, &st));
  Fd fd(opened);
  FileBytes file;
  file.path_ = path;
  if (S_ISREG(st.st_mode) && static_cast<uint64_t>(st.st_size) > max_size) {
    return absl::ResourceExhaustedError(absl::StrFormat(
        "%s: file is %d bytes, larger than the %d MiB limit", path.string(),
        st.st_size, max_size >> 20));
  }
  if (S_ISREG(st.st_mode) && st.st_size > 0) {
    void* map = mmap(nullptr, st.st_size, PROT_READ, MAP_PRIVATE, fd.get(), 0);
    if (map != MAP_FAILED) {
      file.data_ = static_cast<const uint8_t*>(map);
      file.size_ = st.st_size;
      file.mapped_ = true;
      return file;
    }
  }
  // sysfs and procfs files report sizes that mmap cannot use: read them.
  bool truncated = false;
  absl::Status status = ReadUpTo(fd.get(), path, max_size, &file.owned_, &truncated);
  if (!status.ok()) return status;
  if (truncated) {
    return absl::ResourceExhaustedError(absl::StrFormat(
        "%s: larger than the %d MiB limit", path.string(), max_size >> 20));
  }
  file.data_ = file.owned_.data();
  file.size_ = file.owned_.size();
  return file;
}

FileBytes::FileBytes(FileBytes&& other) noexcept { *this = std::move(other); }

FileBytes& FileBytes::operator=(FileBytes&& other) noexcept {
  if (this != &other) {
    Release();
    path_ = std::move(other.path_);
    mapped_ = other.mapped_;
    size_ = other.size_;
    owned_ = std::move(other.owned_);
    data_ = mapped_ ? other.data_ : owned_.data();
    other.data_ = nullptr;
    other.size_ = 0;
    other.mapped_ = false;
  }
  return *this;
}

FileBytes::~FileBytes() { Release(); }

void FileBytes::Release() {
  if (mapped_ && data_ != nullptr) {
    munmap(const_cast<uint8_t*>(data_), size_);
  }
  data_ = nullptr;
  size_ = 0;
  mapped_ = false;
}

absl::StatusOr<Bytes> ReadFilePrefix(const std::filesystem::path& path,
                                     uint64_t max_bytes) {
  struct stat st;
  KC_ASSIGN_OR_RETURN(int opened, OpenInput(path, &st));
  Fd fd(opened);
  Bytes out;
  bool truncated = false;
  absl::Status status = ReadUpTo(fd.get(), path, max_bytes, &out, &truncated);
  if (!status.ok()) return status;
  return out;
}

namespace {

// Writes through a symlink, or into a device or pipe, as cp(1) would: there
// is no file of our own to rename into place.
absl::Status WriteInPlace(const std::filesystem::path& path, ByteView bytes) {
  Fd fd(open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644));
  if (fd.get() < 0) return ErrnoError(path, "cannot open output", errno);
  size_t done = 0;
  while (done < bytes.size()) {
    ssize_t n = write(fd.get(), bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return ErrnoError(path, "write failed", n < 0 ? errno : EIO);
    done += n;
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status WriteFileAtomically(const std::filesystem::path& path,
                                 ByteView bytes) {
  // Renaming over a symlink would replace the link itself (as root,
  // "-o /dev/stdout" would leave a regular file in /dev), and a pipe or
  // device cannot be replaced at all: those are written in place.
  std::error_code ec;
  const std::filesystem::file_status existing = std::filesystem::symlink_status(path, ec);
  if (!ec && std::filesystem::exists(existing) && !std::filesystem::is_regular_file(existing) &&
      !std::filesystem::is_directory(existing)) {
    return WriteInPlace(path, bytes);
  }
  std::filesystem::path dir = path.parent_path();
  if (dir.empty()) dir = ".";
  std::string tmpl = (dir / ("." + path.filename().string() + ".XXXXXX")).string();
  int fd = mkstemp(tmpl.data());
  if (fd < 0) return ErrnoError(path, "cannot create output file", errno);
  size_t done = 0;
  while (done < bytes.size()) {
    ssize_t n = write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      int err = errno;
      close(fd);
      unlink(tmpl.c_str());
      return ErrnoError(path, "write failed", err);
    }
    done += n;
  }
  fchmod(fd, 0644);
  int sync_rc = fsync(fd);
  int sync_errno = errno;
  int close_rc = close(fd);
  if (sync_rc != 0 || close_rc != 0) {
    int err = sync_rc != 0 ? sync_errno : errno;
    unlink(tmpl.c_str());
    return ErrnoError(path, "write failed", err);
  }
  if (rename(tmpl.c_str(), path.c_str()) != 0) {
    int err = errno;
    unlink(tmpl.c_str());
    return ErrnoError(path, "cannot rename output into place", err);
  }
  return absl::OkStatus();
}

}  // namespace kcontract
