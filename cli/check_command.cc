// kcontract check OBJ... [--kernel SRC]... [--manifest FILE|DIR]...
//                        [--no-default-manifests] [--unknown note|warning|error]
//                        [--load-profile FILE]... [--libbpf VERSION]
// What libbpf and the verifier would do on each kernel, plus contract findings.
#include <functional>
#include <future>

#include "abi/contract/contract_findings.h"
#include "abi/libbpf/libbpf_check.h"
#include "abi/policy/finding_policy.h"
#include "abi/prepared/prepared_check.h"
#include "abi/profile/apply_profile.h"
#include "abi/profile/load_profile.h"
#include "abi/report/check_report.h"
#include "cli/commands.h"
#include "cli/exit_codes.h"

namespace kcontract::cli {
namespace {

struct CheckArgs {
  std::vector<std::string> objects;
  KernelArgs kernel;
  ManifestArgs manifests;
  std::string unknown = "note";
  std::vector<std::string> load_profiles;
  std::string libbpf;
};

int RunCheck(const CheckArgs& args, const GlobalOptions& global) {
  // A profile with a mistake would check objects other than the loader
  // prepares: its errors stop the command before anything is checked.
  LoadProfileSet profiles = ReadLoadProfiles(args.load_profiles);
  for (const Diagnostic& d : profiles.diagnostics) {
    std::fprintf(stderr, "%s\n", FormatDiagnosticLine(d).c_str());
  }
  if (profiles.has_errors()) return kExitToolError;
  bool warned = !profiles.diagnostics.empty();
  std::vector<std::string> sources = args.kernel.kernels;
  if (sources.empty()) sources.push_back(std::string(kRunningKernel));
  // The first kernel, most of the work, is read on a thread while the
  // objects and the manifests (read once for every kernel) are read here;
  // what is printed, and in what order, is as if one after the other.
  std::future<absl::StatusOr<std::unique_ptr<KernelBtf>>> first_kernel =
      std::async(std::launch::async, ReadKernelForCommand, std::cref(sources.front()),
                 std::cref(args.kernel));
  std::vector<std::unique_ptr<BpfObject>> objects;
  for (const std::string& path : args.objects) {
    absl::StatusOr<std::vector<std::unique_ptr<BpfObject>>> found = ReadBpfObjects(path);
    if (!found.ok()) return ReportError(found.status());
    for (auto& object : *found) objects.push_back(std::move(object));
  }
  const ManifestContracts manifests = LoadManifestContracts(args.manifests);
  std::vector<AppliedProfile> applied;
  for (const auto& object : objects) applied.push_back(MatchProfile(profiles.profiles, *object));
  CheckPolicy policy;
  policy.unknown_interface = UnknownInterfaceSeverity(args.unknown);
  std::vector<ObjectCheck> checks;
  // Each kernel is read and indexed once, then every object is checked.
  for (size_t k = 0; k < sources.size(); ++k) {
    absl::StatusOr<std::unique_ptr<KernelBtf>> kernel =
        k == 0 ? first_kernel.get() : ReadKernelForCommand(sources[k], args.kernel);
    if (!kernel.ok()) return ReportError(kernel.status());
    PrintKernelWarnings(**kernel, &warned);
    std::vector<const BpfObject*> checked;
    for (const auto& object : objects) checked.push_back(object.get());
    if (std::string blind = KfuncsUnknowableWarning(**kernel, checked); !blind.empty()) {
      PrintWarning(blind);
      warned = true;
    }
    // The contracts differ per kernel: each kernel's own stability tags join
    // them. The manifests' warnings are printed once, after the first kernel's.
    absl::StatusOr<ContractSet> contracts =
        ContractsForKernel(manifests, kernel->get(), /*print_manifest_warnings=*/k == 0, &warned);
    if (!contracts.ok()) return ReportError(contracts.status());
    CheckTarget target(**kernel);
    for (size_t i = 0; i < objects.size(); ++i) {
      // As the loader would prepare it: libbpf's and the contracts' findings
      // plus the revision plan (which revision this kernel gets) and what
      // the load profile says the loader does.
      ObjectCheck check =
          CheckPrepared(*objects[i], target, *contracts, applied[i], LibbpfOption(args.libbpf))
              .check;
      JudgeCheck(policy, &check);
      checks.push_back(std::move(check));
    }
  }
  std::optional<LibbpfVersion> libbpf = LibbpfOption(args.libbpf);
  std::string out =
      RenderChecks(checks, global.output_format(), libbpf ? OptionLibbpf(*libbpf) : LinkedLibbpf());
  int exit_code = warned ? kExitWarnings : kExitOk;
  if (int failed = PrintReport(out); failed != kExitOk) return exit_code | failed;
  for (const ObjectCheck& check : checks) exit_code |= ExitBitsOf(CountDiagnostics(check.findings));
  return exit_code;
}

}  // namespace

void RegisterCheckCommand(CLI::App& app, const GlobalOptions& global, int* exit_code) {
  CLI::App* check = app.add_subcommand(
      "check", "Predict, before loading, whether BPF objects load on kernels, and why not");
  auto args = std::make_shared<CheckArgs>();
  check->add_option("objects", args->objects,
                    "BPF object files, or files embedding them (skeleton executables)")
      ->required();
  AddKernelOptions(check, &args->kernel, /*multiple=*/true);
  AddManifestOptions(check, &args->manifests);
  AddUnknownInterfaceOption(check, &args->unknown);
  check->add_option("--load-profile", args->load_profiles,
                    "Load profile (TOML): what the loader does to each object before load "
                    "(programs off, attach targets, rodata values, map sizes); repeatable, the "
                    "first entry matching an object applies")
      ->allow_extra_args(false);
  AddLibbpfOption(check, "--libbpf", &args->libbpf,
                  "The libbpf release the loader runs with, 1.1 to 1.7: judge each object by its "
                  "rules (default: the libbpf kcontract is linked against); wins over a load "
                  "profile's `libbpf`");
  check->callback([args, &global, exit_code] { *exit_code = RunCheck(*args, global); });
}

}  // namespace kcontract::cli
