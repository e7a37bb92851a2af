// Where each [[interface]] of a manifest lies in its text: what `manifest
// update` needs to append a revision to an interface without touching a
// byte a person wrote. Read with toml++'s source positions, so multi-line
// strings, comments and odd spacing cannot fool it.
#ifndef KCONTRACT_ABI_MANIFEST_MANIFEST_LAYOUT_H_
#define KCONTRACT_ABI_MANIFEST_MANIFEST_LAYOUT_H_

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

namespace kcontract {

struct InterfaceSpan {
  int header_line = 0;  // the line of its [[interface]] header (1-based)
  // The last line holding any of its keys or values, revisions included:
  // a new revision goes right after it, before any comments or blank lines
  // that lead up to the next header.
  int last_line = 0;
  // false when the interface is an inline table (interface = [{...}]).
  bool is_header_table = true;
  // The line of an inline table in its 'revision' array (revision =
  // [{...}]), 0 when every revision is an [[interface.revision]] table:
  // nothing can be appended to an inline array from outside it.
  int inline_revision_line = 0;
};

struct ManifestLayout {
  std::vector<InterfaceSpan> interfaces;  // in the order of the 'interface' array
};

// Fails with "path:line:col: message" when the text is not TOML.
absl::StatusOr<ManifestLayout> ReadManifestLayout(std::string_view text, const std::string& path);

}  // namespace kcontract

#endif  // KCONTRACT_ABI_MANIFEST_MANIFEST_LAYOUT_H_
