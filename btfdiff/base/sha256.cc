#include "btfdiff/base/sha256.h"

#include <nettle/sha2.h>

#include <cstdint>

namespace kcontract {

std::string Sha256Hex(ByteView bytes) {
  sha256_ctx ctx;
  sha256_init(&ctx);
  // nettle takes a size_t length: no chunking needed.
  sha256_update(&ctx, bytes.size(), bytes.data());
  uint8_t digest[SHA256_DIGEST_SIZE];
  sha256_digest(&ctx, sizeof(digest), digest);
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(2 * sizeof(digest));
  for (uint8_t b : digest) {
    hex.push_back(kDigits[b >> 4]);
    hex.push_back(kDigits[b & 15]);
  }
  return hex;
}

}  // namespace kcontract
