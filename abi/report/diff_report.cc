#include "abi/report/diff_report.h"

#include <algorithm>
#include <utility>
#include <vector>

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
  int by_compatibility[3] = {0, 0, 0};  // indexed by Compatibility
};

struct Counts {
  InterfaceCounts kfuncs;
  InterfaceCounts struct_ops;
  InterfaceCounts types;  // added and removed stay 0
  int breaking = 0;
  int needs_review = 0;
  int compatible = 0;
};

// Whether a change counts in the summary of the release's ABI: not those the
// configs explain, nor internal ones unless they were included.
bool Counted(const JudgedChange& judged, const DiffVerdict& verdict) {
  return judged.group == DiffGroup::kAbi ||
         (judged.group == DiffGroup::kInternal && verdict.include_internal);
}

// The counts of the changes in `group` (kAbi: the counted ones).
Counts CountChanges(const KernelDiff& diff, const DiffVerdict& verdict, DiffGroup group) {
  Counts c;
  absl::flat_hash_set<std::string> kfuncs, struct_ops, types;
  for (size_t i = 0; i < diff.changes.size(); ++i) {
    const AbiChange& change = diff.changes[i];
    const JudgedChange& judged = verdict.changes[i];
    if (group == DiffGroup::kAbi ? !Counted(judged, verdict) : judged.group != group) continue;
    InterfaceCounts& kind = change.subject_kind == SubjectKind::kKfunc       ? c.kfuncs
                            : change.subject_kind == SubjectKind::kStructOps ? c.struct_ops
                                                                             : c.types;
    ++kind.by_compatibility[static_cast<int>(change.compatibility)];
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
  c.types.changed = static_cast<int>(types.size());
  return c;
}

// The report's order: the counted changes, breaking first, then those that
// need review, then the compatible ones; then the changes the configs
// explain, then the internal ones (when not counted), each in the same
// order. Within a part, the diff's own order (by subject).
std::vector<size_t> ReportOrder(const KernelDiff& diff, const DiffVerdict& verdict) {
  auto part = [&](size_t i) {
    const JudgedChange& judged = verdict.changes[i];
    int group = Counted(judged, verdict) ? 0 : judged.group == DiffGroup::kConfig ? 1 : 2;
    return std::pair(group, 2 - static_cast<int>(diff.changes[i].compatibility));
  };
  std::vector<size_t> order(diff.changes.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return part(a) < part(b); });
  return order;
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
  if (!change.config_cause.empty()) tags.push_back("config: " + change.config_cause);
  if (judged.group == DiffGroup::kInternal) tags.push_back("internal");
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

// Compatible changes say why only when it holds on a condition the BTF
// cannot check (a caller-sized struct's old size still accepted).
void AppendWhy(std::string& out, const AbiChange& change, std::string_view indent) {
  if (change.compatibility == Compatibility::kCompatible && !change.conditional) return;
  absl::StrAppendFormat(&out, "%s  why: %s\n", indent, change.reason);
}

// The length of the run of moved members starting at order[at] that print
// alike.
size_t MovedRun(const KernelDiff& diff, const DiffVerdict& verdict,
                const std::vector<size_t>& order, size_t at) {
  const AbiChange& first = diff.changes[order[at]];
  const JudgedChange& judged = verdict.changes[order[at]];
  size_t end = at;
  while (end < order.size()) {
    const AbiChange& c = diff.changes[order[end]];
    const JudgedChange& j = verdict.changes[order[end]];
    if (c.kind != ChangeKind::kTypeMemberMoved || c.subject != first.subject ||
        c.compatibility != first.compatibility || j.severity != judged.severity ||
        j.group != judged.group || c.config_cause != first.config_cause) {
      break;
    }
    ++end;
  }
  return end - at;
}

std::string CompatibilityCounts(const InterfaceCounts& c) {
  return absl::StrFormat("%d breaking, %d needs review, %d compatible", c.by_compatibility[2],
                         c.by_compatibility[1], c.by_compatibility[0]);
}

// "kfuncs: +114 -22 ~2: 25 breaking, 1 needs review, 112 compatible"
std::string KindLine(std::string_view kind, const InterfaceCounts& c, bool added_removed) {
  std::string changes = added_removed
                            ? absl::StrFormat("+%d -%d ~%d", c.added, c.removed, c.changed)
                            : absl::StrFormat("~%d", c.changed);
  return absl::StrFormat("%s: %s: %s\n", kind, changes, CompatibilityCounts(c));
}

// "CONFIG_NR_CPUS 8192 -> 256, CONFIG_TCP_CONG_BBR m -> y", each cause once.
std::string ConfigCauses(const KernelDiff& diff) {
  std::vector<std::string> causes;
  for (const AbiChange& change : diff.changes) {
    if (change.config_cause.empty()) continue;
    if (std::find(causes.begin(), causes.end(), change.config_cause) == causes.end()) {
      causes.push_back(change.config_cause);
    }
  }
  std::sort(causes.begin(), causes.end());
  return Join(causes, ", ");
}

// The heading of the part of the report change `index` is in.
std::string PartHeading(const KernelDiff& diff, const DiffVerdict& verdict, size_t index) {
  const JudgedChange& judged = verdict.changes[index];
  if (!Counted(judged, verdict)) {
    return judged.group == DiffGroup::kConfig
               ? "differences the two kernels' configs explain:"
               : "internal: the kernel's self-tests and interfaces marked internal (not "
                 "counted; --include-internal counts them):";
  }
  switch (diff.changes[index].compatibility) {
    case Compatibility::kBreaking: return "breaking:";
    case Compatibility::kNeedsReview: return "needs review:";
    case Compatibility::kCompatible: return "compatible:";
  }
  return "";
}

std::string RenderText(const KernelDiff& diff, const DiffVerdict& verdict) {
  Counts c = CountChanges(diff, verdict, DiffGroup::kAbi);
  std::string out = absl::StrFormat("kcontract diff %s -> %s\n", diff.old_kernel, diff.new_kernel);
  out += KindLine("kfuncs", c.kfuncs, true);
  out += KindLine("struct_ops", c.struct_ops, true);
  out += KindLine("types", c.types, false);
  absl::StrAppendFormat(&out,
                        "%d breaking, %d needs review, %d compatible; %d errors, %d warnings, "
                        "%d notes\n",
                        c.breaking, c.needs_review, c.compatible, verdict.errors,
                        verdict.warning_count, verdict.notes);
  if (verdict.config > 0) {
    Counts config = CountChanges(diff, verdict, DiffGroup::kConfig);
    absl::StrAppendFormat(&out, "config: %d changes the configs explain (%s): %d breaking, %d "
                                "needs review, %d compatible\n",
                          verdict.config, ConfigCauses(diff), config.breaking,
                          config.needs_review, config.compatible);
  }
  if (verdict.internal > 0) {
    absl::StrAppendFormat(&out, "internal: %d changes to the kernel's self-tests and internal "
                                "interfaces%s\n",
                          verdict.internal, verdict.include_internal ? ", counted" : ", not counted");
  }
  for (const std::string& note : diff.notes) absl::StrAppendFormat(&out, "note: %s\n", note);
  for (const DiffWarning& w : verdict.warnings) absl::StrAppendFormat(&out, "warning: %s\n", w.message);
  if (diff.changes.empty()) return out;
  std::vector<size_t> order = ReportOrder(diff, verdict);
  std::string type_subject;
  std::string part;
  for (size_t at = 0; at < order.size(); ++at) {
    const size_t i = order[at];
    const AbiChange& change = diff.changes[i];
    const JudgedChange& judged = verdict.changes[i];
    if (std::string heading = PartHeading(diff, verdict, i); heading != part) {
      part = heading;
      type_subject.clear();
      absl::StrAppendFormat(&out, "\n%s\n", heading);
    }
    const bool is_type = change.subject_kind == SubjectKind::kType;
    if (is_type && change.subject != type_subject) {
      type_subject = change.subject;
      out += TypeHeader(change);
    }
    if (!is_type) type_subject.clear();
    const std::string indent = is_type ? "  " : "";
    const std::string severity(SeverityName(judged.severity));
    if (change.kind == ChangeKind::kTypeMemberMoved) {
      size_t run = MovedRun(diff, verdict, order, at);
      if (run >= kMovedRun) {
        std::vector<std::string> names;
        for (size_t j = at; j < at + run && names.size() < kMovedNamed; ++j) {
          names.push_back(diff.changes[order[j]].item.substr(std::string_view("member ").size()));
        }
        std::string list = Join(names, ", ");
        if (run > kMovedNamed) list += absl::StrFormat(" and %u more", run - kMovedNamed);
        absl::StrAppendFormat(&out, "%s%s: %u members moved: %s %s\n", indent, severity, run,
                              list, Tags(change, judged, false));
        AppendWhy(out, change, indent);
        at += run - 1;
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
  j["group"] = std::string(DiffGroupName(judged.group));
  j["config_cause"] =
      change.config_cause.empty() ? ordered_json(nullptr) : ordered_json(change.config_cause);
  j["sides"] = SideNames(change.sides);
  j["reason"] = change.reason;
  if (change.conditional) j["conditional"] = true;
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

ordered_json CompatibilityJson(const InterfaceCounts& c) {
  return {{"breaking", c.by_compatibility[2]},
          {"needs_review", c.by_compatibility[1]},
          {"compatible", c.by_compatibility[0]}};
}

ordered_json CountsJson(const InterfaceCounts& c) {
  return {{"added", c.added},
          {"removed", c.removed},
          {"changed", c.changed},
          {"compatibility", CompatibilityJson(c)}};
}

ordered_json GroupJson(const Counts& c, int changes) {
  return {{"changes", changes},
          {"compatibility",
           {{"breaking", c.breaking},
            {"needs_review", c.needs_review},
            {"compatible", c.compatible}}}};
}

std::string RenderJson(const KernelDiff& diff, const DiffVerdict& verdict) {
  Counts c = CountChanges(diff, verdict, DiffGroup::kAbi);
  ordered_json j = JsonEnvelope(kDiffJsonVersion);
  j["old"] = {{"kernel", diff.old_kernel}};
  j["new"] = {{"kernel", diff.new_kernel}};
  j["summary"] = {
      {"kfuncs", CountsJson(c.kfuncs)},
      {"struct_ops", CountsJson(c.struct_ops)},
      {"types", {{"changed", c.types.changed}, {"compatibility", CompatibilityJson(c.types)}}},
      {"compatibility",
       {{"breaking", c.breaking}, {"needs_review", c.needs_review}, {"compatible", c.compatible}}},
      {"severity",
       {{"errors", verdict.errors}, {"warnings", verdict.warning_count}, {"notes", verdict.notes}}},
      {"config", GroupJson(CountChanges(diff, verdict, DiffGroup::kConfig), verdict.config)},
      {"internal", GroupJson(CountChanges(diff, verdict, DiffGroup::kInternal), verdict.internal)},
      {"internal_counted", verdict.include_internal},
  };
  ordered_json changes = ordered_json::array();
  for (size_t i : ReportOrder(diff, verdict)) {
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
