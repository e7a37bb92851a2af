// A finding as JSON, the one shape every report uses (check, lint, gate),
// and read back (gate merge joins the JSON results of shards). For the
// renderers in this folder (it includes nlohmann's header).
#ifndef KCONTRACT_ABI_REPORT_FINDING_JSON_H_
#define KCONTRACT_ABI_REPORT_FINDING_JSON_H_

#include <nlohmann/json.hpp>

#include "abi/finding/finding.h"
#include "absl/status/statusor.h"

namespace kcontract {

// severity, code, subject, program, message, effect, stage, guarded,
// optional; and for an instruction the verifier rejects if it reaches it,
// reach, reach_detail and the evidence per program.
nlohmann::ordered_json FindingJson(const Finding& finding);

// FindingJson's fields, plus "location" and "hint" when the document has
// them, back into a Finding; fails naming the first field it cannot read.
absl::StatusOr<Finding> FindingFromJson(const nlohmann::ordered_json& json);

// "loads" for kNone, else LoadStageName; and back.
std::string VerdictName(LoadStage verdict);
absl::StatusOr<LoadStage> VerdictFromName(std::string_view name);

}  // namespace kcontract

#endif  // KCONTRACT_ABI_REPORT_FINDING_JSON_H_
