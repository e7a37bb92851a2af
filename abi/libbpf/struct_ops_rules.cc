#include "abi/libbpf/struct_ops_rules.h"

#include <map>
#include <optional>
#include <utility>

#include "abi/libbpf/section_rules.h"
#include "abi/libbpf/type_rules.h"
#include "absl/strings/str_format.h"
#include "btfdiff/base/text.h"
#include "btfdiff/model/type_name.h"

namespace kcontract {
namespace {

// Kernels before 6.4 take no map flags on a struct_ops map (BPF_F_LINK came
// with struct_ops links).
constexpr KernelVersion kStructOpsLinkKernel{6, 4, 0};
constexpr int kStructOpsProgType = 27;  // BPF_PROG_TYPE_STRUCT_OPS, as libbpf prints it

std::string P(std::string_view name) { return PrintableName(name); }

const BpfProgram* ProgramNamed(const BpfObject& object, std::string_view name) {
  for (const BpfProgram& program : object.programs) {
    if (program.name == name) return &program;
  }
  return nullptr;
}

const btf_member* FindMember(const Btf& btf, const btf_type* t, std::string_view name) {
  const btf_member* m = btf_members(t);
  for (uint16_t i = 0; i < btf_vlen(t); ++i) {
    if (btf.String(m[i].name_off) == name) return &m[i];
  }
  return nullptr;
}

// The member's index in the map's local type (libbpf's expected attach type).
int MemberIndex(const Btf& btf, TypeId type, std::string_view member) {
  const btf_type* t = btf.Type(type);
  if (t == nullptr || !btf_is_composite(t)) return -1;
  const btf_member* m = btf_members(t);
  for (uint16_t i = 0; i < btf_vlen(t); ++i) {
    if (btf.String(m[i].name_off) == member) return i;
  }
  return -1;
}

// The FUNC_PROTO a member points to, or void when it is no callback.
TypeId CallbackProto(const Btf& btf, TypeId member_type) {
  TypeId t = btf.SkipModsAndTypedefs(member_type);
  if (btf.Kind(t) != BTF_KIND_PTR) return TypeId{};
  TypeId proto = btf.SkipModsAndTypedefs(TypeId{btf.Type(t)->type});
  return btf.Kind(proto) == BTF_KIND_FUNC_PROTO ? proto : TypeId{};
}

bool Implements(const BpfMap& map, std::string_view member) {
  for (const StructOpsMemberUse& use : map.struct_ops_programs) {
    if (use.member == member) return true;
  }
  return false;
}

bool IsZero(const BpfMap& map, std::string_view member) {
  if (Implements(map, member)) return false;
  for (const std::string& data : map.struct_ops_data_members) {
    if (data == member) return false;
  }
  return true;
}

// "libbpf 1.1" for the release judged, in messages (the rules are the
// minor release's).
std::string Libbpf(LibbpfVersion version) {
  return absl::StrFormat("libbpf %d.%d", version.major, version.minor);
}

bool IsStructOps(const BpfMap& map) { return !map.struct_ops_type.empty(); }

class MapRules {
 public:
  MapRules(const BpfObject& object, const CheckTarget& target, LibbpfVersion version)
      : object_(object), target_(target), version_(version), local_(*object.btf) {}

  std::vector<Finding> Run() {
    for (const BpfMap& map : object_.maps) {
      if (!IsStructOps(map) || !ReadsStructOpsSection(version_, map.section)) continue;
      if (!CreatesStructOpsMap(version_, map)) continue;
      CheckMap(map);
    }
    CheckSharedPrograms();
    CheckUnbound();
    return std::move(findings_);
  }

 private:
  const std::string& kernel() const { return target_.label(); }

  void Add(std::string_view code, std::string subject, std::string message, LoadEffect effect,
           LoadStage stage = LoadStage::kStructOps, std::string program = "") {
    findings_.push_back(LoadFinding(code, std::move(subject), std::move(message), effect, stage,
                                    std::move(program)));
  }

