// Debian binary packages (.deb), read in memory: the ar archive, its
// data.tar.{gz,xz,zst,bz2} member, and the files inside it. Nothing is ever
// extracted to disk.
#ifndef KCONTRACT_BTFDIFF_SOURCE_DEB_PACKAGE_H_
#define KCONTRACT_BTFDIFF_SOURCE_DEB_PACKAGE_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "btfdiff/base/bytes.h"
#include "btfdiff/source/decompress.h"

namespace kcontract {

// True when `bytes` is an ar archive whose first member is debian-binary.
bool IsDebPackage(ByteView bytes);

struct PackageFile {
  std::string path;  // as in the data tarball, without a leading "./"
  // Shared, never copied, between a file and its hard links: a package of
  // one large file and many links to it costs the file's size once.
  std::shared_ptr<const Bytes> contents;
  // For a hard link, the path of the earlier file whose bytes it shares
  // (that file is in the result too); empty for a regular file.
  std::string link_target;
};

struct DebReadLimits {
  uint64_t max_file_size = 1ull << 30;     // one extracted file
  uint64_t max_total_size = 2ull << 30;    // all selected files together
  // The data tarball's bytes walked through, selected or not: a 10 GB
  // member of zeros compresses to a few KB, and skipping it means
  // decompressing it.
  uint64_t max_data_bytes = 2ull << 30;
};

// Reads data.tar.* of the package and returns the regular files (and hard
// links to them) whose path `want` accepts, in archive order. Fails with a
// message naming `what` when the archive is corrupt or truncated, has no
// data member, or a limit is exceeded. `data_bytes`, when given, receives
// the bytes of the data tarball walked through (decompressed).
absl::StatusOr<std::vector<PackageFile>> ReadDebFiles(
    ByteView deb, std::string_view what,
    const std::function<bool(std::string_view path)>& want,
    const DebReadLimits& limits = {}, uint64_t* data_bytes = nullptr);

// One file of a package as StreamDebFiles hands it on: a regular file with
// its contents, or a hard link to a regular file handed on before it.
struct StreamedFile {
  std::string path;
  Bytes contents;          // empty for a hard link
  std::string hard_link;   // the path it links to, for a hard link
  // With a budget, `contents` are held against it (counted before they are
  // read) until this is released or destroyed: keep it with them.
  BudgetHold hold;
};

struct DebStreamOptions {
  uint64_t max_file_size = 1ull << 30;  // one file
  // The members `want` refuses, their declared sizes together: each is
  // decompressed to be skipped, so a member of zeros the size of a disk
  // would cost minutes unread. Refused at its header, before any of it is
  // decompressed. Debian's linux-image packages skip about 1.4 MB.
  uint64_t max_skipped = 256ull << 20;
  // Bounds everything decompressed (the data member, and whatever the
  // caller charges for the files it is handed) and what is held at once
  // (each file handed on, from before it is read); null: no bound.
  DecompressBudget* budget = nullptr;
  // Threads decoding a multi-block xz data member (what dpkg-deb writes).
  unsigned threads = 1;
};

// The same files as ReadDebFiles, handed to `visit` one by one in archive
// order as the data member is decompressed, so that a package is never held
// decompressed whole. A hard link to a file `want` refused is an error, as
// in ReadDebFiles. Stops at the first error, its own or `visit`'s.
absl::Status StreamDebFiles(ByteView deb, std::string_view what,
                            const std::function<bool(std::string_view path)>& want,
                            const std::function<absl::Status(StreamedFile file)>& visit,
                            const DebStreamOptions& options = {});

}  // namespace kcontract

#endif  // KCONTRACT_BTFDIFF_SOURCE_DEB_PACKAGE_H_
