#include "abi/libbpf/verifier_reach.h"

#include <algorithm>
#include <cstring>
#include <map>
#include <string>
#include <utility>

#include "abi/libbpf/core_matcher.h"
#include "abi/libbpf/insn_rules.h"
#include "abi/libbpf/kconfig.h"
#include "abi/libbpf/kfunc_rules.h"
#include "abi/reach/reach_analysis.h"
#include "absl/strings/str_format.h"
#include "btfdiff/base/text.h"

namespace kcontract {
namespace {

std::string ConditionText(const std::vector<std::vector<VariableCondition>>& when) {
  std::vector<std::string> ways;
  for (const std::vector<VariableCondition>& conditions : when) {
    std::vector<std::string> parts;
    for (const VariableCondition& c : conditions) {
      parts.push_back(absl::StrFormat("%s %s", PrintableName(c.variable), c.values.Describe()));
    }
    ways.push_back(Join(parts, " and "));
  }
  return Join(ways, " or ");
}

ReachEvidence EvidenceOf(const BpfObject& object, const std::string& program, uint32_t insn,
                         InsnSite site, const WatchedReach& watched, const ReachResult& result) {
  ReachEvidence e;
  e.program = program;
  e.insn = insn;
  if (std::optional<SourceLine> line = object.code.LineAt(site.first, site.second)) {
    e.location = SourceLocation{line->file, static_cast<int>(line->line), 0};
    e.source = std::string(StripWhitespace(line->text));
  }
  if (watched.reached && watched.unconditionally) {
    e.reach = Reach::kReachable;
  } else if (watched.reached) {
    e.reach = Reach::kConditional;
    e.detail = ConditionText(watched.when);
  } else if (!result.complete) {
    e.reach = Reach::kUndecided;
    e.detail = result.incomplete_reason;
  } else {
    e.reach = Reach::kUnreachable;
  }
  return e;
}

// "at prog.bpf.c:42 (program p, instruction 17)", or without a line.
std::string Where(const ReachEvidence& e) {
  std::string where = absl::StrFormat("program %s, instruction %d", PrintableName(e.program), e.insn);
  if (e.location.line == 0) return where;
  return absl::StrFormat("%s (%s)", FormatLocation(e.location), where);
}

// The finding's reach over every program that loads one of its sites.
void Summarise(Finding* f) {
  const ReachEvidence* reachable = nullptr;
  std::vector<std::string> conditions;
  const ReachEvidence* undecided = nullptr;
  for (const ReachEvidence& e : f->evidence) {
    if (e.reach == Reach::kReachable && reachable == nullptr) reachable = &e;
    if (e.reach == Reach::kConditional &&
        std::find(conditions.begin(), conditions.end(), e.detail) == conditions.end()) {
      conditions.push_back(e.detail);
    }
    if (e.reach == Reach::kUndecided && undecided == nullptr) undecided = &e;
  }
  if (reachable != nullptr) {
    f->reach = Reach::kReachable;
    f->reach_detail = Where(*reachable);
    f->location = reachable->location;
    f->message += absl::StrFormat("; the verifier reaches it at %s", Where(*reachable));
    if (!reachable->source.empty()) {
      f->message += absl::StrFormat(": %s", PrintableName(reachable->source));
    }
  } else if (!conditions.empty()) {
    f->reach = Reach::kConditional;
    f->reach_detail = absl::StrFormat("when %s", Join(conditions, " or "));
    f->message += absl::StrFormat(
        "; the verifier reaches it only when %s, variables user space sets before load",
        f->reach_detail.substr(5));
  } else if (undecided != nullptr) {
    f->reach = Reach::kUndecided;
    f->reach_detail = undecided->detail;
    f->message += absl::StrFormat("; whether the verifier reaches it could not be decided (%s)",
                                  undecided->detail);
  } else {
    f->reach = Reach::kUnreachable;
    f->reach_detail = f->evidence.empty() ? "in no program libbpf loads" : "";
    f->message += f->evidence.empty() ? "; no program libbpf loads holds it"
                                      : "; the verifier never reaches it";
  }
}

}  // namespace

LinkFacts LibbpfLinkFacts(const BpfObject& object, const CheckTarget& target,
                          LibbpfVersion version) {
  LinkFacts facts;
  const KernelBtf& kernel = target.kernel();
  if (object.btf != nullptr) {
    for (const CoreRelocation& relo : object.core_relocations) {
      const CodeSection* section = object.code.SectionNamed(relo.section);
      if (section == nullptr) continue;
      CoreResult result = ResolveCoreRelocation(*object.btf, relo, kernel.names());
      InsnSite site{section->index, static_cast<uint32_t>(relo.insn_offset / 8)};
      switch (result.outcome) {
        case CoreOutcome::kResolved: facts.core[site] = CorePatch{false, result.target_value}; break;
        case CoreOutcome::kAbsent: facts.core[site] = CorePatch{false, 0}; break;
        case CoreOutcome::kPoisoned: facts.core[site] = CorePatch{true, 0}; break;
        case CoreOutcome::kFailed: break;  // libbpf refuses the object first
      }
    }
  }
  for (const BpfExtern& ext : object.externs) {
    switch (ext.kind) {
      case ExternKind::kKfunc:
        // A weak kfunc libbpf leaves unresolved: absent, or (from 1.3)
        // with a prototype it cannot match.
        if (ext.weak && object.btf != nullptr &&
            !ResolveKfunc(*object.btf, ext, kernel.names(), version).resolved) {
          facts.absent_externs.insert(ext.name);
        }
        break;
      case ExternKind::kKsymVar:
        if (object.btf != nullptr && !object.btf->SkipMods(ext.type).is_void() && ext.weak &&
            !kernel.names().Find(ext.name, BTF_KIND_VAR)) {
          facts.absent_externs.insert(ext.name);
        }
        break;
      case ExternKind::kKconfig: {
        if (object.btf == nullptr) break;
        if (ext.name == "LINUX_KERNEL_VERSION") {
          // libbpf takes it from the release of the machine that loads the
          // object: the target kernel's, where the object runs.
          if (std::optional<uint32_t> code = LinuxKernelVersionCode(kernel.version())) {
            std::vector<uint8_t> bytes(4);
            std::memcpy(bytes.data(), &*code, 4);
            facts.kconfig[ext.name] = std::move(bytes);
          }
          break;
        }
        if (!kernel.config) break;  // unknown: the analysis explores both ways
        auto value = kernel.config->find(ext.name);
        std::optional<std::string_view> text;
        if (value != kernel.config->end()) text = value->second;
        if (std::optional<std::vector<uint8_t>> bytes = KconfigBytes(*object.btf, ext.type, text)) {
          facts.kconfig[ext.name] = std::move(*bytes);
        }
        break;
      }
    }
  }
  return facts;
}

void AnnotateReach(const BpfObject& object, const CheckTarget& target,
                   const std::vector<LoaderSetRodata>& rodata, LibbpfVersion version,
                   std::vector<Finding>* findings) {
  if (std::none_of(findings->begin(), findings->end(),
                   [](const Finding& f) { return !f.sites.empty(); })) {
    return;
  }
  LinkFacts facts = LibbpfLinkFacts(object, target, version);
  facts.rodata = rodata;
  for (const Finding& f : *findings) {
    if (f.code == kInsnRegisterCode) facts.rejected.insert(f.sites.begin(), f.sites.end());
  }
  std::map<InsnSite, std::vector<ReachEvidence>> by_site;
  std::string link_error;
  for (const BpfProgram& program : object.programs) {
    if (!program.autoload) continue;  // libbpf leaves it out (SEC("?..."))
    absl::StatusOr<LinkedProgram> linked = LinkProgram(object, program.name, facts);
    if (!linked.ok()) {
      if (link_error.empty()) link_error = std::string(linked.status().message());
      continue;
    }
    if (linked->image.watched.empty()) continue;
    ReachResult result = AnalyzeReach(linked->image);
    for (const auto& [site, insn] : linked->watched_sites) {
      by_site[site].push_back(
          EvidenceOf(object, program.name, insn, site, result.watched.at(insn), result));
    }
  }
  for (Finding& f : *findings) {
    if (f.sites.empty()) continue;
    for (const auto& site : f.sites) {
      auto it = by_site.find(site);
      if (it != by_site.end()) f.evidence.insert(f.evidence.end(), it->second.begin(), it->second.end());
    }
    if (f.evidence.empty() && !link_error.empty()) {
      f.reach = Reach::kUndecided;
      f.reach_detail = link_error;
      f.message += absl::StrFormat("; whether the verifier reaches it could not be decided (%s)",
                                   link_error);
      continue;
    }
    Summarise(&f);
  }
}

}  // namespace kcontract