  // libbpf looks the type up by its exact name, or from 1.4 by its
  // essential name and in the modules too; the value type
  // bpf_struct_ops_<name> beside it says the kernel registers it.
  void CheckMap(const BpfMap& map) {
    const std::string& local_name = map.struct_ops_type;
    const bool flavour = EssentialName(local_name) != local_name;
    const std::string name = Has(version_, LibbpfFeature::kStructOpsTypeFlavour)
                                 ? std::string(EssentialName(local_name))
                                 : local_name;
    const bool modules = Has(version_, LibbpfFeature::kStructOpsInModule);
    auto find = [&](const std::string& n) {
      return modules ? target_.names().Find(n, BTF_KIND_STRUCT)
                     : target_.names().FindInVmlinux(n, BTF_KIND_STRUCT);
    };
    std::optional<NamedType> table = find(name);
    if (!table) {
      std::string message = absl::StrFormat("struct_ops type 'struct %s' (map %s) is not in %s",
                                            name, map.name, kernel());
      if (flavour && !Has(version_, LibbpfFeature::kStructOpsTypeFlavour)) {
        message += absl::StrFormat(
            "; %s looks struct_ops types up by their exact name, flavour included: from "
            "libbpf %s it looks up 'struct %s' (%s)",
            Libbpf(version_), RuleOf(LibbpfFeature::kStructOpsTypeFlavour).since.ToString(),
            EssentialName(local_name), RuleOf(LibbpfFeature::kStructOpsTypeFlavour).name);
      } else if (!modules && target_.names().Find(name, BTF_KIND_STRUCT)) {
        message += absl::StrFormat(
            "'s vmlinux: a module has it, and %s looks struct_ops types up in vmlinux only "
            "(libbpf >= %s looks in the modules too)",
            Libbpf(version_), RuleOf(LibbpfFeature::kStructOpsInModule).since.ToString());
      }
      Add("struct-ops-missing", name, message, LoadEffect::kLibbpfRejects);
      return;
    }
    std::optional<NamedType> value = find("bpf_struct_ops_" + name);
    if (!value || value->btf != table->btf) {
      Add("struct-ops-missing", name,
          absl::StrFormat("%s has 'struct %s' but does not register it as a struct_ops type",
                          kernel(), name),
          LoadEffect::kLibbpfRejects);
      return;
    }
    CheckLinkFlag(map);
    CheckMembers(map, name, *table->btf, table->id);
  }

  void CheckLinkFlag(const BpfMap& map) {
    const StructOpsSection* section = FindStructOpsSection(map.section);
    KernelVersion version = target_.kernel().version();
    if (section == nullptr || !section->link || !version.known() ||
        !(version < kStructOpsLinkKernel)) {
      return;
    }
    Add(kStructOpsLinkCode, map.name,
        absl::StrFormat("map %s is in section %s, which libbpf creates with BPF_F_LINK, and "
                        "%s (< 6.4) takes no flags on a struct_ops map: the kernel refuses to "
                        "create it (EINVAL) and libbpf stops; libbpf: \"map '%s': failed to "
                        "create\"",
                        P(map.name), P(map.section), kernel(), P(map.name)),
        LoadEffect::kLibbpfRejects);
  }

