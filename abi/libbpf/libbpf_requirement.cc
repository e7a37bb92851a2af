#include "abi/libbpf/libbpf_requirement.h"

#include <algorithm>
#include <set>
#include <utility>

#include "abi/libbpf/open_rules.h"
#include "abi/libbpf/section_rules.h"
#include "abi/libbpf/struct_ops_rules.h"
#include "absl/strings/str_format.h"
#include "btfdiff/base/text.h"
#include "btfdiff/model/type_name.h"

namespace kcontract {
namespace {

std::string P(std::string_view name) { return PrintableName(name); }

// What every release refuses when it opens the object (the newest's
// refusals at open are the older ones' too: later releases only accept
// more there).
std::string RefusedByEveryRelease(const BpfObject& object) {
  for (const Finding& f : CheckOpenRules(object, kNewestModelledLibbpf)) {
    if (f.stage == LoadStage::kOpen && f.effect == LoadEffect::kLibbpfRejects) {
      return absl::StrFormat("[%s] %s", f.code, f.message);
    }
  }
  return "";
}

class Needs {
 public:
  explicit Needs(const BpfObject& object) : object_(object) {}

  std::vector<LibbpfNeed> Run() {
    for (const BpfExtern& ext : object_.externs) {
      std::string_view essential = EssentialName(ext.name);
      if (ext.kind != ExternKind::kKfunc || essential == ext.name) continue;
      Add(LibbpfFeature::kKfuncFlavour, ext.name,
          absl::StrFormat("kfunc %s is a flavour of %s", P(ext.name), P(essential)));
    }
    std::set<std::string> bound;
    for (const BpfMap& map : object_.maps) {
      if (map.struct_ops_type.empty()) continue;
      for (const StructOpsMemberUse& use : map.struct_ops_programs) bound.insert(use.program);
      const StructOpsSection* section = FindStructOpsSection(map.section);
      if (section != nullptr && section->since) {
        Add(*section->since, map.name,
            absl::StrFormat("struct_ops map %s is in section %s", P(map.name), P(map.section)));
      }
      std::string_view essential = EssentialName(map.struct_ops_type);
      if (essential != map.struct_ops_type) {
        Add(LibbpfFeature::kStructOpsTypeFlavour, map.name,
            absl::StrFormat("struct_ops map %s's type %s is a flavour of %s", P(map.name),
                            P(map.struct_ops_type), P(essential)));
      }
    }
    for (const BpfProgram& program : object_.programs) {
      if (!program.autoload && !bound.count(program.name)) continue;
      if (std::optional<LibbpfFeature> since = SectionFeature(program)) {
        Add(*since, program.name,
            absl::StrFormat("program %s is in section %s", P(program.name), P(program.section)));
      }
    }
    // One program serving maps of two local types (flavours of one table):
    // the release before the rule refuses it.
    LibbpfVersion before{1, RuleOf(LibbpfFeature::kStructOpsProgramShared).since.minor - 1};
    std::set<std::string> shared;
    for (const Finding& f : CheckStructOpsOpen(object_, before)) {
      if (f.code != kStructOpsSharedProgramCode || !shared.insert(f.subject).second) continue;
      Add(LibbpfFeature::kStructOpsProgramShared, f.subject,
          absl::StrFormat("struct_ops program %s serves maps of different types or members",
                          P(f.subject)));
    }
    return std::move(needs_);
  }

 private:
  void Add(LibbpfFeature feature, std::string subject, std::string why) {
    needs_.push_back(LibbpfNeed{feature, std::move(subject), std::move(why)});
  }

  const BpfObject& object_;
  std::vector<LibbpfNeed> needs_;
};

}  // namespace

std::string LibbpfRequirement::Describe() const {
  if (!oldest) {
    return absl::StrFormat("libbpf: no release from %s to %s loads it: %s",
                           kOldestModelledLibbpf.ToString(), kNewestModelledLibbpf.ToString(),
                           none_because);
  }
  if (needs.empty()) return absl::StrFormat("libbpf >= %s", oldest->ToString());
  std::vector<std::string> reasons;
  for (const LibbpfNeed& need : needs) {
    const LibbpfRule& rule = RuleOf(need.feature);
    // The release is said where it is not the one the line begins with.
    reasons.push_back(rule.since == *oldest
                          ? absl::StrFormat("%s (%s)", need.why, rule.name)
                          : absl::StrFormat("%s (>= %s, %s)", need.why, rule.since.ToString(),
                                            rule.name));
  }
  return absl::StrFormat("libbpf >= %s: %s", oldest->ToString(), Join(reasons, "; "));
}

LibbpfRequirement OldestLibbpf(const BpfObject& object) {
  LibbpfRequirement requirement;
  requirement.none_because = RefusedByEveryRelease(object);
  if (!requirement.none_because.empty()) return requirement;
  requirement.needs = Needs(object).Run();
  LibbpfVersion oldest = kOldestModelledLibbpf;
  for (const LibbpfNeed& need : requirement.needs) {
    oldest = std::max(oldest, RuleOf(need.feature).since);
  }
  // The newest need first: what decides the release reads first.
  std::stable_sort(requirement.needs.begin(), requirement.needs.end(),
                   [](const LibbpfNeed& a, const LibbpfNeed& b) {
                     return RuleOf(a.feature).since > RuleOf(b.feature).since;
                   });
  requirement.oldest = oldest;
  return requirement;
}

std::vector<Finding> LibbpfMinFindings(const BpfObject& object, LibbpfVersion available) {
  std::vector<Finding> findings;
  LibbpfRequirement requirement = OldestLibbpf(object);
  auto add = [&](std::string subject, std::string message) {
    Finding f;
    f.code = std::string(kLibbpfTooOldCode);
    f.subject = std::move(subject);
    f.message = std::move(message);
    f.effect = LoadEffect::kLibbpfRejects;
    f.stage = LoadStage::kOpen;
    findings.push_back(std::move(f));
  };
  if (!requirement.oldest) {
    add(object.path, absl::StrFormat("no libbpf release loads the object, %s neither: %s",
                                     available.ToString(), requirement.none_because));
    return findings;
  }
  for (const LibbpfNeed& need : requirement.needs) {
    const LibbpfRule& rule = RuleOf(need.feature);
    if (rule.since <= available) continue;
    add(need.subject,
        absl::StrFormat("needs libbpf >= %s, newer than %s: %s, which %s (%s: %s)",
                        rule.since.ToString(), available.ToString(), need.why,
                        absl::StrFormat("libbpf %d.%d does not handle", available.major,
                                        available.minor),
                        rule.name, rule.upstream));
  }
  return findings;
}

}  // namespace kcontract
