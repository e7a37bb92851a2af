// "Did you mean" for the command line: CLI11 says a subcommand is required,
// or that an argument was not expected, without naming what the user meant.
#ifndef KCONTRACT_CLI_SUGGEST_H_
#define KCONTRACT_CLI_SUGGEST_H_

#include <string>
#include <vector>

#include <CLI/CLI.hpp>

namespace kcontract::cli {

// Why CLI11 refused `args` (argv without the program name), when the reason
// is a word that is no subcommand or no option where it stands: one line,
// "'chek' is not a kcontract command (did you mean 'check'?)", naming the
// command it was given to and the closest subcommand or option. Empty when
// the words are all known (the refusal is about something else: a missing
// value, a bad choice), so that CLI11's own message is printed.
std::string ExplainUnknownWord(const CLI::App& app, const std::vector<std::string>& args);

// The visible subcommands of `app` (those --help lists), in their order.
std::vector<const CLI::App*> VisibleSubcommands(const CLI::App& app);

// The options a command accepts: its own and, since the application falls
// through, those of the commands above it; --help's first.
std::vector<const CLI::Option*> CommandOptions(const CLI::App& app);

// True when the option reads a value (a flag reads none).
bool TakesValue(const CLI::Option& option);

// "kcontract manifest init" for the subcommand `app`.
std::string CommandPath(const CLI::App& app);

}  // namespace kcontract::cli

#endif  // KCONTRACT_CLI_SUGGEST_H_