  void CheckMembers(const BpfMap& map, const std::string& name, const Btf& kbtf,
                    TypeId kernel_type) {
    const btf_type* kt = kbtf.Type(kernel_type);
    const btf_type* lt = local_.Type(map.struct_ops_type_id);
    if (lt == nullptr || !btf_is_composite(lt)) return;
    const btf_member* lm = btf_members(lt);
    for (uint16_t i = 0; i < btf_vlen(lt); ++i) {
      std::string member(local_.String(lm[i].name_off));
      std::string subject = name + "." + member;
      const btf_member* km = FindMember(kbtf, kt, member);
      if (km == nullptr) {
        MissingMember(map, name, member, subject);
        continue;
      }
      TypeId local_cb = CallbackProto(local_, TypeId{lm[i].type});
      TypeId kernel_cb = CallbackProto(kbtf, TypeId{km->type});
      if (!local_cb.is_void()) {
        if (kernel_cb.is_void()) {
          Add("struct-ops-member", subject,
              absl::StrFormat("a callback here but not a function pointer in %s", kernel()),
              LoadEffect::kLibbpfRejects);
          continue;
        }
        if (Implements(map, member)) {
          for (const ProtoDifference& d : DiffFuncProtos(local_, local_cb, kbtf, kernel_cb)) {
            Add("callback-proto", subject,
                DescribeProtoDifference(d, false, kernel()) +
                    " (the verifier checks the program against the kernel's prototype)",
                LoadEffect::kVerifierMay);
          }
        }
        continue;
      }
      std::optional<uint64_t> local_size = local_.ResolveSize(TypeId{lm[i].type});
      std::optional<uint64_t> kernel_size = kbtf.ResolveSize(TypeId{km->type});
      if (local_size != kernel_size) {
        Add("struct-ops-member", subject,
            absl::StrFormat("member is %s bytes here but %s in %s; libbpf rejects it",
                            local_size ? std::to_string(*local_size) : "?",
                            kernel_size ? std::to_string(*kernel_size) : "?", kernel()),
            LoadEffect::kLibbpfRejects);
      }
    }
  }

  void MissingMember(const BpfMap& map, const std::string& name, const std::string& member,
                     const std::string& subject) {
    const LibbpfRule& skip = RuleOf(LibbpfFeature::kStructOpsZeroMemberSkipped);
    const bool zero = IsZero(map, member);
    if (!Has(version_, skip.feature)) {
      // The words 1.1's own check has always had.
      Add("struct-ops-member", subject,
          absl::StrFormat("member is not in %s's struct %s; %s fails even when the object "
                          "leaves it zero (libbpf >= %s skips zero members%s: %s)",
                          kernel(), name, Libbpf(version_), skip.since.ToString(),
                          zero ? ", as this one is" : "", skip.name),
          LoadEffect::kLibbpfRejects);
      return;
    }
    if (zero) {
      Add("struct-ops-member", subject,
          absl::StrFormat("member is not in %s's struct %s; the object leaves it zero, which "
                          "%s skips (%s)",
                          kernel(), name, Libbpf(version_), skip.name),
          LoadEffect::kNone);
      return;
    }
    Add("struct-ops-member", subject,
        absl::StrFormat("member is not in %s's struct %s and the object sets it (%s); libbpf "
                        "fails (it skips only members left zero)",
                        kernel(), name,
                        Implements(map, member) ? "a program" : "non-zero data"),
        LoadEffect::kLibbpfRejects);
  }

  // From 1.4 one program may serve several created maps, when each is the
  // same kernel type and member: libbpf checks it as it prepares each map.
  void CheckSharedPrograms() {
    if (!Has(version_, LibbpfFeature::kStructOpsProgramShared)) return;  // refused at open
    struct Use {
      const BpfMap* map;
      std::string type;
      std::string member;
    };
    std::map<std::string, Use> first;
    for (const BpfMap& map : object_.maps) {
      if (!IsStructOps(map) || !ReadsStructOpsSection(version_, map.section) ||
          !CreatesStructOpsMap(version_, map)) {
        continue;
      }
      std::string type(EssentialName(map.struct_ops_type));
      for (const StructOpsMemberUse& use : map.struct_ops_programs) {
        auto [it, inserted] = first.try_emplace(use.program, Use{&map, type, use.member});
        if (inserted || (it->second.type == type && it->second.member == use.member)) continue;
        Add(kStructOpsSharedProgramCode, use.program,
            absl::StrFormat("program %s serves map %s as struct %s.%s and map %s as struct "
                            "%s.%s: libbpf ties a struct_ops program to one kernel type and "
                            "member and refuses the second; libbpf: \"struct_ops init_kern "
                            "%s func ptr %s: invalid reuse of prog %s\"",
                            P(use.program), P(it->second.map->name), it->second.type,
                            it->second.member, P(map.name), type, use.member, P(map.name),
                            use.member, P(use.program)),
            LoadEffect::kLibbpfRejects, LoadStage::kStructOps, use.program);
      }
    }
  }

