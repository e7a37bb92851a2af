// --libbpf VERSION (check, gate) and --libbpf-min VERSION (lint).
#include "abi/libbpf/libbpf_version.h"
#include "cli/commands.h"

namespace kcontract::cli {

void AddLibbpfOption(CLI::App* command, const std::string& name, std::string* version,
                     const std::string& help) {
  command->add_option(name, *version, help)
      ->type_name("VERSION")
      ->check(CLI::Validator(
          [](std::string& text) -> std::string {
            absl::StatusOr<LibbpfVersion> parsed = ParseLibbpfVersion(text);
            return parsed.ok() ? std::string() : std::string(parsed.status().message());
          },
          "1.1..1.7", "LIBBPF_VERSION"));
}

std::optional<LibbpfVersion> LibbpfOption(const std::string& version) {
  if (version.empty()) return std::nullopt;
  absl::StatusOr<LibbpfVersion> parsed = ParseLibbpfVersion(version);
  if (!parsed.ok()) return std::nullopt;  // CLI11 refused it already
  return *parsed;
}

}  // namespace kcontract::cli
