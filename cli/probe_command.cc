// kcontract probe [--kernel SRC] [--base SRC] [--manifest FILE|DIR]...
//                 [--no-default-manifests] [--all]
#include <memory>
#include <string>

#include "abi/manifest/contract_loader.h"
#include "abi/report/probe_report.h"
#include "abi/revision/revision_matcher.h"
#include "cli/commands.h"
#include "cli/exit_codes.h"

namespace kcontract::cli {
namespace {

struct ProbeArgs {
  KernelArgs kernel;
  ManifestArgs manifests;
  bool all = false;
};

int RunProbe(const ProbeArgs& args, const GlobalOptions& global) {
  bool warned = false;
  absl::StatusOr<std::unique_ptr<KernelBtf>> kernel =
      LoadKernelForCommand(SingleKernel(args.kernel), args.kernel, &warned);
  if (!kernel.ok()) return ReportError(kernel.status());
  absl::StatusOr<ContractSet> contracts =
      LoadContractsForCommand(args.manifests, kernel->get(), &warned);
  if (!contracts.ok()) return ReportError(contracts.status());
  ProbeResult result = ProbeKernel(*contracts, **kernel);
  ProbeTextOptions text;
  text.all = args.all;
  text.manifest_dir = InstalledManifestDir();
  std::string out = RenderProbe(result, global.output_format(), text);
  if (int failed = PrintReport(out); failed != kExitOk) return failed;
  // The text says why, after the table; JSON has the flags.
  bool attention = result.CountWithdrawnPresent() > 0 || result.CountUnrecorded() > 0;
  return warned || attention ? kExitWarnings : kExitOk;
}

}  // namespace

void RegisterProbeCommand(CLI::App& app, const GlobalOptions& global, int* exit_code) {
  CLI::App* command = app.add_subcommand(
      "probe", "Which revision of each contracted interface a kernel provides, and its stability");
  auto args = std::make_shared<ProbeArgs>();
  AddKernelOptions(command, &args->kernel, /*multiple=*/false);
  AddManifestOptions(command, &args->manifests);
  command->add_flag("-a,--all", args->all,
                    "A row for every interface the contracts name, also those this kernel "
                    "lacks (by default one line counts them)");
  command->callback([args, &global, exit_code] { *exit_code = RunProbe(*args, global); });
}

}  // namespace kcontract::cli
