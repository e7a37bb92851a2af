// Registration of the command groups. Each callback parses nothing itself
// beyond CLI11's work, calls the library, prints, and stores its exit bits.
#ifndef KCONTRACT_CLI_COMMANDS_H_
#define KCONTRACT_CLI_COMMANDS_H_

#include <memory>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "absl/status/statusor.h"
#include "btfdiff/inventory_render.h"
#include "btfdiff/kernel_source.h"

namespace kcontract::cli {

struct GlobalOptions {
  bool json = false;
  std::string format = "text";
  OutputFormat output_format() const {
    return json || format == "json" ? OutputFormat::kJson : OutputFormat::kText;
  }
};

// --kernel SRC (repeatable when `multiple`) and --base SRC.
struct KernelArgs {
  std::vector<std::string> kernels;
  std::string base;
};
void AddKernelOptions(CLI::App* command, KernelArgs* args, bool multiple);

// Loads one kernel and prints its warnings to stderr; sets *warned when any.
absl::StatusOr<std::unique_ptr<KernelBtf>> LoadKernelForCommand(const std::string& source,
                                                                const KernelArgs& args,
                                                                bool* warned);

void RegisterKernelCommands(CLI::App& app, const GlobalOptions& global, int* exit_code);
void RegisterBtfCommands(CLI::App& app, const GlobalOptions& global, int* exit_code);
void RegisterObjectCommands(CLI::App& app, const GlobalOptions& global, int* exit_code);
void RegisterCheckCommand(CLI::App& app, const GlobalOptions& global, int* exit_code);

}  // namespace kcontract::cli

#endif  // KCONTRACT_CLI_COMMANDS_H_
