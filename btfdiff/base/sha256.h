// SHA-256 (FIPS 180-4) of a byte range, as sha256sum prints it: load
// profiles name an object by the digest of its bytes. Written here rather
// than linked: none of the libraries kcontract already links exports one
// (libbpf 1.1.2, libelf, zlib, liblzma, libzstd, libarchive, Abseil), and a
// crypto library (OpenSSL, nettle, libgcrypt) would be a new dependency for
// forty lines of arithmetic. It identifies files; it guards no secret.
#ifndef KCONTRACT_BTFDIFF_BASE_SHA256_H_
#define KCONTRACT_BTFDIFF_BASE_SHA256_H_

#include <string>

#include "btfdiff/base/bytes.h"

namespace kcontract {

// 64 lowercase hexadecimal digits.
std::string Sha256Hex(ByteView bytes);

}  // namespace kcontract

#endif  // KCONTRACT_BTFDIFF_BASE_SHA256_H_
