// Registration of the command groups. Each callback parses nothing itself
// beyond CLI11's work, calls the library, prints, and stores its exit bits.
#ifndef KCONTRACT_CLI_COMMANDS_H_
#define KCONTRACT_CLI_COMMANDS_H_

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "abi/contract/contract.h"
#include "abi/finding/finding.h"
#include "abi/libbpf/libbpf_version.h"
#include "abi/object/bpf_object.h"
#include "abi/report/inventory_report.h"
#include "absl/status/statusor.h"
#include "btfdiff/source/kernel_source.h"

namespace kcontract::cli {

struct GlobalOptions {
  bool json = false;
  std::string format = "text";
  OutputFormat output_format() const {
    return json || format == "json" ? OutputFormat::kJson : OutputFormat::kText;
  }
};

// --kernel SRC (repeatable when `multiple`), --base SRC and --jobs N.
struct KernelArgs {
  std::vector<std::string> kernels;
  std::string base;
  unsigned jobs = 0;  // --jobs: threads reading a kernel; 0: every CPU
};
void AddKernelOptions(CLI::App* command, KernelArgs* args, bool multiple);

// The one kernel a single-kernel command reads: its --kernel, else the
// running kernel.
std::string SingleKernel(const KernelArgs& args);

// Loads one kernel and prints its warnings to stderr; sets *warned when any.
absl::StatusOr<std::unique_ptr<KernelBtf>> LoadKernelForCommand(const std::string& source,
                                                                const KernelArgs& args,
                                                                bool* warned);
// The same in two steps, for a command that reads a kernel on a thread:
// reading prints nothing (safe on any thread), then the warnings.
absl::StatusOr<std::unique_ptr<KernelBtf>> ReadKernelForCommand(const std::string& source,
                                                                const KernelArgs& args);
void PrintKernelWarnings(const KernelBtf& kernel, bool* warned);
// When some object calls kfuncs and none can be found in the kernel as
// given (pahole < 1.27 and no .BTF_ids): "LABEL: ..." saying what cannot be
// known (KfuncsUnknowable); "" otherwise.
std::string KfuncsUnknowableWarning(const KernelBtf& kernel,
                                    const std::vector<const BpfObject*>& objects);

// --manifest FILE|DIR (repeatable) and --no-default-manifests.
struct ManifestArgs {
  std::vector<std::string> manifests;
  bool no_default = false;
};
void AddManifestOptions(CLI::App* command, ManifestArgs* args);

// The contracts for a command: installed manifests unless --no-default-
// manifests, the given ones, and, with `kernel`, the stability tags in its
// BTF. Prints warnings to stderr and sets *warned when any; also appends
// them to *warnings when given (the gate's result holds them).
absl::StatusOr<ContractSet> LoadContractsForCommand(const ManifestArgs& args,
                                                    const KernelBtf* kernel, bool* warned,
                                                    std::vector<std::string>* warnings = nullptr);

// The same in two steps, for a command that reads the manifests on a thread
// while it reads kernels, and once for all of them: the manifests' contracts
// and warnings (nothing printed), then per kernel a copy with its tags added.
struct ManifestContracts {
  absl::StatusOr<ContractSet> contracts;
  std::vector<std::string> warnings;
};
ManifestContracts LoadManifestContracts(const ManifestArgs& args);
// Prints the tags' warnings, and `manifests`' own when `print_manifest_warnings`.
absl::StatusOr<ContractSet> ContractsForKernel(const ManifestContracts& manifests,
                                               const KernelBtf* kernel,
                                               bool print_manifest_warnings, bool* warned,
                                               std::vector<std::string>* warnings = nullptr);

void RegisterKernelCommands(CLI::App& app, const GlobalOptions& global, int* exit_code);
void RegisterBtfCommands(CLI::App& app, const GlobalOptions& global, int* exit_code);
void RegisterObjectCommands(CLI::App& app, const GlobalOptions& global, int* exit_code);
void RegisterCheckCommand(CLI::App& app, const GlobalOptions& global, int* exit_code);
void RegisterGateCommand(CLI::App& app, const GlobalOptions& global, int* exit_code);
void RegisterLintCommand(CLI::App& app, const GlobalOptions& global, int* exit_code);
void RegisterDiffCommand(CLI::App& app, const GlobalOptions& global, int* exit_code);
void RegisterProbeCommand(CLI::App& app, const GlobalOptions& global, int* exit_code);
void RegisterManifestCommands(CLI::App& app, const GlobalOptions& global, int* exit_code);

// `name` ("--libbpf", "--libbpf-min"): a libbpf release from 1.1 to 1.7;
// CLI11 refuses anything else, with ParseLibbpfVersion's reason (exit 2).
void AddLibbpfOption(CLI::App* command, const std::string& name, std::string* version,
                     const std::string& help);
// The release given, or nullopt when the option was not.
std::optional<LibbpfVersion> LibbpfOption(const std::string& version);

// --unknown note|warning|error: the severity of using an interface that no
// contract names (CheckPolicy::unknown_interface); lint and check.
void AddUnknownInterfaceOption(CLI::App* command, std::string* severity);
Severity UnknownInterfaceSeverity(const std::string& severity);

}  // namespace kcontract::cli

#endif  // KCONTRACT_CLI_COMMANDS_H_
