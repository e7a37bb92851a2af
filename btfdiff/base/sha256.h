// SHA-256 of a byte range, as sha256sum prints it: load profiles name an
// object by the digest of its bytes, snapshots record their source's, the
// gate dedupes objects by it. Computed by nettle (libnettle, which
// libarchive already links): it identifies files; it guards no secret.
#ifndef KCONTRACT_BTFDIFF_BASE_SHA256_H_
#define KCONTRACT_BTFDIFF_BASE_SHA256_H_

#include <string>

#include "btfdiff/base/bytes.h"

namespace kcontract {

// 64 lowercase hexadecimal digits.
std::string Sha256Hex(ByteView bytes);

}  // namespace kcontract

#endif  // KCONTRACT_BTFDIFF_BASE_SHA256_H_
