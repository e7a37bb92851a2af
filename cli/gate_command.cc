// kcontract gate INPUT... --kernel SRC [--kernel SRC]... [--baseline-kernel SRC]
//                [--load-profile FILE]... [--libbpf VERSION] [--waivers FILE]
//                [--manifest FILE|DIR]...
//                [--format text|json|markdown] [--junit FILE] [--sarif FILE] [--html FILE]
//                [-j N] [--shard I/N] [--progress auto|always|never]
// kcontract gate merge RESULT.json... [same output options]
// The packaging gate: every object a distribution ships on every kernel it
// ships, one verdict per cell (abi/gate/, rendered by abi/report/gate_report.h).
#include <unistd.h>

#include <chrono>
#include <cstdio>

#include "abi/gate/gate_inputs.h"
#include "abi/gate/gate_run.h"
#include "abi/profile/load_profile.h"
#include "abi/report/gate_report.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_format.h"
#include "btfdiff/base/file_bytes.h"
#include "btfdiff/base/text.h"
#include "cli/commands.h"
#include "cli/exit_codes.h"

namespace kcontract::cli {
namespace {

struct GateOutputArgs {
  std::string format;  // empty: the global --format
  std::string junit;
  std::string sarif;
  std::string html;
};

struct GateArgs {
  std::vector<std::string> inputs;
  KernelArgs kernel;
  std::string baseline_kernel;
  std::vector<std::string> load_profiles;
  std::string libbpf;
  std::string waivers;
  ManifestArgs manifests;
  std::string unknown = "note";
  int jobs = 0;
  std::string shard;
  std::string progress = "auto";
  GateOutputArgs output;
};

struct MergeArgs {
  std::vector<std::string> results;
  GateOutputArgs output;
};

void AddOutputOptions(CLI::App* command, GateOutputArgs* args) {
  command->add_option("--format", args->format, "Report on standard output")
      ->check(CLI::IsMember({"text", "json", "markdown"}));
  command->add_option("--junit", args->junit, "Also write JUnit XML to FILE");
  command->add_option("--sarif", args->sarif, "Also write SARIF 2.1.0 to FILE");
  command->add_option("--html", args->html, "Also write a self-contained HTML page to FILE");
}

// The report on standard output and the files asked for; the exit bits of
// the result.
int WriteReports(const GateResult& result, const GateOutputArgs& args,
                 const GlobalOptions& global) {
  std::string format = args.format.empty() ? (global.json ? "json" : global.format) : args.format;
  GateFormat gate_format = format == "json"       ? GateFormat::kJson
                           : format == "markdown" ? GateFormat::kMarkdown
                                                  : GateFormat::kText;
  int exit_code = kExitOk;
  const std::pair<const std::string*, std::string (*)(const GateResult&)> files[] = {
      {&args.junit, RenderGateJunit}, {&args.sarif, RenderGateSarif}, {&args.html, RenderGateHtml}};
  for (const auto& [path, render] : files) {
    if (path->empty()) continue;
    std::string text = render(result);
    absl::Status written = WriteFileAtomically(
        *path, ByteView(reinterpret_cast<const uint8_t*>(text.data()), text.size()));
    if (!written.ok()) exit_code |= ReportError(written);
  }
  exit_code |= PrintReport(RenderGate(result, gate_format));
  GateOutcome outcome = OutcomeOf(result);
  if (outcome.blocked) exit_code |= kExitIncompatible;
  if (outcome.warnings) exit_code |= kExitWarnings;
  if (outcome.unreadable) exit_code |= kExitToolError;
  return exit_code;
}

// "done/total, objects per second, time left" on one rewritten stderr line.
class Progress {
 public:
  Progress(bool enabled, size_t total) : enabled_(enabled), total_(total) {}
  void Step(std::string_view kernel) {
    ++done_;
    if (!enabled_) return;
    auto now = std::chrono::steady_clock::now();
    if (done_ != total_ && now - last_ < std::chrono::milliseconds(100)) return;
    last_ = now;
    double seconds = std::chrono::duration<double>(now - start_).count();
    double rate = seconds > 0 ? done_ / seconds : 0;
    int left = rate > 0 ? static_cast<int>((total_ - done_) / rate) : 0;
    std::fprintf(stderr, "\rgate: %zu/%zu checked, %.1f objects/s, %d:%02d left (%.*s)\033[K",
                 done_, total_, rate, left / 60, left % 60, static_cast<int>(kernel.size()),
                 kernel.data());
  }
  void End() {
    if (enabled_ && done_ > 0) std::fprintf(stderr, "\n");
  }

