// kcontract check OBJ... [--kernel SRC]...
#include <cstdio>

#include "abi/check_render.h"
#include "abi/compat_check.h"
#include "cli/commands.h"
#include "cli/exit_codes.h"

namespace kcontract::cli {
namespace {

struct CheckArgs {
  std::vector<std::string> objects;
  KernelArgs kernel;
};

int RunCheck(const CheckArgs& args, const GlobalOptions& global) {
  std::vector<std::unique_ptr<BpfObject>> objects;
  for (const std::string& path : args.objects) {
    absl::StatusOr<std::vector<std::unique_ptr<BpfObject>>> found = ReadBpfObjects(path);
    if (!found.ok()) return ReportError(found.status());
    for (auto& object : *found) objects.push_back(std::move(object));
  }
  std::vector<std::string> sources = args.kernel.kernels;
  if (sources.empty()) sources.push_back(std::string(kRunningKernel));
  bool warned = false;
  std::vector<ObjectCheck> checks;
  // Each kernel is read and indexed once, then every object is checked.
  for (const std::string& source : sources) {
    absl::StatusOr<std::unique_ptr<KernelBtf>> kernel =
        LoadKernelForCommand(source, args.kernel, &warned);
    if (!kernel.ok()) return ReportError(kernel.status());
    CheckTarget target(**kernel);
    for (const auto& object : objects) checks.push_back(CheckObject(*object, target));
  }
  std::string out = RenderChecks(checks, global.output_format());
  std::fwrite(out.data(), 1, out.size(), stdout);
  int exit_code = warned ? kExitWarnings : kExitOk;
  for (const ObjectCheck& check : checks) {
    for (const Finding& f : check.findings) {
      if (f.severity == Severity::kError) exit_code |= kExitIncompatible;
      if (f.severity == Severity::kWarning) exit_code |= kExitWarnings;
    }
  }
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
  check->callback([args, &global, exit_code] { *exit_code = RunCheck(*args, global); });
}

}  // namespace kcontract::cli
