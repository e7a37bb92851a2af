// Debian binary packages (.deb), read in memory: the ar archive, its
// data.tar.{gz,xz,zst,bz2} member, and the files inside it. Nothing is ever
// extracted to disk.
#ifndef KCONTRACT_BTFDIFF_SOURCE_DEB_PACKAGE_H_
#define KCONTRACT_BTFDIFF_SOURCE_DEB_PACKAGE_H_

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "btfdiff/base/bytes.h"

namespace kcontract {

// True when `bytes` is an ar archive whose first member is debian-binary.
bool IsDebPackage(ByteView bytes);

struct PackageFile {
  std::string path;  // as in the data tarball, without a leading "./"
  Bytes contents;
};

struct DebReadLimits {
  uint64_t max_file_size = 1ull << 30;     // one extracted file
  uint64_t max_total_size = 2ull << 30;    // all selected files together
};

// Reads data.tar.* of the package and returns the regular files whose path
// `want` accepts, in archive order. Fails with a message naming `what` when
// the archive is corrupt or truncated, has no data member, or a limit is
// exceeded.
absl::StatusOr<std::vector<PackageFile>> ReadDebFiles(
    ByteView deb, std::string_view what,
    const std::function<bool(std::string_view path)>& want,
    const DebReadLimits& limits = {});

}  // namespace kcontract

#endif  // KCONTRACT_BTFDIFF_SOURCE_DEB_PACKAGE_H_
