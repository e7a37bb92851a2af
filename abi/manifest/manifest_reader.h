// Reads contract manifests: TOML files written and reviewed by people (the
// format is specified in STABILITY.md). Every mistake is reported with its
// file:line:col, all of them in one pass, as a compiler does.
#ifndef KCONTRACT_ABI_MANIFEST_MANIFEST_READER_H_
#define KCONTRACT_ABI_MANIFEST_MANIFEST_READER_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "abi/contract/contract.h"

namespace kcontract {

inline constexpr int kManifestFormatVersion = 1;

struct ManifestReadResult {
  std::optional<Contract> contract;  // nullopt when any error was found
  // Errors (the manifest cannot be used) and warnings, located.
  std::vector<Diagnostic> diagnostics;
  bool ok() const { return contract.has_value(); }
};

// Parses manifest text; `path` names it in locations and becomes
// Contract::path. Never fails otherwise: problems are diagnostics.
ManifestReadResult ParseManifest(std::string_view text, const std::string& path,
                                 ContractOrigin origin);

// "" when a manifest can name an interface of `kind` `name`, else the
// reader's error: kfuncs and struct_ops types are C identifiers, members
// 'table.member', kernel types named as in C.
std::string InterfaceNameProblem(InterfaceKind kind, std::string_view name);

// Reads the file at `path` (bounded in size) and parses it.
ManifestReadResult ReadManifest(const std::string& path, ContractOrigin origin);

}  // namespace kcontract

#endif  // KCONTRACT_ABI_MANIFEST_MANIFEST_READER_H_
