#include "abi/profile/apply_profile.h"

#include <algorithm>
#include <utility>

#include "abi/libbpf/attach_target.h"
#include "absl/strings/str_format.h"
#include "btfdiff/base/text.h"

namespace kcontract {
namespace {

Finding ProfileFinding(std::string_view code, std::string subject, std::string message,
                       const SourceLocation& location, std::string program = "") {
  Finding f;
  f.code = std::string(code);
  f.subject = std::move(subject);
  f.message = std::move(message);
  f.location = location;
  f.program = std::move(program);
  return f;
}

// " (did you mean 'x'?)" or "".
template <typename Range, typename NameOf>
std::string DidYouMean(std::string_view name, const Range& things, NameOf name_of) {
  std::vector<std::string_view> names;
  for (const auto& thing : things) names.push_back(name_of(thing));
  std::string_view closest = ClosestMatch(name, names);
  return closest.empty() ? "" : absl::StrFormat(" (did you mean '%s'?)", PrintableName(closest));
}

const BpfProgram* FindProgram(const BpfObject& object, std::string_view name) {
  for (const BpfProgram& p : object.programs) {
    if (p.name == name) return &p;
  }
  return nullptr;
}

const RodataVariable* FindVariable(const BpfObject& object, std::string_view name) {
  for (const RodataVariable& v : object.rodata) {
    if (v.name == name) return &v;
  }
  return nullptr;
}

bool HasMap(const BpfObject& object, std::string_view name) {
  return std::any_of(object.maps.begin(), object.maps.end(),
                     [&](const BpfMap& m) { return m.name == name; });
}

// Whether `value` (two's complement for negative numbers) fits in `size`
// bytes, signed or not.
bool FitsIn(uint64_t value, uint32_t size) {
  if (size >= 8) return true;
  uint64_t unsigned_limit = uint64_t{1} << (8 * size);
  auto as_signed = static_cast<int64_t>(value);
  return value < unsigned_limit ||
         (as_signed < 0 && as_signed >= -static_cast<int64_t>(unsigned_limit / 2));
}

class ProfileMatcher {
 public:
  ProfileMatcher(const ObjectProfile& entry, const BpfObject& object, std::string label)
      : entry_(entry), object_(object), label_(std::move(label)) {}

  std::vector<Finding> Run() {
    for (const std::string& program : entry_.autoload_off) CheckProgramOff(program);
    for (const AttachSetting& s : entry_.attach) CheckAttach(s);
    for (const RodataSetting& s : entry_.rodata) CheckRodata(s);
    for (const MapSizeSetting& s : entry_.map_max_entries) CheckMap(s);
    findings_.insert(findings_.begin(), Summary());
    return std::move(findings_);
  }

 private:
  void Unknown(std::string_view what, const std::string& name, const SourceLocation& location,
               std::string did_you_mean) {
    findings_.push_back(ProfileFinding(
        kProfileUnknownName, name,
        absl::StrFormat("load profile %s names %s '%s', which %s does not have%s; the setting "
                        "is not applied",
                        FormatLocation(location), what, PrintableName(name), object_.path,
                        did_you_mean),
        location));
  }

  void CheckProgramOff(const std::string& program) {
    if (FindProgram(object_, program) != nullptr) return;
    // autoload_off is one array: its entries share the array's location.
    Unknown("program", program, entry_.autoload_off_location,
            DidYouMean(program, object_.programs, [](const BpfProgram& p) { return std::string_view(p.name); }));
  }

  void CheckAttach(const AttachSetting& s) {
    const BpfProgram* program = FindProgram(object_, s.program);
    if (program == nullptr) {
      Unknown("program", s.program, s.location,
              DidYouMean(s.program, object_.programs, [](const BpfProgram& p) { return std::string_view(p.name); }));
      return;
    }
    if (entry_.AutoloadOff(s.program)) return;  // not loaded: its target does not matter
    if (!BtfAttachOf(*program)) {
      findings_.push_back(ProfileFinding(
          kProfileIneffective, s.program,
          absl::StrFormat("load profile %s sets the attach target of program %s, but a %s "
                          "program takes none at load: it chooses what it attaches to when it "
                          "attaches; the setting changes nothing the load sees",
                          FormatLocation(s.location), PrintableName(s.program),
                          program->prog_type.empty() ? std::string("section ") + program->section
                                                     : program->prog_type),
          s.location, s.program));
      return;
    }
    if (!s.target) {
      findings_.push_back(ProfileFinding(
          kAttachUnchecked, s.program,
          absl::StrFormat("the loader sets the attach target of program %s at run time to one "
                          "only it knows (load profile %s: \"unknown\"); it is not checked",
                          PrintableName(s.program), FormatLocation(s.location)),
          s.location, s.program));
    }
  }

