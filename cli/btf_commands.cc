// kcontract btf extract
#include <filesystem>
#include <system_error>

#include "absl/strings/str_format.h"
#include "btfdiff/base/file_bytes.h"
#include "btfdiff/source/btf_extract.h"
#include "cli/commands.h"
#include "cli/exit_codes.h"

namespace kcontract::cli {
namespace {

struct ExtractArgs {
  KernelArgs kernel;
  std::string output;
  std::string module;
  std::string base_output;
};

int RunExtract(const ExtractArgs& args) {
  bool warned = false;
  std::string source = SingleKernel(args.kernel);
  absl::StatusOr<std::unique_ptr<KernelBtf>> kernel =
      LoadKernelForCommand(source, args.kernel, &warned);
  if (!kernel.ok()) return ReportError(kernel.status());
  std::optional<std::string_view> module;
  if (!args.module.empty()) module = args.module;
  absl::StatusOr<const Btf*> btf = SelectBtf(**kernel, module);
  if (!btf.ok()) return ReportError(btf.status());
  if (!args.base_output.empty()) {
    if ((*btf)->base() == nullptr) {
      return ReportError(absl::InvalidArgumentError(
          absl::StrFormat("%s: --base-out needs a module: vmlinux BTF has no base", source)));
    }
    absl::Status written = WriteFileAtomically(args.base_output, (*btf)->base()->RawData());
    if (!written.ok()) return ReportError(written);
  }
  absl::Status written = WriteFileAtomically(args.output, (*btf)->RawData());
  if (!written.ok()) {
    // A failed command leaves no output: not half of it either (a file
    // written a moment ago; links, pipes and devices stay).
    std::error_code ec;
    if (!args.base_output.empty() &&
        std::filesystem::is_regular_file(std::filesystem::symlink_status(args.base_output, ec))) {
      std::filesystem::remove(args.base_output, ec);
    }
    return ReportError(written);
  }
  return warned ? kExitWarnings : kExitOk;
}

}  // namespace

void RegisterBtfCommands(CLI::App& app, const GlobalOptions& global, int* exit_code) {
  CLI::App* btf = app.add_subcommand("btf", "Work with raw BTF");
  btf->require_subcommand(1);
  CLI::App* extract = btf->add_subcommand(
      "extract", "Write a kernel's raw BTF (as /sys/kernel/btf gives it) to a file");
  auto args = std::make_shared<ExtractArgs>();
  AddKernelOptions(extract, &args->kernel, /*multiple=*/false);
  extract->add_option("-o,--output", args->output, "Output file")->type_name("FILE")->required();
  extract
      ->add_option("-m,--module", args->module,
                   "Write this module's split BTF instead of vmlinux's")
      ->type_name("NAME");
  extract
      ->add_option("--base-out", args->base_output,
                   "With a module: also write the base (vmlinux) BTF here")
      ->type_name("FILE");
  extract->callback([args, exit_code] { *exit_code = RunExtract(*args); });
}

}  // namespace kcontract::cli
