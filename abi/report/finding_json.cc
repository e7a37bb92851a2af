#include "abi/report/finding_json.h"

#include <string>

#include "absl/strings/str_format.h"

namespace kcontract {
namespace {

using nlohmann::ordered_json;

// The enumerator of `E` whose name is `name`, trying each of `count` values
// from 0 with `name_of`.
template <typename E, typename NameOf>
absl::StatusOr<E> EnumFromName(std::string_view name, int count, NameOf name_of,
                               std::string_view what) {
  for (int i = 0; i < count; ++i) {
    if (name_of(static_cast<E>(i)) == name) return static_cast<E>(i);
  }
  return absl::InvalidArgumentError(absl::StrFormat("unknown %s '%s'", what, name));
}

std::string StringAt(const ordered_json& json, const char* key) {
  auto it = json.find(key);
  return it != json.end() && it->is_string() ? it->get<std::string>() : std::string();
}

}  // namespace

ordered_json FindingJson(const Finding& f) {
  ordered_json j;
  j["severity"] = std::string(SeverityName(f.severity));
  j["code"] = f.code;
  j["subject"] = f.subject;
  j["program"] = f.program.empty() ? ordered_json(nullptr) : ordered_json(f.program);
  j["message"] = f.message;
  j["effect"] = std::string(LoadEffectName(f.effect));
  j["stage"] = std::string(LoadStageName(f.stage));
  j["guarded"] = f.guarded;
  j["optional"] = f.optional;
  if (f.effect == LoadEffect::kRejectedIfReached) {
    j["reach"] = std::string(ReachName(f.reach));
    if (!f.reach_detail.empty()) j["reach_detail"] = f.reach_detail;
    // Each instruction, per program that loads it: what a tool needs to
    // point at the line, without parsing the message.
    ordered_json evidence = ordered_json::array();
    for (const ReachEvidence& e : f.evidence) {
      ordered_json ej;
      ej["program"] = e.program;
      ej["instruction"] = e.insn;
      if (!e.location.file.empty()) {
        ej["file"] = e.location.file;
        ej["line"] = e.location.line;
        if (e.location.column > 0) ej["column"] = e.location.column;
        ej["source"] = e.source;
      }
      ej["reach"] = std::string(ReachName(e.reach));
      if (!e.detail.empty()) ej["detail"] = e.detail;
      evidence.push_back(std::move(ej));
    }
    j["evidence"] = std::move(evidence);
  }
  return j;
}

absl::StatusOr<Finding> FindingFromJson(const ordered_json& json) {
  if (!json.is_object()) return absl::InvalidArgumentError("a finding is not an object");
  Finding f;
  absl::StatusOr<Severity> severity = EnumFromName<Severity>(
      StringAt(json, "severity"), 3, SeverityName, "severity");
  if (!severity.ok()) return severity.status();
  f.severity = *severity;
  f.code = StringAt(json, "code");
  f.subject = StringAt(json, "subject");
  f.program = StringAt(json, "program");
  f.message = StringAt(json, "message");
  f.hint = StringAt(json, "hint");
  absl::StatusOr<LoadEffect> effect = EnumFromName<LoadEffect>(
      StringAt(json, "effect"), 5, LoadEffectName, "effect");
  if (!effect.ok()) return effect.status();
  f.effect = *effect;
  absl::StatusOr<LoadStage> stage =
      EnumFromName<LoadStage>(StringAt(json, "stage"), 8, LoadStageName, "stage");
  if (!stage.ok()) return stage.status();
  f.stage = *stage;
  f.guarded = json.value("guarded", false);
  f.optional = json.value("optional", false);
  if (auto it = json.find("location"); it != json.end() && it->is_object()) {
    f.location.file = StringAt(*it, "file");
    f.location.line = it->value("line", 0);
    f.location.column = it->value("column", 0);
  }
  if (json.contains("reach")) {
    absl::StatusOr<Reach> reach =
        EnumFromName<Reach>(StringAt(json, "reach"), 5, ReachName, "reach");
    if (!reach.ok()) return reach.status();
    f.reach = *reach;
    f.reach_detail = StringAt(json, "reach_detail");
  }
  if (auto it = json.find("evidence"); it != json.end() && it->is_array()) {
    for (const ordered_json& ej : *it) {
      ReachEvidence e;
      e.program = StringAt(ej, "program");
      e.insn = ej.value("instruction", 0u);
      e.location.file = StringAt(ej, "file");
      e.location.line = ej.value("line", 0);
      e.location.column = ej.value("column", 0);
      e.source = StringAt(ej, "source");
      absl::StatusOr<Reach> reach =
          EnumFromName<Reach>(StringAt(ej, "reach"), 5, ReachName, "reach");
      if (!reach.ok()) return reach.status();
      e.reach = *reach;
      e.detail = StringAt(ej, "detail");
      f.evidence.push_back(std::move(e));
    }
  }
  return f;
}

std::string VerdictName(LoadStage verdict) {
  return verdict == LoadStage::kNone ? "loads" : std::string(LoadStageName(verdict));
}

absl::StatusOr<LoadStage> VerdictFromName(std::string_view name) {
  if (name == "loads") return LoadStage::kNone;
  return EnumFromName<LoadStage>(name, 7, LoadStageName, "verdict");
}

}  // namespace kcontract
