// SHA-256 (FIPS 180-4), to name a kernel by the digest of its BTF: a
// manifest records what it was generated from without the path it was read
// at, and the same kernel read from a bzImage, a .deb or a raw BTF file
// gives the same digest.
#ifndef KCONTRACT_BTFDIFF_BASE_SHA256_H_
#define KCONTRACT_BTFDIFF_BASE_SHA256_H_

#include <string>

#include "btfdiff/base/bytes.h"

namespace kcontract {

// The digest of `bytes` as 64 lowercase hex digits.
std::string Sha256Hex(ByteView bytes);

}  // namespace kcontract

#endif  // KCONTRACT_BTFDIFF_BASE_SHA256_H_
