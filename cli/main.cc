// kcontract: stability contracts and compatibility checks for BPF kernel
// interfaces. This file only wires the command line to the library.
#include <cstdio>

#include <CLI/CLI.hpp>

#include "cli/commands.h"
#include "cli/exit_codes.h"

int main(int argc, char** argv) {
  using namespace kcontract::cli;
  CLI::App app{"kcontract: stability contracts and compatibility checks for BPF kernel "
               "interfaces (kfuncs, struct_ops)"};
  app.set_version_flag("-V,--version", "kcontract " KCONTRACT_VERSION);
  app.require_subcommand(1);
  app.fallthrough();
  GlobalOptions global;
  app.add_flag("-j,--json", global.json, "JSON output (same as --format json)");
  app.add_option("--format", global.format, "Output format")
      ->check(CLI::IsMember({"text", "json"}));
  int exit_code = kExitOk;
  RegisterKernelCommands(app, global, &exit_code);
  RegisterBtfCommands(app, global, &exit_code);
  RegisterObjectCommands(app, global, &exit_code);
  RegisterCheckCommand(app, global, &exit_code);
  RegisterGateCommand(app, global, &exit_code);
  RegisterLintCommand(app, global, &exit_code);
  RegisterDiffCommand(app, global, &exit_code);
  RegisterProbeCommand(app, global, &exit_code);
  RegisterManifestCommands(app, global, &exit_code);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int rc = app.exit(e);
    return rc == 0 ? kExitOk : kExitUsageError;
  }
  return exit_code;
}