  void CheckRodata(const RodataSetting& s) {
    const RodataVariable* v = FindVariable(object_, s.variable);
    if (v == nullptr) {
      Unknown("rodata variable", s.variable, s.location,
              DidYouMean(s.variable, object_.rodata,
                         [](const RodataVariable& r) { return std::string_view(r.name); }));
      return;
    }
    if (!v->const_volatile) {
      findings_.push_back(ProfileFinding(
          kProfileIneffective, s.variable,
          absl::StrFormat("load profile %s sets %s, which is not `const volatile`: the compiler "
                          "may have folded its initial value into the programs, so the value "
                          "the loader sets may not reach them",
                          FormatLocation(s.location), PrintableName(v->declaration)),
          s.location));
    }
    if (!s.value) return;
    bool integer = v->size == 1 || v->size == 2 || v->size == 4 || v->size == 8;
    if (!integer || !FitsIn(*s.value, v->size)) {
      findings_.push_back(ProfileFinding(
          kProfileIneffective, s.variable,
          absl::StrFormat("load profile %s gives %s the value %d, which does not fit in its %d "
                          "bytes; the value is not applied (give \"unknown\" for what only user "
                          "space knows)",
                          FormatLocation(s.location), PrintableName(v->declaration),
                          static_cast<int64_t>(*s.value), v->size),
          s.location));
    }
  }

  void CheckMap(const MapSizeSetting& s) {
    if (HasMap(object_, s.map)) return;
    Unknown("map", s.map, s.location,
            DidYouMean(s.map, object_.maps, [](const BpfMap& m) { return std::string_view(m.name); }));
  }

  Finding Summary() const {
    std::vector<std::string> parts;
    std::vector<std::string> off;
    for (const std::string& p : entry_.autoload_off) off.push_back(PrintableName(p));
    if (!off.empty()) parts.push_back("turns off " + Join(off, ", "));
    for (const AttachSetting& s : entry_.attach) {
      if (entry_.AutoloadOff(s.program)) continue;
      parts.push_back(absl::StrFormat("sets the attach target of %s to %s",
                                      PrintableName(s.program),
                                      s.target ? "'" + PrintableName(*s.target) + "'"
                                               : std::string("one it chooses at run time")));
    }
    std::vector<std::string> rodata;
    for (const RodataSetting& s : entry_.rodata) {
      rodata.push_back(s.value ? absl::StrFormat("%s = %d", PrintableName(s.variable),
                                                 static_cast<int64_t>(*s.value))
                               : PrintableName(s.variable) + " (unknown)");
    }
    if (!rodata.empty()) parts.push_back("sets rodata " + Join(rodata, ", "));
    std::vector<std::string> maps;
    for (const MapSizeSetting& s : entry_.map_max_entries) {
      maps.push_back(absl::StrFormat("%s to %d entries", PrintableName(s.map), s.max_entries));
    }
    if (!maps.empty()) parts.push_back("resizes " + Join(maps, ", "));
    std::string what = parts.empty() ? "changes nothing" : Join(parts, "; ");
    return ProfileFinding(kLoadProfileApplied, label_,
                          absl::StrFormat("checked as the loader prepares it: before load it %s",
                                          what),
                          entry_.location);
  }

  const ObjectProfile& entry_;
  const BpfObject& object_;
  std::string label_;
  std::vector<Finding> findings_;
};

// A rodata value the loader really writes: of a variable the object has,
// and one that fits it.
bool Applies(const RodataSetting& s, const BpfObject& object) {
  const RodataVariable* v = FindVariable(object, s.variable);
  if (v == nullptr) return false;
  if (!s.value) return true;
  bool integer = v->size == 1 || v->size == 2 || v->size == 4 || v->size == 8;
  return integer && FitsIn(*s.value, v->size);
}

}  // namespace

AppliedProfile MatchProfile(const std::vector<LoadProfile>& profiles, const BpfObject& object) {
  AppliedProfile applied;
  applied.entry = FindObjectProfile(profiles, object.path, object.sha256);
  if (applied.entry == nullptr) return applied;
  applied.label = FormatLocation(applied.entry->location);
  applied.findings = ProfileMatcher(*applied.entry, object, applied.label).Run();
  return applied;
}

void ApplyProfile(const AppliedProfile& applied, BpfObject* prepared) {
  if (applied.entry == nullptr) return;
  const ObjectProfile& entry = *applied.entry;
  prepared->loader.profile = applied.label;
  auto off = [&](const std::string& program) { return entry.AutoloadOff(program); };
  std::erase_if(prepared->programs, [&](const BpfProgram& p) { return off(p.name); });
  std::erase_if(prepared->core_relocations,
                [&](const CoreRelocation& r) { return off(r.program); });
  for (BpfProgram& program : prepared->programs) {
    const AttachSetting* s = entry.FindAttach(program.name);
    if (s == nullptr || !BtfAttachOf(program)) continue;
    program.attach_target = s->target.value_or("");
    program.attach_target_set_by_loader = true;
  }
  for (const RodataSetting& s : entry.rodata) {
    if (Applies(s, *prepared)) prepared->loader.rodata.push_back({s.variable, s.value});
  }
  for (const MapSizeSetting& s : entry.map_max_entries) {
    if (HasMap(*prepared, s.map)) prepared->loader.map_max_entries.push_back({s.map, s.max_entries});
  }
}

}  // namespace kcontract
