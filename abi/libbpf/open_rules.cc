#include "abi/libbpf/open_rules.h"

#include <string>
#include <utility>

#include "absl/strings/str_format.h"
#include "btfdiff/base/text.h"

namespace kcontract {
namespace {

std::string P(std::string_view name) { return PrintableName(name); }

class OpenRules {
 public:
  explicit OpenRules(const BpfObject& object) : object_(object) {}

  // In libbpf's order: bpf_object__open checks the byte order, then reads
  // the sections (legacy maps, programs), the BTF, the externs; the program
  // rules are those of bpf_object__load when it prepares each program.
  std::vector<Finding> Run() {
    if (object_.big_endian) {
      Add(kOpenByteOrderCode, object_.path, "",
          absl::StrFormat("the object is big-endian BPF (clang -target bpfeb), and libbpf 1.1.2 "
                          "opens only objects in the host's byte order: it refuses to open it; "
                          "libbpf: \"elf: endianness mismatch in %s.\" (libbpf 1.5 and later "
                          "open it, but still refuse to load it: \"loading non-native "
                          "endianness is unsupported\")",
                          P(object_.path)));
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
    for (const BpfProgram& program : object_.programs) {
      if (program.autoload) CheckPreparation(program);
    }
    return std::move(findings_);
  }

 private:
  void Add(std::string_view code, std::string subject, std::string program,
           std::string message) {
    Finding f;
    f.code = std::string(code);
    f.subject = std::move(subject);
    f.program = std::move(program);
    f.message = std::move(message);
    f.effect = LoadEffect::kLibbpfRejects;
    f.stage = LoadStage::kOpen;
    findings_.push_back(std::move(f));
  }

  // libbpf needs BTF for BTF-defined maps and struct_ops (it says so once
  // it read the sections), then for each extern (when it collects them).
  void CheckMissingBtf() {
    const std::vector<std::string>& sections = object_.btf_described_sections;
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
    if (program.prog_type.empty()) {
      Add(kOpenNoProgTypeCode, program.name, program.name,
          absl::StrFormat("section '%s' names no program type libbpf knows, so it cannot load "
                          "program %s (unless the loader sets one with bpf_program__set_type); "
                          "libbpf: \"prog '%s': missing BPF prog type, check ELF section name "
                          "'%s'\"",
                          P(program.section), P(program.name), P(program.name),
                          P(program.section)));
      findings_.back().stage = LoadStage::kAttach;
      return;
    }
    // A BTF-attached kernel program without a target is libbpf's attach
    // step (libbpf_check.cc); an freplace program's target is a function of
    // another BPF program, which only the loader can give (its fd).
    if (program.prog_type != "ext" || program.attach_target_set_by_loader) return;
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
  std::vector<Finding> findings_;
};

}  // namespace

std::vector<Finding> CheckOpenRules(const BpfObject& object) { return OpenRules(object).Run(); }

}  // namespace kcontract
