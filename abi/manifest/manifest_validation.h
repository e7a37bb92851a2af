// `kcontract manifest check`: every file read as the reader reads it
// (manifest_reader.h), then what no single file can show: the same
// interface given different levels by two manifests, one contract name
// declared twice, a replacement ('use') no manifest declares.
#ifndef KCONTRACT_ABI_MANIFEST_MANIFEST_VALIDATION_H_
#define KCONTRACT_ABI_MANIFEST_MANIFEST_VALIDATION_H_

#include <string>
#include <string_view>
#include <vector>

#include "abi/contract/contract.h"

namespace kcontract {

struct ManifestCheckResult {
  std::vector<std::string> files;            // as given
  std::vector<Diagnostic> diagnostics;  // by file (as given), then line and column;
                                        // CountDiagnostics counts them
};

// Reads each manifest (bounded in size) and cross-checks the readable ones.
ManifestCheckResult CheckManifests(const std::vector<std::string>& paths);

}  // namespace kcontract

#endif  // KCONTRACT_ABI_MANIFEST_MANIFEST_VALIDATION_H_
