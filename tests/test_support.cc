#include "tests/test_support.h"

#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <iterator>
#include <sstream>
#include <stdexcept>

namespace kcontract::testing {

std::filesystem::path SharedKernelDir(const std::string& name) {
  return std::filesystem::path(KCONTRACT_SHARED_DIR) / "kernels" / name;
}

std::filesystem::path ScratchDir(const std::string& test_name) {
  auto dir = std::filesystem::path(KCONTRACT_BINARY_DIR) / "scratch" / test_name;
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

Bytes ReadFileOrDie(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path.string());
  return Bytes(std::istreambuf_iterator<char>(in), {});
}

void WriteFileOrDie(const std::filesystem::path& path, ByteView bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(bytes.data()), bytes.size());
  if (!out) throw std::runtime_error("cannot write " + path.string());
}

static std::string Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

CommandResult RunCommand(const std::string& command_line) {
  char out_tmpl[] = "/tmp/kc_out_XXXXXX";
  char err_tmpl[] = "/tmp/kc_err_XXXXXX";
  int out_fd = mkstemp(out_tmpl);
  int err_fd = mkstemp(err_tmpl);
  close(out_fd);
  close(err_fd);
  std::string full = "(" + command_line + ") >" + out_tmpl + " 2>" + err_tmpl + " </dev/null";
  int status = std::system(full.c_str());
  CommandResult result;
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  result.out = Slurp(out_tmpl);
  result.err = Slurp(err_tmpl);
  unlink(out_tmpl);
  unlink(err_tmpl);
  return result;
}

CommandResult RunCli(const std::string& args) {
  return RunCommand(std::string(KCONTRACT_CLI) + " " + args);
}

bool HaveTool(const std::string& name) {
  return RunCommand("command -v " + name).exit_code == 0;
}

}  // namespace kcontract::testing
