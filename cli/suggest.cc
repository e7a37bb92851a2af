#include "cli/suggest.h"

#include <string_view>

#include "absl/strings/str_format.h"
#include "btfdiff/base/text.h"

namespace kcontract::cli {
namespace {

// How far a misspelling may be from what was meant: two edits, or a third
// of a long word ("--no-default-manifest" for "--no-default-manifests").
size_t MaxDistance(std::string_view word) { return std::max<size_t>(2, word.size() / 3); }

std::string Suggestion(std::string_view closest) {
  return closest.empty() ? std::string() : absl::StrFormat(" (did you mean '%s'?)", closest);
}

const CLI::Option* FindOption(const std::vector<const CLI::Option*>& options,
                              std::string_view word) {
  for (const CLI::Option* option : options) {
    for (const std::string& name : option->get_lnames()) {
      if (word == "--" + name) return option;
    }
    for (const std::string& name : option->get_snames()) {
      if (word == "-" + name) return option;
    }
  }
  return nullptr;
}

std::string UnknownOption(const CLI::App& app, const std::vector<const CLI::Option*>& options,
                          std::string_view word) {
  std::vector<std::string> names;
  for (const CLI::Option* option : options) {
    for (const std::string& name : option->get_lnames()) names.push_back("--" + name);
    for (const std::string& name : option->get_snames()) names.push_back("-" + name);
  }
  std::vector<std::string_view> candidates(names.begin(), names.end());
  return absl::StrFormat("'%s' is not an option of '%s'%s", PrintableName(word), CommandPath(app),
                         Suggestion(ClosestMatch(word, candidates, MaxDistance(word))));
}

std::string UnknownCommand(const CLI::App& app, std::string_view word) {
  std::vector<const CLI::App*> commands = VisibleSubcommands(app);
  std::vector<std::string_view> candidates;
  for (const CLI::App* command : commands) candidates.push_back(command->get_name());
  std::string_view closest = ClosestMatch(word, candidates, MaxDistance(word));
  std::string text =
      absl::StrFormat("'%s' is not a '%s' command", PrintableName(word), CommandPath(app));
  if (!closest.empty()) return text + Suggestion(closest);
  return absl::StrFormat("%s; its commands are %s", text, Join(candidates, ", "));
}

}  // namespace

std::vector<const CLI::App*> VisibleSubcommands(const CLI::App& app) {
  return app.get_subcommands([](const CLI::App* sub) {
    return !sub->get_name().empty() && !sub->get_group().empty() && !sub->get_disabled();
  });
}

std::vector<const CLI::Option*> CommandOptions(const CLI::App& app) {
  std::vector<const CLI::Option*> options;
  for (const CLI::App* level = &app; level != nullptr; level = level->get_parent()) {
    // The command's own options and the application's global ones; not
    // those of a command between them (`gate merge` takes none of gate's).
    if (level != &app && level->get_parent() != nullptr) continue;
    for (const CLI::Option* option : level->get_options()) {
      if (!option->nonpositional()) continue;
      // -h,--help is every command's own: list it once, from the command.
      if (level != &app && option->get_single_name() == "help") continue;
      options.push_back(option);
    }
  }
  return options;
}

bool TakesValue(const CLI::Option& option) {
  return option.get_expected_max() > 0 && option.get_type_size_max() > 0;
}

std::string CommandPath(const CLI::App& app) {
  std::string path;
  for (const CLI::App* level = &app; level != nullptr; level = level->get_parent()) {
    std::string name = level->get_parent() == nullptr ? "kcontract" : level->get_name();
    path = path.empty() ? name : name + " " + path;
  }
  return path;
}

std::string ExplainUnknownWord(const CLI::App& app, const std::vector<std::string>& args) {
  const CLI::App* command = &app;
  for (size_t i = 0; i < args.size(); ++i) {
    std::string_view word = args[i];
    if (word == "--") return {};
    if (word.size() > 1 && word[0] == '-') {
      std::string_view name = word.substr(0, word.find('='));
      std::vector<const CLI::Option*> options = CommandOptions(*command);
      const CLI::Option* option = FindOption(options, name);
      if (option == nullptr) return UnknownOption(*command, options, name);
      // Its value, unless given as --option=value.
      if (TakesValue(*option) && name.size() == word.size()) ++i;
      continue;
    }
    std::vector<const CLI::App*> subcommands = VisibleSubcommands(*command);
    if (subcommands.empty()) continue;  // a positional argument of a leaf command
    const CLI::App* next = nullptr;
    for (const CLI::App* sub : subcommands) {
      if (sub->get_name() == word) next = sub;
    }
    if (next == nullptr) return UnknownCommand(*command, word);
    command = next;
  }
  return {};
}

}  // namespace kcontract::cli
