// kcontract lint OBJ... [--manifest FILE|DIR]... [--no-default-manifests]
//                       [--unknown note|warning|error] [--libbpf-min VERSION]
// Contract findings at build time, and whether the objects need a newer
// libbpf than VERSION: no kernel is read.
#include "abi/contract/contract_findings.h"
#include "abi/libbpf/libbpf_requirement.h"
#include "abi/policy/finding_policy.h"
#include "abi/report/check_report.h"
#include "cli/commands.h"
#include "cli/exit_codes.h"

namespace kcontract::cli {
namespace {

struct LintArgs {
  std::vector<std::string> objects;
  ManifestArgs manifests;
  std::string unknown = "note";
  std::string libbpf_min;
};

int RunLint(const LintArgs& args, const GlobalOptions& global) {
  bool warned = false;
  absl::StatusOr<ContractSet> contracts =
      LoadContractsForCommand(args.manifests, /*kernel=*/nullptr, &warned);
  if (!contracts.ok()) return ReportError(contracts.status());
  CheckPolicy policy;
  policy.unknown_interface = UnknownInterfaceSeverity(args.unknown);
  int exit_code = warned ? kExitWarnings : kExitOk;
  std::vector<ContractReport> reports;
  for (const std::string& path : args.objects) {
    absl::StatusOr<std::vector<std::unique_ptr<BpfObject>>> found = ReadBpfObjects(path);
    if (!found.ok()) return ReportError(found.status());
    for (const auto& object : *found) {
      // What the object reader could not see (no BTF, a malformed opt-in)
      // is what lint could not judge.
      for (const std::string& warning : object->warnings) {
        PrintWarning(object->path + ": " + warning);
        exit_code |= kExitWarnings;
      }
      reports.push_back(LintObject(*object, *contracts));
      if (std::optional<LibbpfVersion> min = LibbpfOption(args.libbpf_min)) {
        for (Finding& f : LibbpfMinFindings(*object, *min)) {
          reports.back().findings.push_back(std::move(f));
        }
      }
      ApplyPolicy(policy, &reports.back().findings);
    }
  }
  std::string out = RenderLint(reports, global.output_format());
  if (int failed = PrintReport(out); failed != kExitOk) return exit_code | failed;
  for (const ContractReport& report : reports) {
    exit_code |= ExitBitsOf(CountDiagnostics(report.findings));
  }
  return exit_code;
}

}  // namespace

void AddUnknownInterfaceOption(CLI::App* command, std::string* severity) {
  command
      ->add_option("--unknown", *severity,
                   "Severity of using an interface no contract names (unstable "
                   "by default)")
      ->type_name("SEVERITY")
      ->check(CLI::IsMember({"note", "warning", "error"}))
      ->capture_default_str();
}

Severity UnknownInterfaceSeverity(const std::string& severity) {
  if (severity == "error") return Severity::kError;
  if (severity == "warning") return Severity::kWarning;
  return Severity::kNote;
}

void RegisterLintCommand(CLI::App& app, const GlobalOptions& global, int* exit_code) {
  CLI::App* lint = app.add_subcommand("lint",
                                      "Contract findings for BPF objects at build time, without a "
                                      "kernel: experimental "
                                      "interfaces used without the object's KCONTRACT_OPT_IN, "
                                      "deprecated and withdrawn ones, "
                                      "and interfaces no contract names");
  auto args = std::make_shared<LintArgs>();
  lint->add_option("objects", args->objects,
                   "BPF object files, or files embedding them (skeleton executables)")
      ->required();
  AddManifestOptions(lint, &args->manifests);
  AddUnknownInterfaceOption(lint, &args->unknown);
  AddLibbpfOption(lint, "--libbpf-min", &args->libbpf_min,
                  "The oldest libbpf the objects must load with (1.1 to 1.7, e.g. what a "
                  "distribution ships): an object that needs a newer one is an error");
  lint->callback([args, &global, exit_code] { *exit_code = RunLint(*args, global); });
}

}  // namespace kcontract::cli
