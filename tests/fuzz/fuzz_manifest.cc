// Contract manifests: as `manifest check`, `--manifest` (lint, check, probe,
// diff) and `manifest update` read them. A manifest that reads without
// errors goes through every consumer of contracts, and its update from the
// real kernel must read back as the manifest plus what it added.
#include "abi/manifest/contract_loader.h"
#include "abi/manifest/manifest_validation.h"
#include "abi/manifest/manifest_writer.h"
#include "abi/report/manifest_report.h"
#include "tests/fuzz/fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace kcontract;
  const fuzz::Fixtures& f = fuzz::GetFixtures();
  std::string path = fuzz::WriteScratchFile("fuzz.toml", data, size);

  ManifestCheckResult checked = CheckManifests({path});
  for (OutputFormat format : {OutputFormat::kText, OutputFormat::kJson}) {
    fuzz::Consume(RenderManifestCheck(checked, format));
  }

  // LoadContracts reads a given manifest as CheckManifests does (ReadManifest):
  // one that check rejects fails to load the same way, so only accepted
  // ones are loaded, each of which must load. Rejected inputs, most of what
  // the fuzzer makes, are parsed once where they were parsed twice.
  if (CountDiagnostics(checked.diagnostics).errors > 0) return 0;
  ContractSources sources;
  sources.use_installed = false;
  sources.given = {path};
  std::vector<std::string> warnings;
  absl::StatusOr<ContractSet> loaded = LoadContracts(sources, &warnings);

  if (!loaded.ok()) {
    fuzz::Broken("manifest check accepts a manifest that does not load",
                 std::string(loaded.status().message()));
  }
  std::vector<Contract> extra;
  for (const auto& contract : loaded->contracts()) extra.push_back(*contract);
  fuzz::ExerciseContracts(std::move(extra));

  absl::StatusOr<std::string> text = ReadManifestText(path);
  if (!text.ok()) return 0;
  // UpdateManifestText's two steps, so that the real kernel's inventory is
  // collected once for every input.
  absl::StatusOr<ManifestForUpdate> manifest = ReadManifestForUpdate(*text, path);
  fuzz::ExpectNoWriterDefect(manifest.status(), "a manifest that reads cannot be located");
  if (!manifest.ok()) return 0;
  absl::StatusOr<ManifestUpdate> update =
      UpdateManifest(*manifest, f.real_target->inventory(), ManifestUpdateOptions());
  // An update that would not read back as the original plus what it added
  // is refused as the writer's defect (kInternal): a good manifest made bad.
  fuzz::ExpectNoWriterDefect(update.status(), "an update made a good manifest bad");
  if (!update.ok()) return 0;
  for (OutputFormat format : {OutputFormat::kText, OutputFormat::kJson}) {
    fuzz::Consume(RenderManifestUpdate(*update, format));
  }
  return 0;
}
