// kcontract manifest init|update|check: write manifests from kernels, add
// the revisions a kernel brings, and check manifests like a compiler.
#include <cstdio>
#include <filesystem>
#include <system_error>

#include "abi/manifest/manifest_validation.h"
#include "abi/manifest/manifest_writer.h"
#include "abi/report/manifest_report.h"
#include "absl/strings/str_format.h"
#include "btfdiff/base/file_bytes.h"
#include "cli/commands.h"
#include "cli/exit_codes.h"

namespace kcontract::cli {
namespace {

struct InitArgs {
  KernelArgs kernel;
  std::vector<std::string> match;
  std::string output;
  std::string name;
  std::string stability;
  std::string revision;
  bool force = false;
};

struct UpdateArgs {
  KernelArgs kernel;
  std::vector<std::string> match;
  bool add_new = false;
  std::string revision;
  bool dry_run = false;
  std::string file;
};

struct CheckArgs {
  std::vector<std::string> files;
};

absl::Status WriteText(const std::string& path, const std::string& text) {
  return WriteFileAtomically(
      path, ByteView(reinterpret_cast<const uint8_t*>(text.data()), text.size()));
}

int RunInit(const InitArgs& args) {
  ManifestInitOptions options;
  options.match = args.match;
  options.revision = args.revision;
  options.contract_name = !args.name.empty() ? args.name : ContractNameForFile(args.output);
  if (options.contract_name.empty()) {
    std::fprintf(stderr, "kcontract: error: name the contract with --name (or write to -o FILE)\n");
    return kExitUsageError;
  }
  if (!args.stability.empty()) options.stability = ParseStability(args.stability);
  std::error_code error;
  if (!args.output.empty() && !args.force && std::filesystem::exists(args.output, error)) {
    return ReportError(absl::AlreadyExistsError(
        absl::StrFormat("%s: exists; refusing to overwrite it without --force", args.output)));
  }
  bool warned = false;
  absl::StatusOr<std::unique_ptr<KernelBtf>> kernel =
      LoadKernelForCommand(SingleKernel(args.kernel), args.kernel, &warned);
  if (!kernel.ok()) return ReportError(kernel.status());
  absl::StatusOr<std::string> text = RenderNewManifest(**kernel, options);
  if (!text.ok()) return ReportError(text.status());
  // Exit bit 4 for the kernel's warnings, as every command gives it.
  int warnings = warned ? kExitWarnings : kExitOk;
  if (args.output.empty()) return PrintReport(*text) | warnings;
  absl::Status written = WriteText(args.output, *text);
  return written.ok() ? warnings : ReportError(written);
}

int RunUpdate(const UpdateArgs& args, const GlobalOptions& global) {
  absl::StatusOr<std::string> original = ReadManifestText(args.file);
  if (!original.ok()) return ReportError(original.status());
  bool warned = false;
  absl::StatusOr<std::unique_ptr<KernelBtf>> kernel =
      LoadKernelForCommand(SingleKernel(args.kernel), args.kernel, &warned);
  if (!kernel.ok()) return ReportError(kernel.status());
  ManifestUpdateOptions options;
  options.revision = args.revision;
  options.match = args.match;
  options.add_new = args.add_new;
  absl::StatusOr<ManifestUpdate> update =
      UpdateManifestText(*original, args.file, **kernel, options);
  if (!update.ok()) return ReportError(update.status());
  std::string summary = RenderManifestUpdate(*update, global.output_format());
  int warnings = warned ? kExitWarnings : kExitOk;
  if (args.dry_run) {
    // Exit bit 4 also when the manifest is behind the kernel: a check mode for CI.
    int behind = update->changed() || warned ? kExitWarnings : kExitOk;
    // JSON is the summary alone; as text, the new manifest goes to stdout
    // and the summary to stderr, so that stdout can be diffed or saved.
    if (global.output_format() == OutputFormat::kJson) return PrintReport(summary) | behind;
    int printed = PrintReport(update->text);
    return printed | PrintReport(summary, stderr) | behind;
  }
  if (update->changed()) {
    absl::Status written = WriteText(args.file, update->text);
    if (!written.ok()) return ReportError(written);
  }
  return PrintReport(summary) | warnings;
}

int RunCheck(const CheckArgs& args, const GlobalOptions& global) {
  ManifestCheckResult result = CheckManifests(args.files);
  int rc = PrintReport(RenderManifestCheck(result, global.output_format()));
  DiagnosticCounts counts = CountDiagnostics(result.diagnostics);
  if (counts.errors > 0) return rc | kExitIncompatible;
  if (counts.warnings > 0) return rc | kExitWarnings;
  return rc;
}

void RegisterInit(CLI::App* manifest, int* exit_code) {
  CLI::App* init = manifest->add_subcommand(
      "init", "Write a new manifest for a kernel's kfuncs and struct_ops types");
  auto args = std::make_shared<InitArgs>();
  AddKernelOptions(init, &args->kernel, /*multiple=*/false);
  init->add_option("--match", args->match,
                   "Shell glob over kfunc and struct_ops type names; repeatable")
      ->type_name("GLOB")
      ->required();
  init->add_option("-o,--output", args->output,
                   "Write here (atomically) instead of standard output")
      ->type_name("FILE");
  init->add_option("--name", args->name, "The contract's name (default: the output file's stem)")
      ->type_name("NAME");
  init->add_option("--stability", args->stability,
                   "Give every interface this level (default: none; the owner sets it)")
      ->type_name("LEVEL")
      ->check(CLI::IsMember({"stable", "experimental", "withdrawn"}));
  init->add_option("--revision", args->revision,
                   "Name of the revision (default: the kernel's release)")
      ->type_name("NAME");
  init->add_flag("--force", args->force, "Overwrite the output file if it exists");
  init->callback([args, exit_code] { *exit_code = RunInit(*args); });
}

void RegisterUpdate(CLI::App* manifest, const GlobalOptions& global, int* exit_code) {
  CLI::App* update = manifest->add_subcommand(
      "update", "Add the revisions a kernel brings to a manifest; never rewrites what is there");
  auto args = std::make_shared<UpdateArgs>();
  AddKernelOptions(update, &args->kernel, /*multiple=*/false);
  CLI::Option* match = update->add_option(
      "--match", args->match, "Only interfaces whose names match this shell glob; repeatable");
  match->type_name("GLOB");
  update->add_flag("--add-new", args->add_new,
                   "Also add the kernel's kfuncs and struct_ops types matching --match that the "
                   "manifest lacks")
      ->needs(match);
  update->add_option("--revision", args->revision,
                     "Name of added revisions (default: the kernel's release)")
      ->type_name("NAME");
  update->add_flag("--dry-run", args->dry_run,
                   "Print the updated manifest (summary on stderr) instead of writing it; exit "
                   "status 4 when it would change");
  update->add_option("file", args->file, "The manifest")->required();
  update->callback([args, &global, exit_code] { *exit_code = RunUpdate(*args, global); });
}

void RegisterCheck(CLI::App* manifest, const GlobalOptions& global, int* exit_code) {
  CLI::App* check = manifest->add_subcommand(
      "check", "Check manifests: each mistake as file:line:col, and conflicts between them");
  auto args = std::make_shared<CheckArgs>();
  check->add_option("files", args->files, "Manifest files")->required();
  check->callback([args, &global, exit_code] { *exit_code = RunCheck(*args, global); });
}

}  // namespace

void RegisterManifestCommands(CLI::App& app, const GlobalOptions& global, int* exit_code) {
  CLI::App* manifest = app.add_subcommand("manifest", "Write, update and check contract manifests");
  manifest->require_subcommand(1);
  RegisterInit(manifest, exit_code);
  RegisterUpdate(manifest, global, exit_code);
  RegisterCheck(manifest, global, exit_code);
}

}  // namespace kcontract::cli
