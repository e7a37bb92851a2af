// kcontract: stability contracts and compatibility checks for BPF kernel
// interfaces. This file only wires the command line to the library.
#include <cstdio>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "cli/commands.h"
#include "cli/docs.h"
#include "cli/exit_codes.h"
#include "cli/suggest.h"

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
      ->type_name("FORMAT")
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
  // The build writes the man pages and the bash completion from this very
  // command line (cli/docs.h), so that they say what --help says.
  if (argc == 3 && std::string(argv[1]) == kWriteDocsFlag) return WriteDocs(app, argv[2]);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() != 0) {
      std::string why = ExplainUnknownWord(app, std::vector<std::string>(argv + 1, argv + argc));
      if (!why.empty()) {
        std::fprintf(stderr, "kcontract: error: %s\nRun with --help for more information.\n",
                     why.c_str());
        return kExitUsageError;
      }
    }
    int rc = app.exit(e);
    return rc == 0 ? kExitOk : kExitUsageError;
  }
  return exit_code;
}
