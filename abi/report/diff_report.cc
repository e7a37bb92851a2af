#include "abi/report/diff_report.h"

#include <nlohmann/json.hpp>

#include "abi/report/json_envelope.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_format.h"
#include "btfdiff/base/text.h"

namespace kcontract {
namespace {

using nlohmann::ordered_json;

// Runs of this many moved members of one type or more print as one line.
constexpr size_t kMovedRun = 3;
constexpr size_t kMovedNamed = 5;

struct InterfaceCounts {
  int added = 0;
  int removed = 0;
  int changed = 0;  // distinct interfaces with other changes
};

struct Counts {
  InterfaceCounts kfuncs;
  InterfaceCounts struct_ops;
  int types_changed = 0;
  int breaking = 0;
  int needs_review = 0;
  int compatible = 0;
};

Counts CountChanges(const KernelDiff& diff) {
  Counts c;
  absl::flat_hash_set<std::string> kfuncs, struct_ops, types;
  for (const AbiChange& change : diff.changes) {
    switch (change.kind) {
      case ChangeKind::kKfuncAdded: ++c.kfuncs.added; break;
      case ChangeKind::kKfuncRemoved: ++c.kfuncs.removed; break;
      case ChangeKind::kStructOpsAdded: ++c.struct_ops.added; break;
      case ChangeKind::kStructOpsRemoved: ++c.struct_ops.removed; break;
      default:
        if (change.subject_kind == SubjectKind::kKfunc) kfuncs.insert(change.subject);
        if (change.subject_kind == SubjectKind::kStructOps) struct_ops.insert(change.subject);
        if (change.subject_kind == SubjectKind::kType) types.insert(change.subject);
    }
    switch (change.compatibility) {
      case Compatibility::kBreaking: ++c.breaking; break;
      case Compatibility::kNeedsReview: ++c.needs_review; break;
      case Compatibility::kCompatible: ++c.compatible; break;
    }
  }
  c.kfuncs.changed = static_cast<int>(kfuncs.size());
  c.struct_ops.changed = static_cast<int>(struct_ops.size());
  c.types_changed = static_cast<int>(types.size());
  return c;
}

bool StartsWith(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

// Items whose before and after are whole prototypes or declarations: they
// go on lines of their own.
bool ShowsWasNow(const AbiChange& change) {
  return StartsWith(change.item, "arguments") ||
         (change.kind == ChangeKind::kStructOpsMemberChanged &&
          (change.item == "kind" || change.item == "type"));
}

// "added: int f(void)", or "added" when there is nothing to show.
std::string Labelled(std::string_view label, const std::string& text) {
  return text.empty() ? std::string(label) : absl::StrFormat("%s: %s", label, text);
}

std::string What(const AbiChange& change) {
  const std::string& item = change.item;
  const std::string arrow = absl::StrFormat("%s -> %s", change.old_text, change.new_text);
  switch (change.kind) {
    case ChangeKind::kKfuncAdded: return Labelled("added", change.new_text);
    case ChangeKind::kKfuncRemoved: return Labelled("removed", change.old_text);
    case ChangeKind::kKfuncProtoChanged:
      return ShowsWasNow(change) ? item : item + ": " + arrow;
    case ChangeKind::kKfuncFlagsChanged:
      if (change.old_text.empty()) return "flag +" + item;
      if (change.new_text.empty()) return "flag -" + item;
      return item + ": " + arrow;
    case ChangeKind::kKfuncModuleChanged: return "module: " + arrow;
    case ChangeKind::kStructOpsAdded: return "added";
    case ChangeKind::kStructOpsRemoved: return "removed";
    case ChangeKind::kStructOpsMemberAdded:
      return absl::StrFormat("member %s added: %s", change.member, change.new_text);
    case ChangeKind::kStructOpsMemberRemoved:
      return absl::StrFormat("member %s removed: %s", change.member, change.old_text);
    case ChangeKind::kStructOpsMemberChanged:
      if (ShowsWasNow(change)) return absl::StrFormat("member %s: %s", change.member, item);
      return absl::StrFormat("member %s: %s: %s", change.member, item, arrow);
    case ChangeKind::kTypeMemberAdded: return item + " added: " + change.new_text;
    case ChangeKind::kTypeMemberRemoved: return item + " removed: " + change.old_text;
    case ChangeKind::kTypeMemberMoved: return item + " moved: " + arrow;
    case ChangeKind::kTypeMemberResized: return item + " resized: " + arrow;
    case ChangeKind::kTypeMemberRetyped: return item + " retyped: " + arrow;
    case ChangeKind::kTypeSizeChanged: return "size: " + arrow;
    case ChangeKind::kEnumeratorAdded: return item + " added: = " + change.new_text;
    case ChangeKind::kEnumeratorRemoved: return item + " removed: was " + change.old_text;
    case ChangeKind::kEnumeratorValueChanged: return item + ": " + arrow;
  }
  return item;
}

std::string Tags(const AbiChange& change, const JudgedChange& judged, bool with_sides) {
  std::vector<std::string> tags = {std::string(CompatibilityName(change.compatibility))};
  if (with_sides) tags.push_back(Join(SideNames(change.sides), "+"));
  if (judged.stability) {
    tags.push_back(absl::StrFormat("%s: %s", StabilityName(*judged.stability),
                                   judged.governed_by));
  }
  return "[" + Join(tags, ", ") + "]";
}

std::string SubjectHeading(const AbiChange& change) {
  std::string out = absl::StrFormat("%s %s", SubjectKindName(change.subject_kind), change.subject);
  if (change.module) out += absl::StrFormat(" (%s)", *change.module);
  return out;
}

// "type struct sock (caller+implementer) from bbr_main, tcp_congestion_ops and 3 more,
// via bbr_main argument 1"
std::string TypeHeader(const AbiChange& change) {
  std::vector<std::string> names;
  for (size_t i = 0; i < change.reached_from.size() && i < kDiffTextInterfaces; ++i) {
    names.push_back(change.reached_from[i].name);
  }
  std::string from = Join(names, ", ");
  if (change.reached_from.size() > kDiffTextInterfaces) {
    from += absl::StrFormat(" and %u more", change.reached_from.size() - kDiffTextInterfaces);
  }
  return absl::StrFormat("type %s (%s) from %s, via %s\n", change.subject,
                         Join(SideNames(change.sides), "+"), from, change.path);
}

void AppendWhy(std::string& out, const AbiChange& change, std::string_view indent) {
  if (change.compatibility == Compatibility::kCompatible) return;
  absl::StrAppendFormat(&out, "%s  why: %s\n", indent, change.reason);
}

// The length of the run of moved members starting at `i` that print alike.
size_t MovedRun(const KernelDiff& diff, const DiffVerdict& verdict, size_t i) {
  const AbiChange& first = diff.changes[i];
  size_t end = i;
  while (end < diff.changes.size()) {
    const AbiChange& c = diff.changes[end];
    if (c.kind != ChangeKind::kTypeMemberMoved || c.subject != first.subject ||
        c.compatibility != first.compatibility ||
        verdict.changes[end].severity != verdict.changes[i].severity) {
      break;
    }
    ++end;
  }
  return end - i;
}

std::string RenderText(const KernelDiff& diff, const DiffVerdict& verdict) {
  Counts c = CountChanges(diff);
  std::string out = absl::StrFormat("kcontract diff %s -> %s\n", diff.old_kernel, diff.new_kernel);
  absl::StrAppendFormat(&out, "kfuncs: +%d -%d ~%d; struct_ops: +%d -%d ~%d; types: ~%d\n",
                        c.kfuncs.added, c.kfuncs.removed, c.kfuncs.changed, c.struct_ops.added,
                        c.struct_ops.removed, c.struct_ops.changed, c.types_changed);
  absl::StrAppendFormat(&out,
                        "%d breaking, %d needs review, %d compatible; %d errors, %d warnings, "
                        "%d notes\n",
                        c.breaking, c.needs_review, c.compatible, verdict.errors,
                        verdict.warning_count, verdict.notes);
  for (const std::string& note : diff.notes) absl::StrAppendFormat(&out, "note: %s\n", note);
  for (const DiffWarning& w : verdict.warnings) absl::StrAppendFormat(&out, "warning: %s\n", w.message);
  if (diff.changes.empty()) return out;
  out += "\n";
  std::string type_subject;
  for (size_t i = 0; i < diff.changes.size(); ++i) {
    const AbiChange& change = diff.changes[i];
    const JudgedChange& judged = verdict.changes[i];
    const bool is_type = change.subject_kind == SubjectKind::kType;
    if (is_type && change.subject != type_subject) {
      type_subject = change.subject;
      out += TypeHeader(change);
    }
    const std::string indent = is_type ? "  " : "";
    const std::string severity(SeverityName(judged.severity));
    if (change.kind == ChangeKind::kTypeMemberMoved) {
      size_t run = MovedRun(diff, verdict, i);
      if (run >= kMovedRun) {
        std::vector<std::string> names;
        for (size_t j = i; j < i + run && names.size() < kMovedNamed; ++j) {
          names.push_back(diff.changes[j].item.substr(std::string_view("member ").size()));
        }
        std::string list = Join(names, ", ");
        if (run > kMovedNamed) list += absl::StrFormat(" and %u more", run - kMovedNamed);
        absl::StrAppendFormat(&out, "%s%s: %u members moved: %s %s\n", indent, severity, run,
                              list, Tags(change, judged, false));
        AppendWhy(out, change, indent);
        i += run - 1;
        continue;
      }
    }
    std::string heading = is_type ? What(change) : SubjectHeading(change) + ": " + What(change);
    absl::StrAppendFormat(&out, "%s%s: %s %s\n", indent, severity, heading,
                          Tags(change, judged, !is_type));
    if (ShowsWasNow(change)) {
      absl::StrAppendFormat(&out, "%s  was: %s\n%s  now: %s\n", indent, change.old_text, indent,
                            change.new_text);
    }
    AppendWhy(out, change, indent);
  }
  return out;
}

ordered_json OptionalString(const std::optional<std::string>& value) {
  return value ? ordered_json(*value) : ordered_json(nullptr);
}

ordered_json ChangeJson(const AbiChange& change, const JudgedChange& judged) {
  ordered_json j;
  j["severity"] = std::string(SeverityName(judged.severity));
  j["stability"] = judged.stability ? ordered_json(std::string(StabilityName(*judged.stability)))
                                    : ordered_json(nullptr);
  j["governed_by"] = judged.governed_by.empty() ? ordered_json(nullptr)
                                                : ordered_json(judged.governed_by);
  j["kind"] = std::string(ChangeKindName(change.kind));
  j["subject_kind"] = std::string(SubjectKindName(change.subject_kind));
  j["subject"] = change.subject;
  j["module"] = OptionalString(change.module);
  j["member"] = change.member.empty() ? ordered_json(nullptr) : ordered_json(change.member);
  j["item"] = change.item;
  j["old"] = change.old_text.empty() ? ordered_json(nullptr) : ordered_json(change.old_text);
  j["new"] = change.new_text.empty() ? ordered_json(nullptr) : ordered_json(change.new_text);
  j["compatibility"] = std::string(CompatibilityName(change.compatibility));
  j["sides"] = SideNames(change.sides);
  j["reason"] = change.reason;
  if (change.subject_kind == SubjectKind::kType) {
    ordered_json from = ordered_json::array();
    for (const InterfaceRef& ref : change.reached_from) {
      from.push_back({{"kind", std::string(SubjectKindName(ref.kind))}, {"name", ref.name}});
    }
    j["reached_from"] = std::move(from);
    j["path"] = change.path;
  }
  return j;
}

ordered_json CountsJson(const InterfaceCounts& c) {
  return {{"added", c.added}, {"removed", c.removed}, {"changed", c.changed}};
}

std::string RenderJson(const KernelDiff& diff, const DiffVerdict& verdict) {
  Counts c = CountChanges(diff);
  ordered_json j = JsonEnvelope(kDiffJsonVersion);
  j["old"] = {{"kernel", diff.old_kernel}};
  j["new"] = {{"kernel", diff.new_kernel}};
  j["summary"] = {
      {"kfuncs", CountsJson(c.kfuncs)},
      {"struct_ops", CountsJson(c.struct_ops)},
      {"types", {{"changed", c.types_changed}}},
      {"compatibility",
       {{"breaking", c.breaking}, {"needs_review", c.needs_review}, {"compatible", c.compatible}}},
      {"severity",
       {{"errors", verdict.errors}, {"warnings", verdict.warning_count}, {"notes", verdict.notes}}},
  };
  ordered_json changes = ordered_json::array();
  for (size_t i = 0; i < diff.changes.size(); ++i) {
    changes.push_back(ChangeJson(diff.changes[i], verdict.changes[i]));
  }
  j["changes"] = std::move(changes);
  ordered_json warnings = ordered_json::array();
  for (const DiffWarning& w : verdict.warnings) {
    warnings.push_back({{"interface_kind", std::string(InterfaceKindName(w.kind))},
                        {"name", w.subject},
                        {"message", w.message}});
  }
  j["warnings"] = std::move(warnings);
  j["notes"] = diff.notes;
  return DumpJson(j);
}

}  // namespace

std::string RenderDiff(const KernelDiff& diff, const DiffVerdict& verdict, OutputFormat format) {
  return format == OutputFormat::kJson ? RenderJson(diff, verdict) : RenderText(diff, verdict);
}

}  // namespace kcontract
