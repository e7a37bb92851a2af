#include "abi/manifest/manifest_validation.h"

#include <algorithm>
#include <optional>
#include <utility>

#include "abi/manifest/manifest_reader.h"
#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_format.h"

namespace kcontract {
namespace {

std::string LevelText(const std::optional<Stability>& stability) {
  return stability ? std::string(StabilityName(*stability)) : "given no level";
}

class CrossChecker {
 public:
  explicit CrossChecker(std::vector<Diagnostic>& out) : out_(out) {}

  void Add(const Contract& contract, const SourceLocation& contract_location) {
    CheckContractName(contract, contract_location);
    for (const Interface& interface : contract.interfaces) {
      CheckLevel(interface);
      known_names_.insert(interface.name);
    }
    contracts_.push_back(&contract);
  }

  // After every file: a replacement is often declared in another manifest,
  // so 'use' is checked against all of them.
  void CheckReplacements() {
    for (const Contract* contract : contracts_) {
      for (const Interface& interface : contract->interfaces) {
        if (interface.replacement.empty() || known_names_.contains(interface.replacement)) {
          continue;
        }
        out_.push_back(LocatedDiagnostic(
            interface.location, Severity::kNote,
            absl::StrFormat("%s %s names '%s' as its replacement ('use'), which no manifest "
                            "checked here declares",
                            InterfaceKindName(interface.kind), interface.name,
                            interface.replacement)));
      }
    }
  }

 private:
  void CheckContractName(const Contract& contract, const SourceLocation& location) {
    auto [it, inserted] = contract_names_.try_emplace(contract.name, location);
    if (inserted) return;
    out_.push_back(LocatedDiagnostic(location, Severity::kWarning,
                                     absl::StrFormat("contract '%s' is also declared at %s: "
                                                     "findings name contracts, so give each its "
                                                     "own name",
                                                     contract.name, FormatLocation(it->second))));
  }

  // Two levels for one interface: ContractSet lets the stricter govern, so
  // the laxer promise is never kept. An entry with no level records
  // revisions only and conflicts with nothing.
  void CheckLevel(const Interface& interface) {
    if (!interface.stability) return;
    auto key = std::make_pair(interface.kind, interface.name);
    auto [it, inserted] = levels_.try_emplace(key, &interface);
    if (inserted) return;
    const Interface& first = *it->second;
    if (first.stability == interface.stability) return;
    out_.push_back(LocatedDiagnostic(
        interface.location, Severity::kWarning,
        absl::StrFormat("%s %s is %s here but %s at %s (contract '%s'); where both manifests "
                        "are used, the stricter level governs",
                        InterfaceKindName(interface.kind), interface.name,
                        LevelText(interface.stability), LevelText(first.stability),
                        FormatLocation(first.location), first.contract)));
  }

  std::vector<Diagnostic>& out_;
  std::vector<const Contract*> contracts_;
  absl::flat_hash_map<std::string, SourceLocation> contract_names_;
  absl::flat_hash_map<std::pair<InterfaceKind, std::string>, const Interface*> levels_;
  absl::flat_hash_set<std::string> known_names_;
};

}  // namespace

ManifestCheckResult CheckManifests(const std::vector<std::string>& paths) {
  ManifestCheckResult result;
  result.files = paths;
  std::vector<std::vector<Diagnostic>> by_file(paths.size());
  std::vector<Contract> contracts;
  contracts.reserve(paths.size());  // CrossChecker keeps pointers into it
  std::vector<Diagnostic> cross;
  CrossChecker checker(cross);
  for (size_t i = 0; i < paths.size(); ++i) {
    ManifestReadResult read = ReadManifest(paths[i], ContractOrigin::kGiven);
    for (Diagnostic& diagnostic : read.diagnostics) {
      by_file[i].push_back(std::move(diagnostic));
    }
    if (!read.contract) continue;
    contracts.push_back(std::move(*read.contract));
    // The [contract] table is not located by the reader; its file is.
    checker.Add(contracts.back(), SourceLocation{paths[i], 0, 0});
  }
  checker.CheckReplacements();
  // Cross-file findings sit with the file they are reported in.
  for (Diagnostic& diagnostic : cross) {
    for (size_t i = 0; i < paths.size(); ++i) {
      if (paths[i] == diagnostic.location.file) {
        by_file[i].push_back(std::move(diagnostic));
        break;
      }
    }
  }
  for (std::vector<Diagnostic>& diagnostics : by_file) {
    std::stable_sort(diagnostics.begin(), diagnostics.end(),
                     [](const Diagnostic& a, const Diagnostic& b) {
                       return std::make_pair(a.location.line, a.location.column) <
                              std::make_pair(b.location.line, b.location.column);
                     });
    for (Diagnostic& diagnostic : diagnostics) result.diagnostics.push_back(std::move(diagnostic));
  }
  return result;
}

}  // namespace kcontract
