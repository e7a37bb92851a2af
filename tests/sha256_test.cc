// Sha256Hex (btfdiff/base/sha256.h, on nettle): the FIPS 180-4 example messages, and
// every length around the padding's block boundaries against coreutils'
// sha256sum, an implementation of its own.
#include "btfdiff/base/sha256.h"

#include <gtest/gtest.h>

#include <string>

#include "tests/test_support.h"

namespace kcontract {
namespace {

std::string Of(std::string_view text) {
  return Sha256Hex(ByteView(reinterpret_cast<const uint8_t*>(text.data()), text.size()));
}

TEST(Sha256, FipsExamples) {
  EXPECT_EQ(Of(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(Of("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(Of("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  EXPECT_EQ(Of(std::string(1000000, 'a')),
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST(Sha256, AgreesWithSha256sumAroundBlockBoundaries) {
  if (!testing::HaveTool("sha256sum")) GTEST_SKIP() << "no sha256sum";
  std::filesystem::path dir = testing::ScratchDir("Sha256.Boundaries");
  for (size_t size : {1, 55, 56, 57, 63, 64, 65, 119, 120, 127, 128, 129, 1000}) {
    Bytes bytes(size);
    for (size_t i = 0; i < size; ++i) bytes[i] = static_cast<uint8_t>(i * 131 + 7);
    std::filesystem::path file = dir / std::to_string(size);
    testing::WriteFileOrDie(file, bytes);
    auto result = testing::RunCommand("sha256sum " + testing::ShellQuote(file.string()));
    ASSERT_EQ(result.exit_code, 0) << result.err;
    EXPECT_EQ(Sha256Hex(bytes), result.out.substr(0, 64)) << size << " bytes";
  }
}

}  // namespace
}  // namespace kcontract
