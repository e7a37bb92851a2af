// The command line as people meet it: "did you mean" for misspelled
// commands, options and `running`; the man pages and the bash completion
// the build writes from the command line (cli/docs.h), checked against what
// --help says.
#include <filesystem>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include "btfdiff/base/text.h"
#include "gtest/gtest.h"
#include "tests/test_support.h"

namespace kcontract {
namespace {

namespace fs = std::filesystem;
using testing::CommandResult;
using testing::ReadFileOrDie;
using testing::RunCli;
using testing::RunCommand;
using testing::ShellQuote;

bool Has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

size_t Count(const std::string& text, const std::string& part) {
  size_t count = 0;
  for (size_t at = text.find(part); at != std::string::npos; at = text.find(part, at + 1)) {
    ++count;
  }
  return count;
}

// ---- did you mean ------------------------------------------------------------

TEST(DidYouMean, AMisspelledCommandNamesTheCommandMeant) {
  CommandResult result = RunCli("chek x.o");
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_EQ(result.err,
            "kcontract: error: 'chek' is not a 'kcontract' command (did you mean 'check'?)\n"
            "Run with --help for more information.\n");
  result = RunCli("manifest updat m.toml");
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_TRUE(Has(result.err, "'updat' is not a 'kcontract manifest' command (did you mean "
                              "'update'?)"))
      << result.err;
}

TEST(DidYouMean, AWordFarFromEveryCommandListsThem) {
  CommandResult result = RunCli("kernel frobnicate");
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_TRUE(Has(result.err, "'frobnicate' is not a 'kcontract kernel' command; its commands "
                              "are show, kfuncs, struct-ops, snapshot\n"))
      << result.err;
}

TEST(DidYouMean, AMisspelledOptionNamesTheOptionMeant) {
  CommandResult result = RunCli("check --kernl running x.o");
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_TRUE(Has(result.err, "'--kernl' is not an option of 'kcontract check' (did you mean "
                              "'--kernel'?)"))
      << result.err;
  // An option of the application is accepted after a command, and suggested.
  result = RunCli("kernel show --jsn");
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_TRUE(Has(result.err, "(did you mean '--json'?)")) << result.err;
  result = RunCli("lint --no-default-manifest x.o");
  EXPECT_TRUE(Has(result.err, "(did you mean '--no-default-manifests'?)")) << result.err;
}

TEST(DidYouMean, RefusalsAboutValuesKeepCli11sOwnMessage) {
  // Every word is known: the refusal is about the value.
  CommandResult result = RunCli("--format yaml kernel show");
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_FALSE(Has(result.err, "did you mean")) << result.err;
  EXPECT_TRUE(Has(result.err, "yaml")) << result.err;
}

TEST(DidYouMean, AMisspelledRunningKernelIsNamed) {
  fs::path dir = testing::ScratchDir("DidYouMeanRunning");
  // Run where no file is called "runing".
  CommandResult result =
      RunCommand("cd " + ShellQuote(dir.string()) + " && " + KCONTRACT_CLI +
                 " kernel show --kernel runing");
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_EQ(result.err,
            "kcontract: error: runing: no such file or directory (did you mean 'running'?)\n");
  // A path far from "running" gets no suggestion.
  result = RunCli("kernel show --kernel /no/such/kernel");
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_FALSE(Has(result.err, "did you mean")) << result.err;
}

TEST(MissingManifest, ItsPathIsPrintedOnce) {
  fs::path missing = testing::ScratchDir("MissingManifest") / "absent.toml";
  for (std::string command : {"manifest check ", "lint x.o --manifest ", "probe --manifest "}) {
    CommandResult result = RunCli(command + ShellQuote(missing.string()));
    std::string said = result.out + result.err;
    EXPECT_NE(result.exit_code, 0) << command;
    EXPECT_EQ(Count(said, missing.string()), 1u) << command << said;
    EXPECT_TRUE(Has(said, "cannot open: No such file or directory")) << command << said;
  }
}

// ---- man pages against --help ---------------------------------------------

fs::path DocsDir() { return fs::path(KCONTRACT_DOCS_DIR); }

std::string ReadText(const fs::path& path) {
  Bytes bytes = ReadFileOrDie(path);
  return std::string(bytes.begin(), bytes.end());
}

// The option names --help lists: "-k,--kernel SRC ..." gives -k and --kernel.
std::set<std::string> HelpOptions(const std::string& help) {
  std::set<std::string> names;
  static const std::regex kOptionLine(R"(^  (-[^ ]+))");
  for (std::string_view line : SplitView(help, '\n')) {
    std::string text(line);
    std::smatch match;
    if (!std::regex_search(text, match, kOptionLine)) continue;
    std::string spellings = match[1].str();
    for (std::string_view name : SplitView(spellings, ',')) names.emplace(name);
  }
  return names;
}

// The subcommands --help lists under "Subcommands:".
std::vector<std::string> HelpSubcommands(const std::string& help) {
  std::vector<std::string> names;
  size_t at = help.find("Subcommands:\n");
  if (at == std::string::npos) return names;
  static const std::regex kCommandLine(R"(^  ([a-z][a-z-]*) )");
  std::string_view listed = std::string_view(help).substr(at);
  for (std::string_view line : SplitView(listed, '\n')) {
    std::string text(line);
    std::smatch match;
    if (std::regex_search(text, match, kCommandLine)) names.push_back(match[1].str());
  }
  return names;
}

// The text a reader of the page sees for `text`: roff's escapes undone.
std::string Unroff(std::string text) {
  text = std::regex_replace(text, std::regex(R"(\\f[BIR])"), "");
  text = std::regex_replace(text, std::regex(R"(\\-)"), "-");
  text = std::regex_replace(text, std::regex(R"(\\&)"), "");
  return std::regex_replace(text, std::regex(R"(\\e)"), "\\");
}

// The first line of --help: the command's description.
std::string HelpDescription(const std::string& help) { return help.substr(0, help.find('\n')); }

struct Command {
  std::string path;  // "manifest init"
  std::string page;  // "kcontract-manifest.1"
};

std::vector<Command> EveryCommand() {
  std::vector<Command> commands;
  CommandResult top = RunCli("--help");
  for (const std::string& name : HelpSubcommands(top.out)) {
    std::string page = "kcontract-" + name + ".1";
    commands.push_back({name, page});
    for (const std::string& verb : HelpSubcommands(RunCli(name + " --help").out)) {
      commands.push_back({name + " " + verb, page});
    }
  }
  return commands;
}

TEST(ManPages, OneForKcontractAndOneForEachCommand) {
  CommandResult top = RunCli("--help");
  ASSERT_EQ(top.exit_code, 0);
  std::vector<std::string> names = HelpSubcommands(top.out);
  ASSERT_EQ(names, (std::vector<std::string>{"kernel", "btf", "object", "check", "gate", "lint", "diff",
                                             "probe", "manifest"}));
  std::set<std::string> expected = {"kcontract.1"};
  for (const std::string& name : names) expected.insert("kcontract-" + name + ".1");
  std::set<std::string> written;
  for (const auto& entry : fs::directory_iterator(DocsDir() / "man1")) {
    written.insert(entry.path().filename().string());
  }
  EXPECT_EQ(written, expected);
  std::string page = Unroff(ReadText(DocsDir() / "man1" / "kcontract.1"));
  for (const std::string& name : names) {
    EXPECT_TRUE(Has(page, "kcontract-" + name + "(1)")) << name;
  }
}

TEST(ManPages, EveryCommandsOptionsAndDescriptionAreThoseOfItsHelp) {
  std::vector<Command> commands = EveryCommand();
  ASSERT_GE(commands.size(), 15u);
  for (const Command& command : commands) {
    SCOPED_TRACE(command.path);
    CommandResult help = RunCli(command.path + " --help");
    ASSERT_EQ(help.exit_code, 0);
    std::string page = Unroff(ReadText(DocsDir() / "man1" / command.page));
    // The section of the page that documents this command: the whole page
    // of a command without verbs, the verb's subsection otherwise.
    std::string section = page;
    size_t verb = command.path.find(' ');
    if (verb != std::string::npos) {
      size_t start = page.find(".SS kcontract " + command.path + "\n");
      ASSERT_NE(start, std::string::npos);
      size_t end = page.find(".SS ", start + 1);
      if (end == std::string::npos) end = page.find(".SH ", start);
      section = page.substr(start, end - start);
    }
    EXPECT_TRUE(Has(section, HelpDescription(help.out))) << HelpDescription(help.out);
    // A command with verbs ("kernel") takes no options of its own: its
    // verbs' subsections list theirs.
    if (!HelpSubcommands(help.out).empty()) continue;
    std::set<std::string> help_options = HelpOptions(help.out);
    ASSERT_FALSE(help_options.empty());
    for (const std::string& option : help_options) {
      EXPECT_TRUE(Has(section, option + "\n") || Has(section, option + ", ") ||
                  Has(section, option + " "))
          << option << " is in --help but not in " << command.page;
    }
    // And nothing the command does not take: every option the page names
    // for it is in --help, or is one of the application's own.
    static const std::regex kPageOption(R"(\.TP\n(-[-a-z]+)(, (--[-a-z]+))?)");
    for (std::sregex_iterator it(section.begin(), section.end(), kPageOption);
         it != std::sregex_iterator(); ++it) {
      for (int group : {1, 3}) {
        std::string name = (*it)[group].str();
        if (name.empty() || name == "-j" || name == "--json" || name == "--format") continue;
        EXPECT_TRUE(help_options.count(name)) << name << " is in " << command.page
                                              << " but not in --help";
      }
    }
  }
}

TEST(ManPages, ManReadsThemWithoutWarnings) {
  if (!testing::HaveTool("groff")) GTEST_SKIP() << "needs groff";
  for (const auto& entry : fs::directory_iterator(DocsDir() / "man1")) {
    CommandResult result = RunCommand("groff -man -Tutf8 -ww -z " +
                                      ShellQuote(entry.path().string()));
    EXPECT_EQ(result.exit_code, 0) << entry.path();
    EXPECT_EQ(result.err, "") << entry.path();
  }
}

// ---- bash completion --------------------------------------------------------

// What the completion offers for the words typed (the last one being
// completed), one per line, sorted.
std::string Complete(const std::string& line) {
  std::string script = "source " + ShellQuote((DocsDir() / "bash-completion" / "kcontract").string()) +
                       "; COMP_WORDS=(" + line + "); COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); "
                       "_kcontract; printf '%s\\n' \"${COMPREPLY[@]}\" | sort";
  CommandResult result = RunCommand("bash -c " + ShellQuote(script));
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.err, "");
  return result.out;
}

TEST(BashCompletion, IsValidBash) {
  CommandResult result =
      RunCommand("bash -n " + ShellQuote((DocsDir() / "bash-completion" / "kcontract").string()));
  EXPECT_EQ(result.exit_code, 0) << result.err;
}

TEST(BashCompletion, CompletesCommandsVerbsAndOptions) {
  EXPECT_EQ(Complete("kcontract ch"), "check\n");
  EXPECT_EQ(Complete("kcontract manifest ''"), "check\ninit\nupdate\n");
  EXPECT_EQ(Complete("kcontract --json kernel k"), "kfuncs\n");
  EXPECT_EQ(Complete("kcontract diff --ker"), "--kernel\n");
  EXPECT_EQ(Complete("kcontract manifest init --st"), "--stability\n");
  // An option's value is not taken for a command.
  EXPECT_EQ(Complete("kcontract check --kernel running --no-def"), "--no-default-manifests\n");
}

TEST(BashCompletion, CompletesRunningAndChoices) {
  EXPECT_EQ(Complete("kcontract check --kernel run"), "running\n");
  EXPECT_EQ(Complete("kcontract probe -k run"), "running\n");
  EXPECT_EQ(Complete("kcontract manifest init --stability ''"),
            "experimental\nstable\nwithdrawn\n");
  EXPECT_EQ(Complete("kcontract --format ''"), "json\ntext\n");
}

}  // namespace
}  // namespace kcontract
