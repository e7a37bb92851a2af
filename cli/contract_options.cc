// --manifest / --no-default-manifests, shared by every command that judges
// interfaces by their contracts (check, lint, probe, diff, manifest).
#include "abi/contract/stability_tags.h"
#include "abi/manifest/contract_loader.h"
#include "cli/commands.h"
#include "cli/exit_codes.h"

namespace kcontract::cli {

void AddManifestOptions(CLI::App* command, ManifestArgs* args) {
  command->add_option("-m,--manifest", args->manifests,
                      "Contract manifest (TOML) or a directory of them; repeatable. Governs "
                      "over the installed manifests and the kernel's own stability tags")
      // One value per --manifest: `lint --manifest M a.o` must not read a.o as one.
      ->allow_extra_args(false)
      ->type_name("FILE|DIR");
  command->add_flag("--no-default-manifests", args->no_default,
                    "Use only the manifests given with --manifest (and the kernel's tags), not "
                    "those installed with kcontract");
}

ManifestContracts LoadManifestContracts(const ManifestArgs& args) {
  ContractSources sources;
  sources.given = args.manifests;
  sources.use_installed = !args.no_default;
  ManifestContracts loaded;
  loaded.contracts = LoadContracts(sources, &loaded.warnings);
  return loaded;
}

absl::StatusOr<ContractSet> ContractsForKernel(const ManifestContracts& manifests,
                                               const KernelBtf* kernel,
                                               bool print_manifest_warnings, bool* warned,
                                               std::vector<std::string>* warnings_out) {
  std::vector<std::string> warnings;
  if (print_manifest_warnings) warnings = manifests.warnings;
  absl::StatusOr<ContractSet> contracts = manifests.contracts;
  if (contracts.ok() && kernel != nullptr) {
    Contract tags = ReadStabilityTags(*kernel, &warnings);
    if (!tags.interfaces.empty()) contracts->Add(std::move(tags));
  }
  for (const std::string& warning : warnings) PrintWarning(warning);
  *warned |= !warnings.empty();
  if (warnings_out != nullptr) {
    warnings_out->insert(warnings_out->end(), warnings.begin(), warnings.end());
  }
  return contracts;
}

absl::StatusOr<ContractSet> LoadContractsForCommand(const ManifestArgs& args,
                                                    const KernelBtf* kernel, bool* warned,
                                                    std::vector<std::string>* warnings_out) {
  return ContractsForKernel(LoadManifestContracts(args), kernel,
                            /*print_manifest_warnings=*/true, warned, warnings_out);
}

}  // namespace kcontract::cli
