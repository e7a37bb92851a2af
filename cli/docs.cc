#include "cli/docs.h"

#include <cctype>
#include <cstdio>
#include <filesystem>
#include <string_view>
#include <system_error>
#include <vector>

#include "absl/strings/str_format.h"
#include "btfdiff/base/file_bytes.h"
#include "btfdiff/base/text.h"
#include "cli/docs_text.h"
#include "cli/exit_codes.h"
#include "cli/suggest.h"

namespace kcontract::cli {
namespace {

namespace fs = std::filesystem;

// ---- what the command line says of an option -------------------------------

std::string Upper(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = c == '-' ? '_' : static_cast<char>(std::toupper(c));
  return out;
}

// The choices of an option checked by CLI::IsMember: its type name ends in
// ":{a,b,c}".
std::string Title(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::toupper(c));
  return out;
}

std::vector<std::string> Choices(const CLI::Option& option) {
  std::string type = option.get_type_name();
  size_t open = type.find(":{");
  if (open == std::string::npos || type.back() != '}') return {};
  std::vector<std::string> choices;
  for (std::string_view choice : SplitView(
           std::string_view(type).substr(open + 2, type.size() - open - 3), ',', true)) {
    choices.emplace_back(choice);
  }
  return choices;
}

// What --help shows after the option: its type name, with CLI11's generic
// "TEXT" replaced by the option's own name.
std::string ValueName(const CLI::Option& option) {
  std::string type = option.get_type_name();
  type = type.substr(0, type.find(':'));
  if (type.empty() || type == "TEXT" || type == "INT" || type == "UINT") {
    return Upper(option.get_lnames().empty() ? option.get_single_name()
                                             : option.get_lnames().front());
  }
  return type;
}

std::string LongName(const CLI::Option& option) {
  return option.get_lnames().empty() ? std::string() : option.get_lnames().front();
}

std::vector<const CLI::Option*> Positionals(const CLI::App& command) {
  std::vector<const CLI::Option*> out;
  for (const CLI::Option* option : command.get_options()) {
    if (!option->nonpositional() && option->get_positional()) out.push_back(option);
  }
  return out;
}

// The options a command's page lists: its own, then the application's
// output options (--version belongs to kcontract(1) alone).
std::vector<const CLI::Option*> PageOptions(const CLI::App& command) {
  std::vector<const CLI::Option*> out;
  for (const CLI::Option* option : CommandOptions(command)) {
    if (command.get_parent() != nullptr && LongName(*option) == "version") continue;
    out.push_back(option);
  }
  return out;
}

// ---- roff -------------------------------------------------------------------

std::string Roff(std::string_view text) {
  std::string out;
  bool line_start = true;
  for (char c : text) {
    if (line_start && (c == '.' || c == '\'')) out += "\\&";
    if (c == '\\') {
      out += "\\e";
    } else if (c == '-') {
      out += "\\-";
    } else {
      out += c;
    }
    line_start = c == '\n';
  }
  return out;
}

// Blocks separated by blank lines; one whose lines all start with four
// spaces is shown as typed.
std::string RoffBlocks(std::string_view text) {
  std::string out;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find("\n\n", start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view block = text.substr(start, end - start);
    start = end + 2;
    std::vector<std::string_view> lines = SplitView(block, '\n');
    bool verbatim = true;
    for (std::string_view line : lines) verbatim &= line.substr(0, 4) == "    ";
    if (!verbatim) {
      absl::StrAppendFormat(&out, ".PP\n%s\n", Roff(block));
      continue;
    }
    out += ".PP\n.RS 4\n.nf\n";
    for (std::string_view line : lines) absl::StrAppendFormat(&out, "%s\n", Roff(line.substr(4)));
    out += ".fi\n.RE\n";
  }
  return out;
}

std::string OptionItem(const CLI::Option& option) {
  std::vector<std::string> names;
  for (const std::string& name : option.get_snames()) names.push_back("\\fB\\-" + Roff(name) + "\\fR");
  for (const std::string& name : option.get_lnames()) {
    names.push_back("\\fB\\-\\-" + Roff(name) + "\\fR");
  }
  std::string head = Join(names, ", ");
  if (TakesValue(option)) head += " \\fI" + Roff(ValueName(option)) + "\\fR";
  std::string body = option.get_description();
  std::vector<std::string> choices = Choices(option);
  if (!choices.empty()) body += absl::StrFormat(". One of: %s", Join(choices, ", "));
  if (!option.get_default_str().empty()) {
    body += absl::StrFormat(". Default: %s", option.get_default_str());
  }
  if (option.get_required()) body += ". Required";
  return absl::StrFormat(".TP\n%s\n%s\n", head, Roff(body));
}

std::string Capitalized(std::string text) {
  if (!text.empty()) text[0] = static_cast<char>(std::toupper(text[0]));
  return text;
}

// "FILE", or "OBJECTS..." when it takes several.
std::string PositionalName(const CLI::Option& option) {
  std::string name = "\\fI" + Roff(Upper(option.get_single_name())) + "\\fR";
  return option.get_items_expected_max() > 1 ? name + "..." : name;
}

std::string PositionalItem(const CLI::Option& option) {
  return absl::StrFormat(".TP\n%s\n%s\n", PositionalName(option),
                         Roff(option.get_description()));
}

std::string Synopsis(const CLI::App& command) {
  std::string out = absl::StrFormat(".B %s\n[\\fIOPTIONS\\fR]", Roff(CommandPath(command)));
  for (const CLI::Option* positional : Positionals(command)) {
    out += " " + PositionalName(*positional);
  }
  return out + "\n";
}

std::string OptionList(const CLI::App& command) {
  std::string out;
  for (const CLI::Option* positional : Positionals(command)) out += PositionalItem(*positional);
  for (const CLI::Option* option : PageOptions(command)) out += OptionItem(*option);
  return out;
}

std::string PageName(const CLI::App* command) {
  return command == nullptr ? "kcontract" : "kcontract-" + command->get_name();
}

std::string SeeAlso(const CLI::App& app, const CLI::App* command) {
  std::vector<std::string> pages;
  if (command != nullptr) pages.push_back("\\fBkcontract\\fR(1)");
  for (const CLI::App* sub : VisibleSubcommands(app)) {
    if (sub != command) pages.push_back(absl::StrFormat("\\fB%s\\fR(1)", Roff(PageName(sub))));
  }
  pages.push_back("\\fBbpftool\\fR(8)");
  return Join(pages, ",\n") + "\n";
}

// ---- bash completion ----------------------------------------------------------

// How an option's value is completed.
std::string ValueCompletion(const CLI::Option& option) {
  std::vector<std::string> choices = Choices(option);
  if (!choices.empty()) return "words " + Join(choices, " ");
  std::string name = LongName(option);
  if (name == "kernel" || name == "base") return "kernel";
  if (name == "manifest") return "manifest";
  if (name == "match" || name == "name" || name == "revision" || name == "module") return "none";
  return "file";
}

void CollectCommands(const CLI::App& command, std::vector<const CLI::App*>* out) {
  out->push_back(&command);
  for (const CLI::App* sub : VisibleSubcommands(command)) CollectCommands(*sub, out);
}

// The command's path below kcontract: "" or "manifest init".
std::string RelativePath(const CLI::App& command) {
  std::string path = CommandPath(command);
  return path == "kcontract" ? std::string() : path.substr(std::string_view("kcontract ").size());
}

std::string CompletionTables(const CLI::App& app) {
  std::vector<const CLI::App*> commands;
  CollectCommands(app, &commands);
  std::string words = "_kcontract_words() {\n  case \"$1\" in\n";
  std::string values = "_kcontract_value() {\n  case \"$1:$2\" in\n";
  for (const CLI::App* command : commands) {
    std::vector<std::string> subs, options;
    for (const CLI::App* sub : VisibleSubcommands(*command)) subs.push_back(sub->get_name());
    for (const CLI::Option* option : CommandOptions(*command)) {
      for (const std::string& name : option->get_snames()) options.push_back("-" + name);
      for (const std::string& name : option->get_lnames()) options.push_back("--" + name);
      if (!TakesValue(*option)) continue;
      std::vector<std::string> spellings;
      for (const std::string& name : option->get_snames()) spellings.push_back("-" + name);
      for (const std::string& name : option->get_lnames()) spellings.push_back("--" + name);
      for (const std::string& spelling : spellings) {
        absl::StrAppendFormat(&values, "    \"%s:%s\") echo %s ;;\n", RelativePath(*command),
                              spelling, ValueCompletion(*option));
      }
    }
    const char* positional = Positionals(*command).empty() ? "" : "files";
    absl::StrAppendFormat(&words, "    \"%s\") echo \"%s|%s|%s\" ;;\n", RelativePath(*command),
                          Join(subs, " "), Join(options, " "), positional);
  }
  words += "  esac\n}\n";
  values += "    *) return 1 ;;\n  esac\n}\n";
  return words + values;
}

constexpr char kCompletionBody[] = R"(
_kcontract() {
  local cur=${COMP_WORDS[COMP_CWORD]} path="" word kind i
  COMPREPLY=()
  # The command being completed, from the words before the cursor; an
  # option's value is no command.
  for ((i = 1; i < COMP_CWORD; i++)); do
    word=${COMP_WORDS[i]}
    if [[ $word == -* ]]; then
      _kcontract_value "$path" "$word" >/dev/null && ((i++))
      continue
    fi
    local table subs
    table=$(_kcontract_words "$path")
    subs=" ${table%%|*} "
    [[ $subs == *" $word "* ]] && path=${path:+$path }$word
  done
  if ((COMP_CWORD > 1)) && kind=$(_kcontract_value "$path" "${COMP_WORDS[COMP_CWORD-1]}"); then
    case $kind in
      kernel)
        COMPREPLY=($(compgen -W running -- "$cur"))
        COMPREPLY+=($(compgen -f -- "$cur")) ;;
      manifest) COMPREPLY=($(compgen -f -X '!*.toml' -- "$cur") $(compgen -d -- "$cur")) ;;
      file) COMPREPLY=($(compgen -f -- "$cur")) ;;
      words\ *) COMPREPLY=($(compgen -W "${kind#words }" -- "$cur")) ;;
    esac
    [[ $kind == words\ * ]] || compopt -o filenames 2>/dev/null
    return 0
  fi
  local table subs options positional
  table=$(_kcontract_words "$path")
  subs=${table%%|*}; table=${table#*|}
  options=${table%%|*}; positional=${table#*|}
  if [[ $cur == -* ]]; then
    COMPREPLY=($(compgen -W "$options" -- "$cur"))
  elif [[ -n $subs ]]; then
    COMPREPLY=($(compgen -W "$subs" -- "$cur"))
  elif [[ -n $positional ]]; then
    compopt -o filenames 2>/dev/null
    COMPREPLY=($(compgen -f -- "$cur"))
  fi
  return 0
}
complete -F _kcontract kcontract
)";

