#include "abi/manifest/contract_loader.h"

#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <system_error>

#include "abi/manifest/manifest_reader.h"
#include "absl/strings/str_format.h"

#ifndef KCONTRACT_MANIFEST_DIR
#define KCONTRACT_MANIFEST_DIR "/usr/local/share/kcontract/manifests"
#endif

namespace kcontract {
namespace {

namespace fs = std::filesystem;

std::string ExecutableDir() {
  std::error_code error;
  fs::path exe = fs::read_symlink("/proc/self/exe", error);
  return error ? std::string() : exe.parent_path().string();
}

// A directory's *.toml files in name order, so that results do not depend
// on the file system's order.
absl::StatusOr<std::vector<std::string>> ManifestsIn(const std::string& dir) {
  std::error_code error;
  std::vector<std::string> files;
  for (fs::directory_iterator it(dir, error), end; !error && it != end; it.increment(error)) {
    if (it->path().extension() == ".toml" && it->is_regular_file(error)) {
      files.push_back(it->path().string());
    }
  }
  if (error) {
    return absl::UnavailableError(
        absl::StrFormat("%s: cannot list manifests: %s", dir, error.message()));
  }
  std::sort(files.begin(), files.end());
  return files;
}

absl::Status AddManifest(const std::string& path, ContractOrigin origin, ContractSet& set,
                         std::vector<std::string>* warnings) {
  ManifestReadResult result = ReadManifest(path, origin);
  for (const Diagnostic& diagnostic : result.diagnostics) {
    if (diagnostic.severity == Severity::kError) {
      return absl::InvalidArgumentError(
          absl::StrFormat("%s: %s", FormatLocation(diagnostic.location), diagnostic.message));
    }
    if (warnings != nullptr) warnings->push_back(FormatDiagnosticLine(diagnostic));
  }
  set.Add(std::move(*result.contract));
  return absl::OkStatus();
}

absl::Status AddPath(const std::string& path, ContractOrigin origin, ContractSet& set,
                     std::vector<std::string>* warnings) {
  std::error_code error;
  if (!fs::is_directory(path, error)) return AddManifest(path, origin, set, warnings);
  absl::StatusOr<std::vector<std::string>> files = ManifestsIn(path);
  if (!files.ok()) return files.status();
  for (const std::string& file : *files) {
    absl::Status status = AddManifest(file, origin, set, warnings);
    if (!status.ok()) return status;
  }
  return absl::OkStatus();
}

}  // namespace

std::string InstalledManifestDir() {
  if (const char* dir = std::getenv("KCONTRACT_MANIFEST_DIR"); dir != nullptr && *dir != '\0') {
    return dir;
  }
  std::string exe_dir = ExecutableDir();
  if (!exe_dir.empty()) {
    fs::path beside = fs::path(exe_dir) / ".." / "share" / "kcontract" / "manifests";
    std::error_code error;
    if (fs::is_directory(beside, error)) return beside.lexically_normal().string();
  }
  return KCONTRACT_MANIFEST_DIR;
}

absl::StatusOr<ContractSet> LoadContracts(const ContractSources& sources,
                                          std::vector<std::string>* warnings) {
  ContractSet set;
  if (sources.use_installed) {
    std::string dir = sources.installed_dir.empty() ? InstalledManifestDir() : sources.installed_dir;
    std::error_code error;
    if (fs::is_directory(dir, error)) {
      absl::Status status = AddPath(dir, ContractOrigin::kInstalled, set, warnings);
      if (!status.ok()) return status;
    } else if (warnings != nullptr) {
      warnings->push_back(absl::StrFormat(
          "%s: no installed manifests (set KCONTRACT_MANIFEST_DIR or use --manifest)", dir));
    }
  }
  for (const std::string& path : sources.given) {
    absl::Status status = AddPath(path, ContractOrigin::kGiven, set, warnings);
    if (!status.ok()) return status;
  }
  return set;
}

}  // namespace kcontract
