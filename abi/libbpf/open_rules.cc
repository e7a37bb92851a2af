#include "abi/libbpf/open_rules.h"

#include <string>
#include <utility>

#include "abi/libbpf/section_rules.h"
#include "abi/libbpf/struct_ops_rules.h"
#include "absl/strings/str_format.h"
#include "btfdiff/base/text.h"

namespace kcontract {
namespace {

std::string P(std::string_view name) { return PrintableName(name); }

class OpenRules {
 public:
  OpenRules(const BpfObject& object, LibbpfVersion version)
      : object_(object), version_(version), left_out_(StructOpsLeftOutBy(object, version)) {}

  // In libbpf's order: bpf_object__open checks the byte order, then reads
  // the sections (legacy maps, programs), the BTF, the externs; the program
  // rules are those of bpf_object__load when it prepares each program.
  std::vector<Finding> Run() {
    if (object_.big_endian) {
      CheckByteOrder();
      return std::move(findings_);
    }
    if (object_.legacy_maps) {
      Add(kOpenLegacyMapsCode, "maps", "",
          "map definitions in section \"maps\" (struct bpf_map_def) are the pre-1.0 way, which "
          "libbpf 1.x no longer reads (maps are defined in SEC(\".maps\") now): it refuses to "
          "open the object; libbpf: \"elf: legacy map definitions in 'maps' section are not "
          "supported by libbpf v1.0+\"");
    }
    for (const BpfProgram& program : object_.programs) {
      if (program.global) continue;
      // libbpf names the section as the ELF does, with the '?' of autoload off.
      std::string section = (program.autoload ? "" : "?") + program.section;
      Add(kOpenStaticProgramCode, program.name, program.name,
          absl::StrFormat("program %s is static: libbpf 1.x takes only global functions as "
                          "programs and refuses to open the object; libbpf: \"sec '%s': "
                          "program '%s' is static and not supported\"",
                          P(program.name), P(section), P(program.name)));
    }
    if (object_.btf == nullptr) CheckMissingBtf();
    for (Finding& f : CheckStructOpsOpen(object_, version_)) findings_.push_back(std::move(f));
    for (const BpfProgram& program : object_.programs) {
      // Programs only struct_ops maps it does not create use are turned
      // off by libbpf itself (from 1.4).
      if (program.autoload && !left_out_.programs.count(program.name)) CheckPreparation(program);
    }
    return std::move(findings_);
  }

 private:
  void Add(std::string_view code, std::string subject, std::string program,
           std::string message) {
    findings_.push_back(LoadFinding(code, std::move(subject), std::move(message),
                                    LoadEffect::kLibbpfRejects, LoadStage::kOpen,
                                    std::move(program)));
  }

  // Before 1.5 libbpf opens only objects of the host's byte order; later
  // releases open one (to link or show it) and refuse to load it.
  void CheckByteOrder() {
    if (!Has(version_, LibbpfFeature::kNonNativeEndianOpen)) {
      Add(kOpenByteOrderCode, object_.path, "",
          absl::StrFormat("the object is big-endian BPF (clang -target bpfeb), and libbpf %s "
                          "opens only objects in the host's byte order: it refuses to open it; "
                          "libbpf: \"elf: endianness mismatch in %s.\" (libbpf 1.5 and later "
                          "open it, but still refuse to load it: \"loading non-native "
                          "endianness is unsupported\")",
                          VersionText(), P(object_.path)));
      return;
    }
    Add(kOpenByteOrderCode, object_.path, "",
        absl::StrFormat("the object is big-endian BPF (clang -target bpfeb): libbpf %s opens it "
                        "but loads only objects in the host's byte order, so it refuses to "
                        "load it; libbpf: \"object '%s': loading non-native endianness is "
                        "unsupported\" (libbpf before 1.5 refuses to open it)",
                        VersionText(), P(object_.path)));
  }

  // "1.1": the release judged.
  std::string VersionText() const {
    return version_.ToString();
  }

