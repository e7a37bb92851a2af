// kcontract kernel show|kfuncs|struct-ops|snapshot
#include <filesystem>
#include <system_error>

#include "absl/strings/str_format.h"
#include "btfdiff/base/file_bytes.h"
#include "btfdiff/base/text.h"
#include "btfdiff/inventory/kfunc_inventory.h"
#include "btfdiff/snapshot/snapshot.h"
#include "cli/commands.h"
#include "cli/exit_codes.h"

namespace kcontract::cli {

void AddKernelOptions(CLI::App* command, KernelArgs* args, bool multiple) {
  auto* option = command->add_option(
      "-k,--kernel", args->kernels,
      "Kernel: 'running' (default), a raw BTF file, a vmlinux, a bzImage, a module "
      "(.ko[.xz|.zst]), a directory holding image and modules, a .deb, or a snapshot "
      "('kernel snapshot')");
  option->type_name("SRC");
  // One value per --kernel, so that positional arguments after it stay positional.
  option->allow_extra_args(false);
  if (!multiple) option->expected(1);
  command
      ->add_option("--base", args->base,
                   "The kernel a module source belongs to (any kernel source)")
      ->type_name("SRC");
  command->add_option("--jobs", args->jobs,
                      "Threads decompressing and parsing a kernel's modules (default: every "
                      "CPU)");
}

absl::StatusOr<std::unique_ptr<KernelBtf>> LoadKernelForCommand(const std::string& source,
                                                                const KernelArgs& args,
                                                                bool* warned) {
  absl::StatusOr<std::unique_ptr<KernelBtf>> kernel = ReadKernelForCommand(source, args);
  if (kernel.ok()) PrintKernelWarnings(**kernel, warned);
  return kernel;
}

void PrintKernelWarnings(const KernelBtf& kernel, bool* warned) {
  for (const std::string& warning : kernel.warnings) PrintWarning(warning);
  *warned |= !kernel.warnings.empty();
}

std::string KfuncsUnknowableWarning(const KernelBtf& kernel,
                                    const std::vector<const BpfObject*>& objects) {
  bool calls_kfuncs = false;
  for (const BpfObject* object : objects) {
    for (const BpfExtern& ext : object->externs) calls_kfuncs |= ext.kind == ExternKind::kKfunc;
  }
  if (!calls_kfuncs) return "";
  std::string why = KfuncsUnknowable(kernel, CollectKfuncs(kernel));
  return why.empty() ? "" : KernelLabel(kernel) + ": " + why;
}

absl::StatusOr<std::unique_ptr<KernelBtf>> ReadKernelForCommand(const std::string& source,
                                                                const KernelArgs& args) {
  KernelLoadOptions options;
  options.base = args.base;
  options.jobs = args.jobs;
  absl::StatusOr<std::unique_ptr<KernelBtf>> kernel = LoadKernel(source, options);
  std::error_code error;
  if (!kernel.ok() && !std::filesystem::exists(source, error)) {
    // No such file: maybe the running kernel was meant ("runing").
    std::string_view closest = ClosestMatch(source, {kRunningKernel});
    if (!closest.empty()) {
      return absl::Status(kernel.status().code(),
                          absl::StrFormat("%s (did you mean '%s'?)", kernel.status().message(),
                                          closest));
    }
  }
  return kernel;
}

std::string SingleKernel(const KernelArgs& args) {
  return args.kernels.empty() ? std::string(kRunningKernel) : args.kernels.front();
}

namespace {

enum class KernelView { kShow, kKfuncs, kStructOps };

int RunKernelView(const KernelArgs& args, const GlobalOptions& global, KernelView view) {
  bool warned = false;
  absl::StatusOr<std::unique_ptr<KernelBtf>> kernel =
      LoadKernelForCommand(SingleKernel(args), args, &warned);
  if (!kernel.ok()) return ReportError(kernel.status());
  KernelInventory inventory = TakeInventory(**kernel);
  for (const std::string& warning : inventory.kfuncs.warnings) PrintWarning(warning);
  warned |= !inventory.kfuncs.warnings.empty();
  std::string out;
  switch (view) {
    case KernelView::kShow:
      out = RenderKernelShow(inventory, global.output_format());
      break;
    case KernelView::kKfuncs:
      out = RenderKfuncs(inventory.kfuncs, global.output_format());
      break;
    case KernelView::kStructOps:
      out = RenderStructOps(inventory.struct_ops, global.output_format());
      break;
  }
  if (int failed = PrintReport(out); failed != kExitOk) return failed;
  return warned ? kExitWarnings : kExitOk;
}

struct SnapshotArgs {
  KernelArgs kernel;
  std::string output;
  std::string compression = "zstd";
};

int RunSnapshot(const SnapshotArgs& args, const GlobalOptions& global) {
  bool warned = false;
  const std::string source = SingleKernel(args.kernel);
  absl::StatusOr<std::unique_ptr<KernelBtf>> kernel =
      LoadKernelForCommand(source, args.kernel, &warned);
  if (!kernel.ok()) return ReportError(kernel.status());
  absl::StatusOr<KernelOrigin> origin = OriginOf(**kernel, source);
  if (!origin.ok()) return ReportError(origin.status());
  SnapshotWriteOptions options;
  options.jobs = args.kernel.jobs;
  options.compression =
      args.compression == "none" ? SnapshotCompression::kNone : SnapshotCompression::kZstd;
  const Bytes snapshot = EncodeSnapshot(ContentsOf(**kernel, *origin), options);
  if (absl::Status written = WriteFileAtomically(args.output, snapshot); !written.ok()) {
    return ReportError(written);
  }
  std::string out =
      RenderSnapshotWritten(**kernel, *origin, args.output, snapshot.size(),
                            SnapshotFormatVersionOf(snapshot), global.output_format());
  if (int failed = PrintReport(out); failed != kExitOk) return failed;
  return warned ? kExitWarnings : kExitOk;
}

}  // namespace

void RegisterKernelCommands(CLI::App& app, const GlobalOptions& global, int* exit_code) {
  CLI::App* kernel = app.add_subcommand("kernel", "Inspect a kernel's BPF-facing interfaces");
  kernel->require_subcommand(1);
  struct ViewSpec {
    const char* name;
    const char* help;
    KernelView view;
  };
  static const ViewSpec kViews[] = {
      {"show", "Source kind, release, type/kfunc/struct_ops counts, methods used",
       KernelView::kShow},
      {"kfuncs", "List kfuncs with prototypes, KF_* flags, module and method",
       KernelView::kKfuncs},
      {"struct-ops", "List struct_ops types with their callback prototypes",
       KernelView::kStructOps},
  };
  for (const ViewSpec& spec : kViews) {
    CLI::App* command = kernel->add_subcommand(spec.name, spec.help);
    auto args = std::make_shared<KernelArgs>();
    AddKernelOptions(command, args.get(), /*multiple=*/false);
    KernelView view = spec.view;
    command->callback([args, &global, exit_code, view] {
      *exit_code = RunKernelView(*args, global, view);
    });
  }
  CLI::App* snapshot = kernel->add_subcommand(
      "snapshot",
      "Write everything the commands need from a kernel to one compact file, which every "
      "--kernel accepts");
  auto snapshot_args = std::make_shared<SnapshotArgs>();
  AddKernelOptions(snapshot, &snapshot_args->kernel, /*multiple=*/false);
  snapshot->add_option("-o,--output", snapshot_args->output, "Snapshot file to write")
      ->required();
  snapshot
      ->add_option("--compression", snapshot_args->compression,
                   "How the BTF is kept: zstd (about 0.3 times its size), or none (as it is, "
                   "parsed in place when read: for a snapshot loaded often, such as a "
                   "loader's; format version 2)")
      ->check(CLI::IsMember({"zstd", "none"}))
      ->default_str("zstd");
  snapshot->callback([snapshot_args, &global, exit_code] {
    *exit_code = RunSnapshot(*snapshot_args, global);
  });
}

}  // namespace kcontract::cli