 private:
  bool enabled_;
  size_t total_;
  size_t done_ = 0;
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
  std::chrono::steady_clock::time_point last_;
};

absl::StatusOr<GateShard> ParseShard(const std::string& text) {
  GateShard shard;
  std::vector<std::string_view> parts = SplitView(text, '/');
  if (text.empty()) return shard;
  auto number = [](std::string_view part, int* value) {
    return absl::SimpleAtoi(absl::string_view(part.data(), part.size()), value);
  };
  if (parts.size() != 2 || !number(parts[0], &shard.index) || !number(parts[1], &shard.count) ||
      shard.count < 1 || shard.index < 1 || shard.index > shard.count) {
    return absl::InvalidArgumentError(
        absl::StrFormat("--shard %s: write I/N with 1 <= I <= N (--shard 2/3)", text));
  }
  return shard;
}

// A warning met reading a kernel or its contracts, as a diagnostic the
// result holds, so that each shard's JSON hands it to `gate merge`. A line
// already located ("m.toml:3:1: warning: ...") keeps its place; others are
// placed at the kernel they came with.
Diagnostic RunWarning(const std::string& kernel, std::string code, const std::string& text) {
  constexpr std::string_view kMarker = ": warning: ";
  SourceLocation location{kernel, 0, 0};
  std::string message = text;
  if (size_t at = text.find(kMarker); at != std::string::npos) {
    location.file = text.substr(0, at);
    message = text.substr(at + kMarker.size());
  }
  Diagnostic d = LocatedDiagnostic(std::move(location), Severity::kWarning, std::move(message));
  d.code = std::move(code);
  return d;
}

void PrintDiagnostics(const std::vector<Diagnostic>& diagnostics) {
  for (const Diagnostic& d : diagnostics) {
    std::fprintf(stderr, "%s\n", FormatDiagnosticLine(d).c_str());
  }
}

int RunGate(const GateArgs& args, const GlobalOptions& global) {
  absl::StatusOr<GateShard> shard = ParseShard(args.shard);
  if (!shard.ok()) {
    ReportError(shard.status());
    return kExitUsageError;
  }
  GateResult result;
  result.shard = *shard;
  // Mistakes in what decides verdicts stop the gate before anything is
  // checked: a wrong waiver or profile would pass or fail the wrong cells.
  if (!args.waivers.empty()) {
    WaiverReadResult waivers = ReadWaivers(args.waivers);
    PrintDiagnostics(waivers.diagnostics);
    if (!waivers.ok()) return kExitToolError;
    result.waivers = std::move(waivers.waivers);
    result.diagnostics = std::move(waivers.diagnostics);
  }
  LoadProfileSet profiles = ReadLoadProfiles(args.load_profiles);
  PrintDiagnostics(profiles.diagnostics);
  if (profiles.has_errors()) return kExitToolError;
  for (Diagnostic& d : profiles.diagnostics) result.diagnostics.push_back(std::move(d));

  GateInputs inputs = ReadGateInputs(args.inputs);
  KeepShard(*shard, &inputs);
  size_t readable = 0;
  for (const auto& object : inputs.objects) readable += object != nullptr;

  std::vector<std::string> sources = args.kernel.kernels;
  KernelArgs kernel_args = args.kernel;
  kernel_args.jobs = static_cast<unsigned>(args.jobs);
  if (sources.empty()) sources.push_back(std::string(kRunningKernel));
  const bool has_baseline = !args.baseline_kernel.empty();
  bool tty = isatty(fileno(stderr));
  Progress progress(args.progress == "always" || (args.progress == "auto" && tty),
                    readable * (sources.size() + (has_baseline ? 1 : 0)));
  GateRunOptions options;
  options.policy.unknown_interface = UnknownInterfaceSeverity(args.unknown);
  options.profiles = std::move(profiles.profiles);
  options.libbpf = LibbpfOption(args.libbpf);
  options.jobs = args.jobs;
  result.libbpf = (options.libbpf ? OptionLibbpf(*options.libbpf) : LinkedLibbpf()).Describe();

  bool warned = false;
  // Each kernel is read and indexed once; the baseline first.
  std::vector<std::pair<std::string, bool>> columns;
  if (has_baseline) columns.push_back({args.baseline_kernel, true});
  for (const std::string& source : sources) columns.push_back({source, false});
  for (const auto& [source, baseline] : columns) {
    absl::StatusOr<std::unique_ptr<KernelBtf>> kernel =
        LoadKernelForCommand(source, kernel_args, &warned);
    if (!kernel.ok()) {
      // The run goes on: the kernel is a column of its own saying why.
      std::string reason = OneLineReason(kernel.status(), source);
      if (baseline) {
        result.baseline_kernel = source;
        result.baseline_error = std::move(reason);
      } else {
        result.kernels.push_back(source);
        result.kernel_errors.push_back(std::move(reason));
      }
      SkipColumn(baseline, &inputs);
      for (size_t i = 0; i < readable; ++i) progress.Step(source);
      continue;
    }
    std::vector<std::string> contract_warnings;
    absl::StatusOr<ContractSet> contracts =
        LoadContractsForCommand(args.manifests, kernel->get(), &warned, &contract_warnings);
    if (!contracts.ok()) {
      progress.End();
      return ReportError(contracts.status());
    }
    std::string label = KernelLabel(**kernel);
    for (const std::string& warning : (*kernel)->warnings) {
      AddRunDiagnostic(RunWarning(label, "kernel-warning", warning), &result);
    }
    std::vector<const BpfObject*> checked;
    for (const auto& object : inputs.objects) {
      if (object != nullptr) checked.push_back(object.get());
    }
    if (std::string blind = KfuncsUnknowableWarning(**kernel, checked); !blind.empty()) {
      AddRunDiagnostic(RunWarning(label, "kernel-warning", blind.substr(label.size() + 2)),
                       &result);
    }
    for (const std::string& warning : contract_warnings) {
      AddRunDiagnostic(RunWarning(label, "contract-warning", warning), &result);
    }
    if (baseline) {
      result.baseline_kernel = label;
    } else {
      result.kernels.push_back(label);
      result.kernel_errors.emplace_back();
    }
    options.progress = [&progress, label] { progress.Step(label); };
    CheckColumn(**kernel, *contracts, options, baseline, &inputs);
  }
  progress.End();
  result.rows = std::move(inputs.rows);
  RaiseProfileWarnings(&result);
  ApplyWaivers(TodayUtc(), &result);
  return WriteReports(result, args.output, global) | (warned ? kExitWarnings : kExitOk);
}

int RunMerge(const MergeArgs& args, const GlobalOptions& global) {
  std::vector<GateResult> results;
  for (const std::string& path : args.results) {
    absl::StatusOr<FileBytes> file = FileBytes::Open(path, 1ull << 31);
    if (!file.ok()) return ReportError(file.status());
    ByteView bytes = file->bytes();
    absl::StatusOr<GateResult> result = ParseGateJson(
        AsText(bytes), path);
    if (!result.ok()) return ReportError(result.status());
    results.push_back(std::move(*result));
  }
  absl::StatusOr<GateResult> merged = MergeGateResults(std::move(results));
  if (!merged.ok()) return ReportError(merged.status());
  return WriteReports(*merged, args.output, global);
}

}  // namespace

void RegisterGateCommand(CLI::App& app, const GlobalOptions& global, int* exit_code) {
  CLI::App* gate = app.add_subcommand(
      "gate", "The packaging gate: every BPF object shipped x every kernel shipped, one verdict "
              "per cell; exit 8 when a cell blocks, 4 warnings, 1 an unreadable input or "
              "kernel");
  auto args = std::make_shared<GateArgs>();
  gate->add_option("inputs", args->inputs,
                   "BPF objects, files embedding them, directories (walked), .deb packages");
  AddKernelOptions(gate, &args->kernel, /*multiple=*/true);
  gate->add_option("--baseline-kernel", args->baseline_kernel,
                   "The kernel in use today: a cell blocks only when the object loads there "
                   "(a regression)");
  gate->add_option("--load-profile", args->load_profiles,
                   "Load profile (TOML): what the loader does to each object before load; "
                   "repeatable")
      ->allow_extra_args(false);
  AddLibbpfOption(gate, "--libbpf", &args->libbpf,
                  "The libbpf release the loaders run with, 1.1 to 1.7: judge every cell by its "
                  "rules (default: the libbpf kcontract is linked against); wins over a load "
                  "profile's `libbpf`");
  gate->add_option("--waivers", args->waivers,
                   "Waivers (TOML): known failures accepted until a date");
  AddManifestOptions(gate, &args->manifests);
  AddUnknownInterfaceOption(gate, &args->unknown);
  // One --jobs for the gate: the threads checking objects, which also read
  // each kernel's modules (the kernel options' own --jobs gives way).
  gate->remove_option(gate->get_option("--jobs"));
  gate->add_option("-j,--jobs", args->jobs,
                   "Threads checking objects and reading kernels (default: one per core)")
      ->check(CLI::NonNegativeNumber);
  gate->add_option("--shard", args->shard,
                   "Check shard I of N (I/N) of the objects; join the results with `gate merge`");
  gate->add_option("--progress", args->progress, "Progress on standard error")
      ->check(CLI::IsMember({"auto", "always", "never"}));
  AddOutputOptions(gate, &args->output);

  CLI::App* merge = gate->add_subcommand("merge", "Join the JSON results of gate shards");
  auto merge_args = std::make_shared<MergeArgs>();
  merge->add_option("results", merge_args->results, "JSON results of `gate --format json`")
      ->required();
  AddOutputOptions(merge, &merge_args->output);
  merge->callback([merge_args, &global, exit_code] {
    *exit_code = RunMerge(*merge_args, global);
  });
  gate->callback([gate, args, &global, exit_code] {
    if (gate->got_subcommand("merge")) return;
    if (args->inputs.empty()) {
      ReportError(absl::InvalidArgumentError("gate: no INPUT given"));
      *exit_code = kExitUsageError;
      return;
    }
    *exit_code = RunGate(*args, global);
  });
}

}  // namespace kcontract::cli
