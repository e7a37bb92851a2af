// kcontract object show OBJ... [--kernel SRC [--base SRC]] [--load-profile FILE]...
#include "abi/object/bpf_object.h"
#include "abi/profile/apply_profile.h"
#include "abi/profile/load_profile.h"
#include "abi/profile/profile_needs.h"
#include "abi/report/object_report.h"
#include "btfdiff/model/kernel_btf.h"
#include "cli/commands.h"
#include "cli/exit_codes.h"

namespace kcontract::cli {
namespace {

struct ObjectArgs {
  std::vector<std::string> objects;
  KernelArgs kernel;
  std::vector<std::string> load_profiles;
};

int RunObjectShow(const ObjectArgs& args, const GlobalOptions& global) {
  int exit_code = kExitOk;
  // As in check: a profile with a mistake stops the command.
  LoadProfileSet profiles = ReadLoadProfiles(args.load_profiles);
  for (const Diagnostic& d : profiles.diagnostics) {
    std::fprintf(stderr, "%s\n", FormatDiagnosticLine(d).c_str());
  }
  if (profiles.has_errors()) return kExitToolError;
  if (!profiles.diagnostics.empty()) exit_code |= kExitWarnings;
  std::vector<std::unique_ptr<BpfObject>> objects;
  for (const std::string& path : args.objects) {
    absl::StatusOr<std::vector<std::unique_ptr<BpfObject>>> read = ReadBpfObjects(path);
    if (!read.ok()) {
      exit_code |= ReportError(read.status());
      continue;
    }
    for (auto& object : *read) {
      for (const std::string& warning : object->warnings) {
        PrintWarning(object->path + ": " + warning);
        exit_code |= kExitWarnings;
      }
      objects.push_back(std::move(object));
    }
  }
  if (objects.empty()) return exit_code;
  // Attach targets are looked up in a kernel only when some program names
  // one: the running kernel unless --kernel says otherwise. Without one,
  // placeholders are told by their names alone.
  std::unique_ptr<KernelBtf> kernel;
  std::string label;
  bool needs_kernel = false;
  for (const auto& object : objects) needs_kernel |= NeedsKernelForPlaceholders(*object);
  if (needs_kernel) {
    bool warned = false;
    absl::StatusOr<std::unique_ptr<KernelBtf>> loaded =
        LoadKernelForCommand(SingleKernel(args.kernel), args.kernel, &warned);
    if (warned) exit_code |= kExitWarnings;
    if (loaded.ok()) {
      kernel = *std::move(loaded);
      label = KernelLabel(*kernel);
    } else if (!args.kernel.kernels.empty()) {
      return exit_code | ReportError(loaded.status());
    } else {
      PrintWarning(std::string(loaded.status().message()) +
                   "; attach targets are judged by their names alone");
      exit_code |= kExitWarnings;
    }
  }
  std::vector<ProfileNeeds> needs;
  for (const auto& object : objects) {
    needs.push_back(FindProfileNeeds(*object, kernel ? &kernel->names() : nullptr, label));
    // What the profile says of each need; a setting naming nothing the
    // object has is a warning, as in check.
    AppliedProfile applied = MatchProfile(profiles.profiles, *object);
    AddProfileCoverage(applied.entry, applied.label, &needs.back());
    for (const Finding& f : applied.findings) {
      if (f.code != kProfileUnknownName && f.code != kProfileIneffective) continue;
      PrintWarning(object->path + ": " + f.message);
      exit_code |= kExitWarnings;
    }
  }
  std::string out = RenderObjects(objects, global.output_format(), needs);
  return exit_code | PrintReport(out);
}

}  // namespace

void RegisterObjectCommands(CLI::App& app, const GlobalOptions& global, int* exit_code) {
  CLI::App* object = app.add_subcommand("object", "Inspect compiled BPF objects");
  object->require_subcommand(1);
  CLI::App* show = object->add_subcommand(
      "show",
      "What a BPF object needs from a kernel: programs and attach targets, maps and struct_ops "
      "callbacks, kfunc/ksym/kconfig externs, helper calls, CO-RE relocations; and what a load "
      "profile would need to say: placeholder attach targets (looked up in --kernel, default "
      "the running kernel) and the const volatile rodata programs read. OBJ is a BPF .o, or an "
      "executable embedding objects (libbpf skeletons)");
  auto args = std::make_shared<ObjectArgs>();
  show->add_option("OBJ", args->objects, "BPF object files, or files embedding them")
      ->required();
  AddKernelOptions(show, &args->kernel, /*multiple=*/false);
  show->add_option("--load-profile", args->load_profiles,
                   "Load profile (TOML): say, per placeholder and rodata variable, what the "
                   "profile's entry for the object has the loader do; repeatable")
      ->allow_extra_args(false);
  show->callback([args, &global, exit_code] { *exit_code = RunObjectShow(*args, global); });
}

}  // namespace kcontract::cli