absl::Status WriteText(const fs::path& path, const std::string& text) {
  return WriteFileAtomically(
      path.string(), ByteView(reinterpret_cast<const uint8_t*>(text.data()), text.size()));
}

}  // namespace

std::string ManPage(const CLI::App& app, const CLI::App* command) {
  const CLI::App& page = command != nullptr ? *command : app;
  std::string name = PageName(command);
  const CommandText* text = FindCommandText(command != nullptr ? command->get_name() : "");
  std::string description = page.get_description();
  if (command == nullptr) {
    // "kcontract: stability contracts ..." is the application's title.
    size_t colon = description.find(": ");
    if (colon != std::string::npos) description = description.substr(colon + 2);
  }
  std::string out = absl::StrFormat(
      ".\\\" Generated by `kcontract --write-docs` from its command line: do not edit.\n"
      ".TH %s 1 \"\" \"kcontract %s\" \"kcontract manual\"\n"
      ".SH NAME\n%s \\- %s\n.SH SYNOPSIS\n",
      Roff(Title(name)), KCONTRACT_VERSION, Roff(name), Roff(description));
  std::vector<const CLI::App*> verbs = VisibleSubcommands(page);
  if (command == nullptr) {
    out += ".B kcontract\n[\\fIOPTIONS\\fR] \\fICOMMAND\\fR [\\fIARGS\\fR]\n";
  } else if (verbs.empty()) {
    out += Synopsis(page);
  } else {
    for (size_t i = 0; i < verbs.size(); ++i) {
      if (i > 0) out += ".br\n";
      out += Synopsis(*verbs[i]);
    }
  }
  out += ".SH DESCRIPTION\n";
  absl::StrAppendFormat(&out, ".PP\n%s.\n", Roff(Capitalized(description)));
  if (text != nullptr) out += RoffBlocks(text->description);
  if (command == nullptr) {
    out += ".SH OPTIONS\n" + OptionList(app) + ".SH COMMANDS\n";
    for (const CLI::App* sub : verbs) {
      absl::StrAppendFormat(&out, ".TP\n\\fB%s\\fR\n%s. See \\fB%s\\fR(1).\n",
                            Roff(sub->get_name()), Roff(sub->get_description()),
                            Roff(PageName(sub)));
    }
  } else if (verbs.empty()) {
    out += ".SH OPTIONS\n" + OptionList(page);
  } else {
    out += ".SH COMMANDS\n";
    for (const CLI::App* verb : verbs) {
      absl::StrAppendFormat(&out, ".SS %s\n.PP\n%s.\n%s", Roff(CommandPath(*verb)),
                            Roff(verb->get_description()), OptionList(*verb));
    }
  }
  if (text != nullptr && *text->examples != '\0') {
    out += ".SH EXAMPLES\n" + RoffBlocks(text->examples);
  }
  out += ".SH EXIT STATUS\n" + RoffBlocks(kExitStatusText);
  out += ".SH FILES\n" + RoffBlocks(kFilesText);
  if (command == nullptr) out += ".SH ENVIRONMENT\n" + RoffBlocks(kEnvironmentText);
  out += ".SH SEE ALSO\n" + SeeAlso(app, command);
  return out;
}

std::string BashCompletion(const CLI::App& app) {
  return "# bash completion for kcontract                              -*- shell-script -*-\n"
         "# Generated by `kcontract --write-docs` from its command line: do not edit.\n\n" +
         CompletionTables(app) + kCompletionBody;
}

int WriteDocs(const CLI::App& app, const std::string& dir) {
  fs::path man = fs::path(dir) / "man1";
  fs::path completion = fs::path(dir) / "bash-completion";
  std::error_code error;
  fs::create_directories(man, error);
  if (!error) fs::create_directories(completion, error);
  if (error) {
    return ReportError(absl::UnavailableError(
        absl::StrFormat("%s: cannot create: %s", dir, error.message())));
  }
  std::vector<std::pair<fs::path, std::string>> files = {
      {man / "kcontract.1", ManPage(app, nullptr)},
      {completion / "kcontract", BashCompletion(app)}};
  for (const CLI::App* command : VisibleSubcommands(app)) {
    files.push_back({man / (PageName(command) + ".1"), ManPage(app, command)});
  }
  for (const auto& [path, text] : files) {
    absl::Status written = WriteText(path, text);
    if (!written.ok()) return ReportError(written);
  }
  return kExitOk;
}

}  // namespace kcontract::cli