  // A struct_ops program libbpf loads without an attach target: no map it
  // reads binds it (unused, or used only by maps in a section this release
  // skips).
  void CheckUnbound() {
    std::set<std::string> bound;
    std::map<std::string, std::string> skipped_section;  // program -> section skipped
    for (const BpfMap& map : object_.maps) {
      if (!IsStructOps(map)) continue;
      const bool read = ReadsStructOpsSection(version_, map.section);
      for (const StructOpsMemberUse& use : map.struct_ops_programs) {
        if (read) {
          bound.insert(use.program);
        } else {
          skipped_section.try_emplace(use.program, map.section);
        }
      }
    }
    for (const BpfProgram& program : object_.programs) {
      if (!program.autoload || bound.count(program.name)) continue;
      if (ProgTypeFor(program, version_) != "struct_ops") continue;
      auto skipped = skipped_section.find(program.name);
      std::string why;
      if (skipped != skipped_section.end()) {
        const StructOpsSection* section = FindStructOpsSection(skipped->second);
        const LibbpfRule* rule = section && section->since ? &RuleOf(*section->since) : nullptr;
        why = absl::StrFormat("%s skips section %s, so the map using program %s is never "
                              "read%s",
                              Libbpf(version_), P(skipped->second), P(program.name),
                              rule ? absl::StrFormat(" (libbpf >= %s reads it: %s)",
                                                     rule->since.ToString(), rule->name)
                                   : std::string());
      } else {
        why = absl::StrFormat("no struct_ops map uses program %s", P(program.name));
      }
      if (Has(version_, LibbpfFeature::kUnreferencedStructOpsRefused)) {
        Add(kStructOpsUnboundCode, program.name,
            absl::StrFormat("%s: libbpf refuses to load it; libbpf: \"prog '%s': "
                            "SEC(\\\"struct_ops\\\") program isn't referenced anywhere, did you "
                            "forget to use it?\"",
                            why, P(program.name)),
            LoadEffect::kLibbpfRejects, LoadStage::kAttach, program.name);
      } else {
        Add(kStructOpsUnboundCode, program.name,
            absl::StrFormat("%s: libbpf loads it with no struct_ops type to attach to and the "
                            "kernel refuses it (-524, ENOTSUPP: \"attach_btf_id 0 is not a "
                            "supported struct\"; libbpf >= %s refuses it first: %s)",
                            why,
                            RuleOf(LibbpfFeature::kUnreferencedStructOpsRefused).since.ToString(),
                            RuleOf(LibbpfFeature::kUnreferencedStructOpsRefused).name),
            LoadEffect::kVerifierRejects, LoadStage::kVerifier, program.name);
      }
    }
  }

