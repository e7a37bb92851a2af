// Bounds-checked views over untrusted bytes.
#ifndef KCONTRACT_BTFDIFF_BASE_BYTES_H_
#define KCONTRACT_BTFDIFF_BASE_BYTES_H_

#include <cstdint>
#include <cstring>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

namespace kcontract {

using ByteView = std::span<const uint8_t>;
using Bytes = std::vector<uint8_t>;

// The bytes as text (a config, a manifest): no copy, no check.
inline std::string_view AsText(ByteView bytes) {
  return std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size());
}

// Reads a little-endian integer at `offset`, or nullopt when it would run
// past the end. Every read of a kernel image or BTF blob goes through here.
template <typename T>
std::optional<T> ReadLe(ByteView bytes, uint64_t offset) {
  if (offset > bytes.size() || bytes.size() - offset < sizeof(T)) {
    return std::nullopt;
  }
  T value;
  std::memcpy(&value, bytes.data() + offset, sizeof(T));
  return value;  // All supported hosts (x86-64, arm64) are little-endian.
}

// The sub-range [offset, offset + size), or nullopt when out of bounds.
inline std::optional<ByteView> Slice(ByteView bytes, uint64_t offset,
                                     uint64_t size) {
  if (offset > bytes.size() || bytes.size() - offset < size) {
    return std::nullopt;
  }
  return bytes.subspan(offset, size);
}

inline bool StartsWith(ByteView bytes, std::string_view magic) {
  return bytes.size() >= magic.size() &&
         std::memcmp(bytes.data(), magic.data(), magic.size()) == 0;
}

}  // namespace kcontract

#endif  // KCONTRACT_BTFDIFF_BASE_BYTES_H_
