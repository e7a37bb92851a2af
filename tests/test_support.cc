#include "tests/test_support.h"

#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <linux/bpf.h>

#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>
#include <sstream>
#include <stdexcept>

#include "btfdiff/source/kernel_source.h"
#include "gtest/gtest.h"

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

bool RunToText(const std::string& command, std::string* text, std::string* error) {
  CommandResult result = RunCommand(command);
  if (result.exit_code != 0) {
    *error = command + ": exit " + std::to_string(result.exit_code) + ": " + result.err;
    return false;
  }
  *text = std::move(result.out);
  return true;
}

std::string BpftoolDumpCommand(const std::filesystem::path& file,
                               const std::filesystem::path& base) {
  std::string command = "bpftool btf dump file " + ShellQuote(file.string());
  if (!base.empty()) command += " -B " + ShellQuote(base.string());
  return command;
}

std::string ShellQuote(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out += c;
    }
  }
  return out + "'";
}

const std::filesystem::path& ProcessScratch(const std::string& prefix) {
  struct Holder {
    std::filesystem::path path;
    explicit Holder(const std::string& prefix)
        : path(ScratchDir(prefix + "_" + std::to_string(getpid()))) {}
    ~Holder() {
      std::error_code ignored;
      std::filesystem::remove_all(path, ignored);
    }
  };
  static Holder holder(prefix);
  return holder.path;
}

std::optional<long> GnuTimeMaxRssKib(std::string_view report) {
  while (!report.empty() && report.back() == '\n') report.remove_suffix(1);
  const size_t newline = report.rfind('\n');
  if (newline != std::string_view::npos) report.remove_prefix(newline + 1);
  if (report.empty() || report.find_first_not_of("0123456789") != std::string_view::npos) {
    return std::nullopt;
  }
  return std::atol(std::string(report).c_str());
}

long CliPeakRssBoundKib(long plain_kib) {
  if (!kAddressSanitized) return plain_kib;
  static const long idle_kib = [] {
    const std::filesystem::path report = ProcessScratch("cli_idle_peak") / "idle-time.txt";
    const CommandResult run = RunCommand("/usr/bin/time -f %M -o " + ShellQuote(report.string()) +
                                         " " + ShellQuote(KCONTRACT_CLI) + " --version");
    const Bytes bytes = run.exit_code == 0 ? ReadFileOrDie(report) : Bytes{};
    const std::optional<long> kib = GnuTimeMaxRssKib(AsText(bytes));
    if (!kib) ADD_FAILURE() << "the CLI's idle peak RSS was not measured: " << run.err;
    return kib.value_or(0);
  }();
  return idle_kib + 2 * plain_kib;
}

bool HaveTool(const std::string& name) {
  return RunCommand("command -v " + name).exit_code == 0;
}

std::string ModelKernelPath(std::string_view name) {
  return std::string(KCONTRACT_MODEL_KERNEL_DIR) + "/" + std::string(name) + ".btf";
}

const CachedKernel* LoadKernelOnce(const std::string& source, std::string* error) {
  static std::map<std::string, std::unique_ptr<CachedKernel>> cache;
  if (auto it = cache.find(source); it != cache.end()) return it->second.get();
  absl::StatusOr<std::unique_ptr<KernelBtf>> kernel = LoadKernel(source);
  if (!kernel.ok()) {
    *error = "LoadKernel(" + source + "): " + std::string(kernel.status().message());
    return nullptr;
  }
  auto cached = std::make_unique<CachedKernel>();
  cached->kernel = *std::move(kernel);
  const std::filesystem::path dir =
      ProcessScratch("kernel_cache") / ("kernel_" + std::to_string(cache.size()));
  std::filesystem::create_directories(dir);
  cached->vmlinux_btf = dir / "vmlinux.btf";
  WriteFileOrDie(cached->vmlinux_btf, cached->kernel->vmlinux->RawData());
  for (const ModuleBtf& module : cached->kernel->modules) {
    std::filesystem::path path = dir / (module.name + ".btf");
    WriteFileOrDie(path, module.btf->RawData());
    cached->module_btf[module.name] = path;
  }
  return (cache[source] = std::move(cached)).get();
}

std::unique_ptr<Btf> ModelBtf(std::string_view name) {
  const std::string path = std::string(KCONTRACT_MODEL_DIR) + "/" + std::string(name) + ".btf";
  absl::StatusOr<std::unique_ptr<Btf>> btf = Btf::Parse(ReadFileOrDie(path), path);
  if (!btf.ok()) throw std::runtime_error(std::string(btf.status().message()));
  return *std::move(btf);
}

TypeId TypeNamed(const Btf& btf, std::string_view name, uint32_t kind) {
  const int32_t id = btf__find_by_name_kind(btf.libbpf(), std::string(name).c_str(), kind);
  if (id <= 0) {
    ADD_FAILURE() << "no " << KindName(kind) << " '" << name << "' in the model";
    return TypeId{0};
  }
  return TypeId{static_cast<uint32_t>(id)};
}

TypeId VarType(const Btf& btf, std::string_view variable) {
  TypeId var = TypeNamed(btf, variable, BTF_KIND_VAR);
  return var.is_void() ? var : TypeId{btf.Type(var)->type};
}

TypeId FuncProto(const Btf& btf, std::string_view function) {
  TypeId func = TypeNamed(btf, function, BTF_KIND_FUNC);
  return func.is_void() ? func : TypeId{btf.Type(func)->type};
}

bool CanLoadBpfPrograms(std::string* why_not) {
  if (geteuid() != 0) {
    *why_not = "loading BPF programs needs root here";
    return false;
  }
  // r0 = 0; exit
  const struct bpf_insn insns[] = {
      {.code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = 0, .src_reg = 0, .off = 0, .imm = 0},
      {.code = BPF_JMP | BPF_EXIT, .dst_reg = 0, .src_reg = 0, .off = 0, .imm = 0},
  };
  int fd = bpf_prog_load(BPF_PROG_TYPE_SOCKET_FILTER, "kc_probe", "GPL", insns, 2, nullptr);
  if (fd < 0) {
    *why_not = std::string("the kernel refuses even a trivial BPF program here: ") +
               std::strerror(-fd);
    return false;
  }
  close(fd);
  return true;
}

}  // namespace kcontract::testing
