// The man pages' prose (cli/docs.h renders it with the options).
#ifndef KCONTRACT_CLI_DOCS_TEXT_H_
#define KCONTRACT_CLI_DOCS_TEXT_H_

#include <string_view>

namespace kcontract::cli {

struct CommandText {
  const char* command;      // "" for kcontract(1), else the top-level command
  const char* description;  // after the command's one-line description
  const char* examples;
};

const CommandText* FindCommandText(std::string_view command);

extern const char* const kExitStatusText;
extern const char* const kFilesText;
extern const char* const kEnvironmentText;

}  // namespace kcontract::cli

#endif  // KCONTRACT_CLI_DOCS_TEXT_H_
