#include "abi/report/object_report.h"

#include <nlohmann/json.hpp>

#include "abi/libbpf/libbpf_requirement.h"
#include "abi/report/json_envelope.h"
#include "absl/strings/str_format.h"
#include "btfdiff/base/text.h"

namespace kcontract {
namespace {

using nlohmann::ordered_json;

std::string HelperLabel(int32_t id) {
  std::string_view name = BpfHelperName(id);
  return name.empty() ? absl::StrFormat("%d:unknown", id) : absl::StrFormat("%d:%s", id, name);
}

ordered_json ProgramJson(const BpfProgram& program) {
  ordered_json j;
  j["name"] = program.name;
  j["section"] = program.section;
  j["prog_type"] = program.prog_type;
  j["attach_type"] = program.attach_type;
  j["attach_target"] = program.attach_target;
  j["global"] = program.global;
  j["autoload"] = program.autoload;
  j["insns"] = program.insn_count;
  ordered_json helpers = ordered_json::array();
  for (int32_t id : program.helper_calls) {
    std::string_view name = BpfHelperName(id);
    helpers.push_back({{"id", id}, {"name", name.empty() ? ordered_json(nullptr)
                                                         : ordered_json(std::string(name))}});
  }
  j["helper_calls"] = std::move(helpers);
  j["kfunc_calls"] = program.kfunc_calls;
  return j;
}

ordered_json MapJson(const BpfMap& map) {
  ordered_json j;
  j["name"] = map.name;
  j["section"] = map.section;
  j["type"] = map.type;
  j["type_name"] = map.type_name;
  if (map.type == BPF_MAP_TYPE_STRUCT_OPS) {
    j["struct_ops_type"] = map.struct_ops_type;
    j["struct_ops_type_id"] = map.struct_ops_type_id.value;
    ordered_json programs = ordered_json::array();
    for (const StructOpsMemberUse& use : map.struct_ops_programs) {
      programs.push_back({{"member", use.member}, {"program", use.program}});
    }
    j["callbacks"] = std::move(programs);
    j["data_members"] = map.struct_ops_data_members;
  }
  return j;
}

ordered_json ExternJson(const BpfExtern& ext) {
  return {{"name", ext.name},
          {"kind", std::string(ExternKindName(ext.kind))},
          {"weak", ext.weak},
          {"type_id", ext.type.value},
          {"declaration", ext.declaration}};
}

ordered_json CoreJson(const CoreRelocation& relo) {
  return {{"program", relo.program},
          {"section", relo.section},
          {"insn_offset", relo.insn_offset},
          {"kind", std::string(CoreRelocationKindName(relo.kind))},
          {"root_type_id", relo.root.value},
          {"root", relo.root_name},
          {"access_spec", relo.access_spec},
          {"access", relo.access_path}};
}

void AddNeedsJson(const ProfileNeeds& needs, ordered_json& j) {
  j["load_profile"] = needs.profile.empty() ? ordered_json(nullptr) : ordered_json(needs.profile);
  ordered_json placeholders = ordered_json::array();
  for (const AttachPlaceholder& p : needs.placeholders) {
    placeholders.push_back({{"program", p.program},
                            {"section", p.section},
                            {"target", p.target.empty() ? ordered_json(nullptr)
                                                        : ordered_json(p.target)},
                            {"reason", p.reason},
                            {"profile", p.profile_says ? ordered_json(*p.profile_says)
                                                       : ordered_json(nullptr)}});
  }
  j["attach_placeholders"] = std::move(placeholders);
  ordered_json rodata = ordered_json::array();
  for (const LoaderRodata& r : needs.rodata) {
    const RodataVariable& v = *r.variable;
    ordered_json value = r.initial_signed && *r.initial_signed < 0
                             ? ordered_json(*r.initial_signed)
                         : r.initial_unsigned ? ordered_json(*r.initial_unsigned)
                                              : ordered_json(nullptr);
    rodata.push_back({{"name", v.name},
                      {"section", v.section},
                      {"offset", v.offset},
                      {"size", v.size},
                      {"declaration", v.declaration},
                      {"initial", std::move(value)},
                      {"initial_text", r.initial_text},
                      {"read_by", v.read_by},
                      {"profile", r.profile_says ? ordered_json(*r.profile_says)
                                                 : ordered_json(nullptr)}});
  }
  j["loader_rodata"] = std::move(rodata);
}

// The oldest libbpf that loads the object: "version" (null when none
// does, "none" then says why) and what asks for it.
ordered_json LibbpfMinJson(const LibbpfRequirement& requirement) {
  ordered_json j;
  j["version"] = requirement.oldest ? ordered_json(requirement.oldest->ToString())
                                    : ordered_json(nullptr);
  ordered_json needs = ordered_json::array();
  for (const LibbpfNeed& need : requirement.needs) {
    const LibbpfRule& rule = RuleOf(need.feature);
    needs.push_back({{"since", rule.since.ToString()},
                     {"rule", std::string(rule.name)},
                     {"subject", need.subject},
                     {"why", need.why}});
  }
  j["needs"] = std::move(needs);
  j["none"] = requirement.oldest ? ordered_json(nullptr) : ordered_json(requirement.none_because);
  return j;
}

ordered_json ObjectJson(const BpfObject& object, const ProfileNeeds* needs) {
  ordered_json j;
  j["path"] = object.path;
  j["sha256"] = object.sha256;
  j["license"] = object.license;
  // Only for the object libbpf refuses for its byte order, whose BTF and
  // instructions are not read ("btf" is then false).
  if (object.big_endian) j["big_endian"] = true;
  j["btf"] = object.btf != nullptr;
  j["btf_ext"] = object.has_btf_ext;
  ordered_json programs = ordered_json::array();
  for (const BpfProgram& program : object.programs) programs.push_back(ProgramJson(program));
  j["programs"] = std::move(programs);
  ordered_json maps = ordered_json::array();
  for (const BpfMap& map : object.maps) maps.push_back(MapJson(map));
  j["maps"] = std::move(maps);
  ordered_json externs = ordered_json::array();
  for (const BpfExtern& ext : object.externs) externs.push_back(ExternJson(ext));
  j["externs"] = std::move(externs);
  ordered_json relos = ordered_json::array();
  for (const CoreRelocation& relo : object.core_relocations) relos.push_back(CoreJson(relo));
  j["core_relocations"] = std::move(relos);
  j["opt_ins"] = object.opt_ins;
  if (needs != nullptr) AddNeedsJson(*needs, j);
  j["libbpf_min"] = LibbpfMinJson(OldestLibbpf(object));
  j["warnings"] = object.warnings;
  return j;
}

std::string P(std::string_view name) { return PrintableName(name); }

// What a load profile would need to say (profile_needs.h).
// With a load profile, each line ends with what it says ("profile: ...").
void AppendNeedsText(const ProfileNeeds& needs, std::string* out) {
  if (!needs.profile.empty()) absl::StrAppendFormat(out, "load profile %s\n", P(needs.profile));
  auto says = [](const std::optional<std::string>& text) {
    return text ? absl::StrFormat("  profile: %s", P(*text)) : std::string();
  };
  for (const AttachPlaceholder& p : needs.placeholders) {
    absl::StrAppendFormat(out, "placeholder %s  section %s  target %s  %s%s\n", P(p.program),
                          P(p.section), p.target.empty() ? std::string("-") : P(p.target),
                          p.reason, says(p.profile_says));
  }
  for (const LoaderRodata& r : needs.rodata) {
    const RodataVariable& v = *r.variable;
    std::vector<std::string> readers;
    for (const std::string& program : v.read_by) readers.push_back(P(program));
    absl::StrAppendFormat(out, "rodata %s  %s  size %d  initial %s  read by %s%s\n", P(v.name),
                          P(v.declaration), v.size, r.initial_text, Join(readers, ", "),
                          says(r.profile_says));
  }
}

void AppendObjectText(const BpfObject& object, const ProfileNeeds* needs, std::string* out) {
  std::vector<std::string> facts;
  facts.push_back(object.license.empty() ? std::string("no license")
                                         : absl::StrFormat("license %s", P(object.license)));
  if (object.big_endian) {
    facts.push_back("big-endian (bpfeb): its BTF and instructions are not read");
  } else {
    facts.push_back(object.btf ? "btf" : "no btf");
    if (object.has_btf_ext) facts.push_back("btf.ext");
  }
  absl::StrAppendFormat(out, "object %s: %s\n", P(object.path), Join(facts, ", "));
  for (const BpfProgram& p : object.programs) {
    absl::StrAppendFormat(out, "program %s  section %s  type %s", P(p.name), P(p.section),
                          p.prog_type.empty() ? "unknown" : p.prog_type);
    if (!p.attach_type.empty()) absl::StrAppendFormat(out, "  attach %s", p.attach_type);
    if (!p.attach_target.empty()) absl::StrAppendFormat(out, "  target %s", P(p.attach_target));
    if (!p.global) *out += "  static";
    if (!p.autoload) *out += "  noautoload";
    *out += "\n";
    if (!p.helper_calls.empty()) {
      std::vector<std::string> helpers;
      for (int32_t id : p.helper_calls) helpers.push_back(HelperLabel(id));
      absl::StrAppendFormat(out, "\thelpers %s\n", Join(helpers, " "));
    }
    if (!p.kfunc_calls.empty()) {
      std::vector<std::string> kfuncs;
      for (const std::string& name : p.kfunc_calls) kfuncs.push_back(P(name));
      absl::StrAppendFormat(out, "\tkfuncs %s\n", Join(kfuncs, " "));
    }
  }
  for (const BpfMap& m : object.maps) {
    absl::StrAppendFormat(out, "map %s  section %s  type %s", P(m.name), P(m.section),
                          m.type_name.empty() ? std::string("unknown") : m.type_name);
    if (!m.struct_ops_type.empty()) absl::StrAppendFormat(out, "  struct %s", P(m.struct_ops_type));
    *out += "\n";
    for (const StructOpsMemberUse& use : m.struct_ops_programs) {
      absl::StrAppendFormat(out, "\t.%s = %s\n", P(use.member), P(use.program));
    }
    for (const std::string& member : m.struct_ops_data_members) {
      absl::StrAppendFormat(out, "\t.%s = (data)\n", P(member));
    }
  }
  for (const BpfExtern& e : object.externs) {
    absl::StrAppendFormat(out, "%s %s  %s  %s\n", ExternKindName(e.kind), P(e.name),
                          e.weak ? "weak" : "strong", P(e.declaration));
  }
  for (const CoreRelocation& r : object.core_relocations) {
    absl::StrAppendFormat(out, "core %s  %s  %s  [%s]\n",
                          P(r.program.empty() ? r.section : r.program),
                          CoreRelocationKindName(r.kind), P(r.access_path), P(r.access_spec));
  }
  for (const std::string& token : object.opt_ins) {
    absl::StrAppendFormat(out, "opt-in %s\n", P(token));
  }
  absl::StrAppendFormat(out, "needs %s\n", OldestLibbpf(object).Describe());
  if (needs != nullptr) AppendNeedsText(*needs, out);
}

}  // namespace

std::string RenderObjects(const std::vector<std::unique_ptr<BpfObject>>& objects,
                          OutputFormat format, const std::vector<ProfileNeeds>& needs) {
  auto needs_of = [&](size_t i) { return i < needs.size() ? &needs[i] : nullptr; };
  if (format == OutputFormat::kJson) {
    ordered_json j = JsonEnvelope(kObjectJsonVersion);
    ordered_json list = ordered_json::array();
    for (size_t i = 0; i < objects.size(); ++i) list.push_back(ObjectJson(*objects[i], needs_of(i)));
    j["objects"] = std::move(list);
    return DumpJson(j);
  }
  std::string out;
  for (size_t i = 0; i < objects.size(); ++i) AppendObjectText(*objects[i], needs_of(i), &out);
  return out;
}

}  // namespace kcontract
