// Writing manifests from kernels: `kcontract manifest init` renders a new
// manifest, `kcontract manifest update` adds the revisions a kernel brings.
// Machines write signatures; people write everything else (levels, notes,
// links), so update only ever inserts text: it never rewrites, reorders or
// reformats a byte of the original, and proves it by re-reading the result.
#ifndef KCONTRACT_ABI_MANIFEST_MANIFEST_WRITER_H_
#define KCONTRACT_ABI_MANIFEST_MANIFEST_WRITER_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "abi/contract/contract.h"
#include "abi/contract/stability.h"
#include "abi/manifest/manifest_layout.h"
#include "absl/status/statusor.h"
#include "btfdiff/inventory/lazy_inventory.h"
#include "btfdiff/model/kernel_btf.h"
#include "btfdiff/model/signature.h"

namespace kcontract {

struct ManifestInitOptions {
  std::string contract_name;        // [contract] name; a token (letters, digits, _ - .)
  std::vector<std::string> match;   // shell globs over kfunc and struct_ops names
  // Written as `stability = ...` on every interface; nullopt writes a
  // commented-out line for the owner to fill in. Deprecated is refused: it
  // needs 'remove' and 'use', which only a person can write.
  std::optional<Stability> stability;
  std::string revision;             // revision name; "" : RevisionNameOf(kernel)
};

// The text of a new manifest: a header comment saying how it was generated,
// format_version, [contract], then one [[interface]] per matching kfunc and
// struct_ops type (by kind, then name) with one [[interface.revision]].
// Fails when a glob matches nothing, when no name is valid, or when the
// text would not read back exactly (checked with ParseManifest).
absl::StatusOr<std::string> RenderNewManifest(const KernelBtf& kernel,
                                              const ManifestInitOptions& options);

// The contract name `manifest init -o FILE` uses without --name: the file's
// stem ("bpf-thp.toml" -> "bpf-thp").
std::string ContractNameForFile(const std::string& path);

struct ManifestUpdateOptions {
  std::string revision;            // name of added revisions; "" : RevisionNameOf(kernel)
  // Limits the update to interfaces whose names match; empty: all of them.
  std::vector<std::string> match;
  // Also adds kernel kfuncs and struct_ops types matching `match` that the
  // manifest lacks (needs `match`).
  bool add_new = false;
};

enum class UpdateOutcome {
  kRecorded,        // the kernel's signature is a recorded revision: nothing to do
  kRevisionAdded,   // a new [[interface.revision]] was appended to the interface
  kInterfaceAdded,  // a new [[interface]] (with its revision) was appended
  kAbsent,          // in the manifest, not in this kernel: kept as it is
  kNotSelected,     // in the manifest, outside `match`: not looked at
};
// "recorded", "revision_added", "interface_added", "absent", "not_selected".
std::string_view UpdateOutcomeName(UpdateOutcome outcome);

struct UpdateEntry {
  InterfaceKind kind = InterfaceKind::kKfunc;
  std::string name;
  UpdateOutcome outcome = UpdateOutcome::kRecorded;
  std::string revision;  // recorded or added revision's name; "" otherwise
  Signature signature;   // the kernel's; empty when absent or not selected
  int line = 0;          // the interface's header in the original (0: added)
};

struct ManifestUpdate {
  std::string path;
  std::string kernel;              // RevisionNameOf(kernel)
  std::string text;                // the updated manifest
  std::vector<UpdateEntry> entries;  // manifest order, then added interfaces
  size_t Count(UpdateOutcome outcome) const;
  bool changed() const {
    return Count(UpdateOutcome::kRevisionAdded) + Count(UpdateOutcome::kInterfaceAdded) > 0;
  }
};

// The text of the manifest at `path`, read with the reader's size bound and
// refused when it is not UTF-8 (TOML documents are).
absl::StatusOr<std::string> ReadManifestText(const std::string& path);

// Adds to `original` (the text of the manifest at `path`) a revision for
// each interface the kernel has with a signature no recorded revision has,
// and with `add_new`, the kernel's matching interfaces it lacks. Nothing is
// deleted: an interface absent from the kernel is reported, not removed.
// Fails, changing nothing, when the manifest has errors; when a revision
// would have to go into an inline table (revision = [{...}]); when the
// revision name is already taken, in that interface, by another signature
// (give another with --revision: names are never made up); or when the
// result would not read back with every original field and revision
// unchanged.
absl::StatusOr<ManifestUpdate> UpdateManifestText(std::string_view original,
                                                  const std::string& path,
                                                  const KernelBtf& kernel,
                                                  const ManifestUpdateOptions& options);

// UpdateManifestText in its two steps, for a caller that updates one
// manifest from many kernels (the fuzz targets): the manifest read once,
// the kernel's inventory collected once.
struct ManifestForUpdate {
  std::string path;
  std::string text;
  Contract contract;
  ManifestLayout layout;  // where each interface of `contract` is in `text`
};
// Fails when the manifest has errors.
absl::StatusOr<ManifestForUpdate> ReadManifestForUpdate(std::string_view text,
                                                        const std::string& path);
absl::StatusOr<ManifestUpdate> UpdateManifest(const ManifestForUpdate& manifest,
                                              const LazyInventory& kernel,
                                              const ManifestUpdateOptions& options);

}  // namespace kcontract

#endif  // KCONTRACT_ABI_MANIFEST_MANIFEST_WRITER_H_
