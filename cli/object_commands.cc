// kcontract object show
#include "abi/object/bpf_object.h"
#include "abi/report/object_report.h"
#include "cli/commands.h"
#include "cli/exit_codes.h"

namespace kcontract::cli {
namespace {

struct ObjectArgs {
  std::vector<std::string> objects;
};

int RunObjectShow(const ObjectArgs& args, const GlobalOptions& global) {
  int exit_code = kExitOk;
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
  std::string out = RenderObjects(objects, global.output_format());
  return exit_code | PrintReport(out);
}

}  // namespace

void RegisterObjectCommands(CLI::App& app, const GlobalOptions& global, int* exit_code) {
  CLI::App* object = app.add_subcommand("object", "Inspect compiled BPF objects");
  object->require_subcommand(1);
  CLI::App* show = object->add_subcommand(
      "show",
      "What a BPF object needs from a kernel: programs and attach targets, maps and struct_ops "
      "callbacks, kfunc/ksym/kconfig externs, helper calls, CO-RE relocations. OBJ is a BPF "
      ".o, or an executable embedding objects (libbpf skeletons)");
  auto args = std::make_shared<ObjectArgs>();
  show->add_option("OBJ", args->objects, "BPF object files, or files embedding them")
      ->required();
  show->callback([args, &global, exit_code] { *exit_code = RunObjectShow(*args, global); });
}

}  // namespace kcontract::cli
