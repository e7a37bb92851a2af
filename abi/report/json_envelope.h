// The envelope every JSON document kcontract prints starts with, in this
// order: "format_version" (the command's own schema version), "tool":
// "kcontract", "version": the release that wrote it; then the command's
// payload. Tools read the first three keys to know what they hold. For the
// renderers in this folder (it includes nlohmann's header).
#ifndef KCONTRACT_ABI_REPORT_JSON_ENVELOPE_H_
#define KCONTRACT_ABI_REPORT_JSON_ENVELOPE_H_

#include <string>

#include <nlohmann/json.hpp>

namespace kcontract {

// A document holding the envelope alone: the payload's keys follow.
nlohmann::ordered_json JsonEnvelope(int format_version);

// The document indented by 2, with a trailing newline. Names come from
// untrusted BTF, objects and manifests: invalid UTF-8 is replaced, never
// fatal.
std::string DumpJson(const nlohmann::ordered_json& document);

}  // namespace kcontract

#endif  // KCONTRACT_ABI_REPORT_JSON_ENVELOPE_H_
