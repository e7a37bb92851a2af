// A file's bytes: memory-mapped when the file is regular, read otherwise
// (sysfs BTF files), with a size ceiling either way.
#ifndef KCONTRACT_BTFDIFF_BASE_FILE_BYTES_H_
#define KCONTRACT_BTFDIFF_BASE_FILE_BYTES_H_

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "btfdiff/base/bytes.h"

namespace kcontract {

// Larger inputs are refused outright: no kernel source comes near it.
inline constexpr uint64_t kMaxInputFileSize = 4ull << 30;

class FileBytes {
 public:
  // Maps or reads the whole file. A FIFO, socket or device is refused
  // without blocking (a FIFO's open() waits for a writer; a device's data
  // may never end), except a pipe given on purpose: "-" (standard input),
  // /dev/stdin, /dev/fd/N and /proc/self/fd/N, read to their end.
  static absl::StatusOr<FileBytes> Open(const std::filesystem::path& path,
                                        uint64_t max_size = kMaxInputFileSize);
  FileBytes(FileBytes&&) noexcept;
  FileBytes& operator=(FileBytes&&) noexcept;
  ~FileBytes();

  ByteView bytes() const { return ByteView(data_, size_); }
  const std::filesystem::path& path() const { return path_; }

 private:
  FileBytes() = default;
  void Release();

  std::filesystem::path path_;
  const uint8_t* data_ = nullptr;
  uint64_t size_ = 0;
  bool mapped_ = false;
  Bytes owned_;  // when read rather than mapped
};

// Reads at most `max_bytes` from the start of a file (for sniffing magic);
// special files are refused as by FileBytes::Open.
absl::StatusOr<Bytes> ReadFilePrefix(const std::filesystem::path& path,
                                     uint64_t max_bytes);

// Writes `bytes` to `path` atomically: a temporary file in the same
// directory, renamed into place, so that a failure never leaves a partial
// output file behind.
absl::Status WriteFileAtomically(const std::filesystem::path& path,
                                 ByteView bytes);

}  // namespace kcontract

#endif  // KCONTRACT_BTFDIFF_BASE_FILE_BYTES_H_
