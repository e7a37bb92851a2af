// Which contracts govern a run: the manifests installed with kcontract (by
// default), those named on the command line, and the stability tags of the
// kernel at hand (added by the caller, see stability_tags.h).
#ifndef KCONTRACT_ABI_MANIFEST_CONTRACT_LOADER_H_
#define KCONTRACT_ABI_MANIFEST_CONTRACT_LOADER_H_

#include <string>
#include <vector>

#include "abi/contract/contract.h"
#include "absl/status/statusor.h"

namespace kcontract {

struct ContractSources {
  // Manifest files, or directories whose *.toml files are read (sorted).
  std::vector<std::string> given;
  // false: only `given` (the CLI's --no-default-manifests).
  bool use_installed = true;
  // "" : InstalledManifestDir().
  std::string installed_dir;
};

// $KCONTRACT_MANIFEST_DIR when set; else <executable>/../share/kcontract/
// manifests when it exists (an installed tree, or the build tree, which
// mirrors it); else the configured install location.
std::string InstalledManifestDir();

// Fails on the first manifest with errors, with "file:line:col: message";
// warnings of usable manifests are appended to *warnings.
absl::StatusOr<ContractSet> LoadContracts(const ContractSources& sources,
                                          std::vector<std::string>* warnings);

}  // namespace kcontract

#endif  // KCONTRACT_ABI_MANIFEST_CONTRACT_LOADER_H_
