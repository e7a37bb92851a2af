// Shared helpers for the test suite: where the shared kernels are, running
// the CLI, scratch files.
#ifndef KCONTRACT_TESTS_TEST_SUPPORT_H_
#define KCONTRACT_TESTS_TEST_SUPPORT_H_

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "btfdiff/base/bytes.h"
#include "btfdiff/model/btf.h"
#include "btfdiff/model/kernel_btf.h"

namespace kcontract::testing {

// ../shared/kernels/<name>; tests that need it call RequireSharedKernel.
std::filesystem::path SharedKernelDir(const std::string& name);

// GTEST_SKIP()s from the caller when a shared kernel directory is missing.
#define KC_REQUIRE_PATH(path)                                              \
  do {                                                                     \
    if (!std::filesystem::exists(path))                                    \
      GTEST_SKIP() << "needs " << (path) << " (../shared beside the checkout)"; \
  } while (0)

// A fresh directory under the build tree for one test.
std::filesystem::path ScratchDir(const std::string& test_name);

Bytes ReadFileOrDie(const std::filesystem::path& path);
void WriteFileOrDie(const std::filesystem::path& path, ByteView bytes);

struct CommandResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};
// Runs a shell command line, capturing stdout and stderr.
CommandResult RunCommand(const std::string& command_line);
// Runs the kcontract executable with `args` (already shell-quoted).
CommandResult RunCli(const std::string& args);

bool HaveTool(const std::string& name);

// The peak RSS (KiB) in a report of GNU time's `-f %M -o FILE`: its last
// line, since a line before it reports a non-zero exit status; nullopt when
// that line is not a number.
std::optional<long> GnuTimeMaxRssKib(std::string_view report);

// Whether this suite, and the CLI it runs, are built with AddressSanitizer.
#if defined(__SANITIZE_ADDRESS__)
inline constexpr bool kAddressSanitized = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
inline constexpr bool kAddressSanitized = true;
#else
inline constexpr bool kAddressSanitized = false;
#endif
#else
inline constexpr bool kAddressSanitized = false;
#endif

// The most peak RSS (KiB) a CLI run may take when a plain build's bound is
// `plain_kib`. Under AddressSanitizer the CLI holds 160 MiB before it reads
// a byte (shadow of its globals and allocator) and its heap costs up to
// twice a plain one (redzones, the 256 MiB quarantine), so the bound there is
// the CLI's own peak for `--version`, measured once, plus twice `plain_kib`:
// loose, but still far below the gigabytes an unbounded read takes.
long CliPeakRssBoundKib(long plain_kib);

// Runs `command`; on exit 0 puts its standard output in `text`, else the
// command, exit code and stderr in `error`.
bool RunToText(const std::string& command, std::string* text, std::string* error);

// "bpftool btf dump file FILE [-B BASE]", quoted.
std::string BpftoolDumpCommand(const std::filesystem::path& file,
                               const std::filesystem::path& base = {});

// `s` quoted for /bin/sh, safe whatever characters it holds.
std::string ShellQuote(const std::string& s);

// A scratch directory for this test process (named after `prefix` and the
// pid), removed when the process exits.
const std::filesystem::path& ProcessScratch(const std::string& prefix);

// A model kernel's raw BTF, built from tests/model_kernels/<name>.c
// ("thp_v9", "sched_ext_6_13", ...; see the README there): a --kernel source.
std::string ModelKernelPath(std::string_view name);

// A kernel read by LoadKernel once per test process (reading a distribution
// kernel takes seconds; several tests compare the same one), with its BTF
// also written where tools that take files read it (bpftool -B): the
// vmlinux BTF and each module's split BTF, under ProcessScratch.
struct CachedKernel {
  std::unique_ptr<KernelBtf> kernel;
  std::filesystem::path vmlinux_btf;
  std::map<std::string, std::filesystem::path> module_btf;  // module name -> split BTF
};
// nullptr, with the reason in *error, when `source` cannot be read.
const CachedKernel* LoadKernelOnce(const std::string& source, std::string* error);

// The raw BTF of a C model, tests/models/<name>.c (kc_bpf_model RAW_BTF in
// tests/CMakeLists.txt); throws when it cannot be read.
std::unique_ptr<Btf> ModelBtf(std::string_view name);

// Types of a model addressed by name. Each records a test failure and
// returns id 0 (void) when the name is not there.
TypeId TypeNamed(const Btf& btf, std::string_view name, uint32_t kind);
// The type of the global variable `variable`.
TypeId VarType(const Btf& btf, std::string_view variable);
// The FUNC_PROTO of the function `function`.
TypeId FuncProto(const Btf& btf, std::string_view function);

// Whether this process may load BPF programs into the running kernel (root,
// and the kernel takes a trivial socket filter); when not, *why_not says why.
// Tests that load GTEST_SKIP() with it.
bool CanLoadBpfPrograms(std::string* why_not);

}  // namespace kcontract::testing

#endif  // KCONTRACT_TESTS_TEST_SUPPORT_H_