  // libbpf needs BTF for BTF-defined maps and struct_ops (it says so once
  // it read the sections), then for each extern (when it collects them).
  void CheckMissingBtf() {
    std::vector<std::string> sections;
    for (const std::string& s : object_.btf_described_sections) {
      // Struct_ops sections this release skips need nothing of it.
      if (FindStructOpsSection(s) == nullptr || ReadsStructOpsSection(version_, s)) {
        sections.push_back(s);
      }
    }
    if (!sections.empty()) {
      std::vector<std::string> shown;
      for (const std::string& s : sections) shown.push_back(P(s));
      Add(kOpenBtfRequiredCode, sections.front(), "",
          absl::StrFormat("the object has no .BTF (built without -g, or stripped), and libbpf "
                          "reads the definitions in section%s %s from it: it refuses to open "
                          "the object; libbpf: \"BTF is required, but is missing or "
                          "corrupted.\"",
                          sections.size() > 1 ? "s" : "", Join(shown, " and ")));
      return;
    }
    if (object_.extern_symbols.empty()) return;
    const std::string& first = object_.extern_symbols.front();
    std::string others;
    if (object_.extern_symbols.size() > 1) {
      others = absl::StrFormat(" (the first of %d externs)", object_.extern_symbols.size());
    }
    Add(kOpenBtfRequiredCode, first, "",
        absl::StrFormat("the object has no .BTF (built without -g, or stripped), so libbpf "
                        "cannot tell what extern %s is%s: it refuses to open the object; "
                        "libbpf: \"failed to find BTF for extern '%s'\"",
                        P(first), others, P(first)));
  }

  // What libbpf needs to prepare a program it loads, before the kernel sees
  // it: a program type (from the section name, unless the loader sets one)
  // and, for freplace programs, the program holding the function replaced.
  void CheckPreparation(const BpfProgram& program) {
    const std::string prog_type = ProgTypeFor(program, version_);
    if (prog_type.empty()) {
      std::string later;
      if (std::optional<LibbpfFeature> since = SectionFeature(program)) {
        later = absl::StrFormat(" (libbpf %s does not know the section; libbpf >= %s does: %s)",
                                VersionText(), RuleOf(*since).since.ToString(),
                                RuleOf(*since).name);
      }
      Add(kOpenNoProgTypeCode, program.name, program.name,
          absl::StrFormat("section '%s' names no program type libbpf knows, so it cannot load "
                          "program %s (unless the loader sets one with bpf_program__set_type); "
                          "libbpf: \"prog '%s': missing BPF prog type, check ELF section name "
                          "'%s'\"%s",
                          P(program.section), P(program.name), P(program.name),
                          P(program.section), later));
      findings_.back().stage = LoadStage::kAttach;
      return;
    }
    // A BTF-attached kernel program without a target is libbpf's attach
    // step (libbpf_check.cc); an freplace program's target is a function of
    // another BPF program, which only the loader can give (its fd).
    if (prog_type != "ext" || program.attach_target_set_by_loader) return;
    if (program.section.find('/') == std::string::npos) {
      // libbpf's words are those of a kernel program without a target, and
      // so is its stage.
      Add(kOpenAttachTargetUnsetCode, program.name, program.name,
          absl::StrFormat("freplace program %s names no function to replace: the loader "
                          "must give the program and its function "
                          "(bpf_program__set_attach_target) before load; as shipped, libbpf "
                          "refuses to load it; libbpf: \"prog '%s': no BTF-based attach target "
                          "is specified, use bpf_program__set_attach_target()\"",
                          P(program.name), P(program.name)));
      findings_.back().stage = LoadStage::kAttach;
      return;
    }
    Add(kOpenAttachProgramUnsetCode, program.name, program.name,
        absl::StrFormat("freplace program %s replaces a function of another BPF program, "
                        "which only the loader can give (bpf_program__set_attach_target) "
                        "before load: as shipped, libbpf refuses to load it; libbpf: \"prog "
                        "'%s': attach program FD is not set\" and \"failed to prepare load "
                        "attributes\"",
                        P(program.name), P(program.name)));
    findings_.back().stage = LoadStage::kAttach;
  }

  const BpfObject& object_;
  const LibbpfVersion version_;
  const StructOpsLeftOut left_out_;
  std::vector<Finding> findings_;
};

}  // namespace

std::vector<Finding> CheckOpenRules(const BpfObject& object, LibbpfVersion version) {
  return OpenRules(object, version).Run();
}

}  // namespace kcontract
