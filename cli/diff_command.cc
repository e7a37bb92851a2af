// kcontract diff --kernel OLD --kernel NEW
#include <cstdio>

#include "abi/policy/diff_policy.h"
#include "abi/report/diff_report.h"
#include "btfdiff/diff/kernel_diff.h"
#include "cli/commands.h"
#include "cli/exit_codes.h"

namespace kcontract::cli {
namespace {

static_assert(kDiffExitChanges == kExitWarnings && kDiffExitBrokenPromise == kExitIncompatible,
              "the policy's exit bits are the CLI's");

struct DiffArgs {
  KernelArgs kernel;
  ManifestArgs manifests;
  bool include_internal = false;
};

int RunDiff(const DiffArgs& args, const GlobalOptions& global) {
  if (args.kernel.kernels.size() != 2) {
    std::fprintf(stderr, "kcontract: error: diff needs exactly two kernels: --kernel OLD --kernel NEW\n");
    return kExitUsageError;
  }
  bool warned = false;
  absl::StatusOr<std::unique_ptr<KernelBtf>> old_kernel =
      LoadKernelForCommand(args.kernel.kernels[0], args.kernel, &warned);
  if (!old_kernel.ok()) return ReportError(old_kernel.status());
  absl::StatusOr<std::unique_ptr<KernelBtf>> new_kernel =
      LoadKernelForCommand(args.kernel.kernels[1], args.kernel, &warned);
  if (!new_kernel.ok()) return ReportError(new_kernel.status());

  // The new kernel's own stability tags speak for the release being judged.
  absl::StatusOr<ContractSet> contracts =
      LoadContractsForCommand(args.manifests, new_kernel->get(), &warned);
  if (!contracts.ok()) return ReportError(contracts.status());

  KernelDiff diff = DiffKernels(**old_kernel, **new_kernel);
  DiffJudgeOptions options;
  options.internal = ContractInternalLookup(*contracts);
  options.include_internal = args.include_internal;
  DiffVerdict verdict = JudgeDiff(diff, ContractLookup(*contracts), options);
  std::string out = RenderDiff(diff, verdict, global.output_format());
  if (int failed = PrintReport(out); failed != kExitOk) return failed;
  return verdict.ExitBits() | (warned ? kExitWarnings : kExitOk);
}

}  // namespace

void RegisterDiffCommand(CLI::App& app, const GlobalOptions& global, int* exit_code) {
  CLI::App* diff = app.add_subcommand(
      "diff",
      "What changed in the BPF-facing ABI (kfuncs, struct_ops, the kernel types they reach) "
      "between two kernels, and whether it breaks programs built for the old one");
  auto args = std::make_shared<DiffArgs>();
  AddKernelOptions(diff, &args->kernel, /*multiple=*/true);
  AddManifestOptions(diff, &args->manifests);
  diff->add_flag("--include-internal", args->include_internal,
                 "Judge and count the changes to the kernel's self-test kfuncs "
                 "(bpf_kfunc_call_test*, bpf_testmod) and to interfaces a manifest marks "
                 "internal, instead of grouping them apart as notes");
  diff->callback([args, &global, exit_code] { *exit_code = RunDiff(*args, global); });
}

}  // namespace kcontract::cli