  const BpfObject& object_;
  const CheckTarget& target_;
  const LibbpfVersion version_;
  const Btf& local_;
  std::vector<Finding> findings_;
};

}  // namespace

StructOpsLeftOut StructOpsLeftOutBy(const BpfObject& object, LibbpfVersion version) {
  StructOpsLeftOut out;
  std::set<std::string> used_by_created;
  std::set<std::string> used_by_left_out;
  for (const BpfMap& map : object.maps) {
    if (!IsStructOps(map) || !ReadsStructOpsSection(version, map.section)) continue;
    const bool created = CreatesStructOpsMap(version, map);
    if (!created) out.maps.insert(map.name);
    for (const StructOpsMemberUse& use : map.struct_ops_programs) {
      (created ? used_by_created : used_by_left_out).insert(use.program);
    }
  }
  for (const std::string& program : used_by_left_out) {
    if (!used_by_created.count(program)) out.programs.insert(program);
  }
  return out;
}

std::vector<Finding> CheckStructOpsOpen(const BpfObject& object, LibbpfVersion version) {
  std::vector<Finding> findings;
  if (object.btf == nullptr) return findings;
  const Btf& btf = *object.btf;
  const bool shared_ok = Has(version, LibbpfFeature::kStructOpsProgramShared);
  struct Tie {
    const BpfMap* map;
    int member;
    std::string member_name;
  };
  std::map<std::string, Tie> tied;  // program -> the first map and member tying it
  for (const BpfMap& map : object.maps) {
    if (!IsStructOps(map) || !ReadsStructOpsSection(version, map.section)) continue;
    for (const StructOpsMemberUse& use : map.struct_ops_programs) {
      const BpfProgram* program = ProgramNamed(object, use.program);
      if (program == nullptr) continue;
      std::string type = ProgTypeFor(*program, version);
      if (type != "struct_ops") {
        std::string why = type.empty()
                              ? absl::StrFormat("section %s gives it no program type in %s",
                                                P(program->section), Libbpf(version))
                              : absl::StrFormat("section %s makes it a %s program",
                                                P(program->section), type);
        if (std::optional<LibbpfFeature> since = SectionFeature(*program);
            since && !Has(version, *since)) {
          why += absl::StrFormat(" (libbpf >= %s knows the section: %s)",
                                 RuleOf(*since).since.ToString(), RuleOf(*since).name);
        }
        findings.push_back(LoadFinding(
            kStructOpsProgramTypeCode, use.program,
            absl::StrFormat("map %s sets .%s to program %s, which libbpf does not take for a "
                            "struct_ops program: %s; it refuses to open the object; libbpf: "
                            "\"struct_ops reloc %s: prog %s is not struct_ops BPF program\"",
                            P(map.name), P(use.member), P(use.program), why, P(map.name),
                            P(use.program)),
            LoadEffect::kLibbpfRejects, LoadStage::kOpen, use.program));
        continue;
      }
      if (shared_ok) continue;
      int member = MemberIndex(btf, map.struct_ops_type_id, use.member);
      auto [it, inserted] = tied.try_emplace(use.program, Tie{&map, member, use.member});
      const Tie& first = it->second;
      if (inserted || (first.map->struct_ops_type_id == map.struct_ops_type_id &&
                       first.member == member)) {
        continue;
      }
      findings.push_back(LoadFinding(
          kStructOpsSharedProgramCode, use.program,
          absl::StrFormat(
              "program %s serves map %s (struct %s, member %s, #%d) and map %s (struct %s, "
              "member %s, #%d): %s ties a struct_ops program to the local type and member of "
              "the first map that uses it and refuses the object at open (libbpf >= %s ties "
              "it to the kernel's type: %s); libbpf: \"struct_ops reloc %s: cannot use prog %s "
              "in sec "
              "%s with type %d attach_btf_id %d expected_attach_type %d for func ptr %s\"",
              P(use.program), P(first.map->name), P(first.map->struct_ops_type),
              P(first.member_name), first.member, P(map.name), P(map.struct_ops_type),
              P(use.member), member, Libbpf(version),
              RuleOf(LibbpfFeature::kStructOpsProgramShared).since.ToString(),
              RuleOf(LibbpfFeature::kStructOpsProgramShared).name, P(map.name),
              P(use.program), P(program->section), kStructOpsProgType,
              first.map->struct_ops_type_id.value, first.member, P(use.member)),
          LoadEffect::kLibbpfRejects, LoadStage::kOpen, use.program));
    }
  }
  return findings;
}

std::vector<Finding> CheckStructOpsMaps(const BpfObject& object, const CheckTarget& target,
                                        LibbpfVersion version) {
  if (object.btf == nullptr) return {};
  return MapRules(object, target, version).Run();
}

}  // namespace kcontract
