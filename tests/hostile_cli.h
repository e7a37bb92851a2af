// Shared by the tests that feed hostile input through the kcontract binary
// (hostile_input_test, hostile_toml_test, hostile_deb_test): the CLI under a
// time limit, and what one error looks like.
#ifndef KCONTRACT_TESTS_HOSTILE_CLI_H_
#define KCONTRACT_TESTS_HOSTILE_CLI_H_

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <string>

#include "gtest/gtest.h"
#include "tests/test_support.h"

namespace kcontract::hostile {

namespace fs = std::filesystem;
using testing::CommandResult;

inline constexpr uint64_t kMiB = 1 << 20;

// The CLI under a hard time limit: a command that blocks is killed and fails.
inline CommandResult Cli(const std::string& args, int seconds = 60) {
  return testing::RunCommand("timeout -s KILL " + std::to_string(seconds) + " " +
                             testing::ShellQuote(KCONTRACT_CLI) + " " + args);
}
inline std::string Q(const fs::path& p) { return testing::ShellQuote(p.string()); }

// One line, "kcontract: error: <file>: ... <what>", exit 1, no sanitizer report.
inline void ExpectOneLineError(const CommandResult& r, const fs::path& file,
                               const std::string& what) {
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  EXPECT_TRUE(r.err.starts_with("kcontract: error: ")) << r.err;
  EXPECT_NE(r.err.find(file.string()), std::string::npos) << r.err;
  EXPECT_NE(r.err.find(what), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("Sanitizer"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("runtime error"), std::string::npos) << r.err;
}

}  // namespace kcontract::hostile

#endif  // KCONTRACT_TESTS_HOSTILE_CLI_H_
