// Man pages and bash completion, written from the command line itself: the
// commands, options and their descriptions are the ones --help prints, so
// the three cannot drift apart. The build runs `kcontract --write-docs DIR`
// (cmake: kc_docs) and installs what it writes; only the prose --help has
// no room for (examples, exit status, files) is kept here, per command.
#ifndef KCONTRACT_CLI_DOCS_H_
#define KCONTRACT_CLI_DOCS_H_

#include <string>

#include <CLI/CLI.hpp>

namespace kcontract::cli {

// Not an option of the application (it is not parsed, listed or completed):
// main() looks for it before parsing.
inline constexpr char kWriteDocsFlag[] = "--write-docs";

// DIR/man1/kcontract.1, DIR/man1/kcontract-<command>.1 for each command, and
// DIR/bash-completion/kcontract. Returns the exit code.
int WriteDocs(const CLI::App& app, const std::string& dir);

// The texts themselves, for tests.
std::string ManPage(const CLI::App& app, const CLI::App* command);  // nullptr: kcontract(1)
std::string BashCompletion(const CLI::App& app);

}  // namespace kcontract::cli

#endif  // KCONTRACT_CLI_DOCS_H_
