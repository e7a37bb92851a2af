#include "abi/reach/program_linker.h"

#include <cstring>
#include <deque>

#include "absl/strings/str_format.h"
#include "btfdiff/base/text.h"

namespace kcontract {
namespace {

constexpr uint8_t kLdImm64 = BPF_LD | BPF_IMM | BPF_DW;

bool IsCall(const bpf_insn& insn) { return insn.code == (BPF_JMP | BPF_CALL); }

class Linker {
 public:
  Linker(const BpfObject& object, const LinkFacts& facts)
      : object_(object), code_(object.code), facts_(facts) {}

  absl::StatusOr<LinkedProgram> Link(std::string_view program) {
    const CodeFunction* main = code_.FunctionNamed(program);
    if (main == nullptr || code_.Section(main->section) == nullptr) {
      return Error(program, "no code for this program");
    }
    program_ = std::string(program);
    out_.image.name = program_;
    Place(*main);
    // Subprograms are appended as calls reach them, as libbpf does; each
    // function once per program.
    for (size_t next = 0; next < placed_.size(); ++next) {
      absl::Status status = Relocate(placed_[next]);
      if (!status.ok()) return status;
    }
    return std::move(out_);
  }

 private:
  struct Placed {
    const CodeFunction* function;
    uint32_t start;  // image index
  };

  absl::Status Error(std::string_view program, std::string_view reason) const {
    return absl::InvalidArgumentError(absl::StrFormat(
        "%s: program %s: %s", object_.path, PrintableName(program), reason));
  }

  uint32_t Place(const CodeFunction& f) {
    uint32_t start = static_cast<uint32_t>(out_.image.insns.size());
    const CodeSection* section = code_.Section(f.section);
    for (uint32_t i = 0; i < f.count && f.first + i < section->insns.size(); ++i) {
      out_.image.insns.push_back(section->insns[f.first + i]);
      out_.origin.push_back(InsnSite{f.section, f.first + i});
    }
    out_.image.subprograms.push_back(Subprogram{start, f.name, placed_.empty() ? false : f.global});
    placed_.push_back(Placed{&f, start});
    return start;
  }

  // The image index of instruction `insn` of `section`, placing the
  // function that holds it when it is not yet placed.
  absl::StatusOr<uint32_t> ImageIndexOf(uint32_t section, int64_t insn) {
    if (insn < 0) return Error(program_, "a call or function address before its section");
    const CodeFunction* f = code_.FunctionAt(section, static_cast<uint32_t>(insn));
    if (f == nullptr) {
      return Error(program_, absl::StrFormat("a call or function address into no function "
                                             "(instruction %d of section %d)",
                                             insn, section));
    }
    for (const Placed& p : placed_) {
      if (p.function == f) return p.start + (static_cast<uint32_t>(insn) - f->first);
    }
    return Place(*f) + (static_cast<uint32_t>(insn) - f->first);
  }

  absl::Status Relocate(Placed placed) {
    const CodeFunction& f = *placed.function;
    for (uint32_t i = 0; i < f.count; ++i) {
      uint32_t at = placed.start + i;
      if (at >= out_.image.insns.size()) break;
      InsnSite site{f.section, f.first + i};
      if (facts_.rejected.contains(site)) {
        Watch(at, site);
        continue;
      }
      if (auto core = facts_.core.find(site); core != facts_.core.end()) {
        PatchCore(at, site, core->second);
        continue;
      }
      absl::Status status = RelocateReference(at, site);
      if (!status.ok()) return status;
    }
    return absl::OkStatus();
  }

  // libbpf's bpf_core_patch_insn: the value goes where the instruction
  // keeps it; a poisoned one becomes a call of a helper no kernel has (both
  // halves of an LD_IMM64).
  void PatchCore(uint32_t at, InsnSite site, const CorePatch& patch) {
    std::vector<bpf_insn>& insns = out_.image.insns;
    bpf_insn& insn = insns[at];
    if (patch.poisoned) {
      bool wide = insn.code == kLdImm64 && at + 1 < insns.size();
      insn = bpf_insn{};
      insn.code = BPF_JMP | BPF_CALL;
      insn.imm = kPoisonedCallId;
      if (wide) insns[at + 1] = insn;
      Watch(at, site);
      return;
    }
    switch (BPF_CLASS(insn.code)) {
      case BPF_ALU:
      case BPF_ALU64:
        insn.imm = static_cast<int32_t>(patch.value);
        break;
      case BPF_LDX:
      case BPF_ST:
      case BPF_STX:
        insn.off = static_cast<int16_t>(patch.value);
        break;
      case BPF_LD:
        if (insn.code == kLdImm64 && at + 1 < insns.size()) {
          insn.imm = static_cast<int32_t>(patch.value);
          insns[at + 1].imm = static_cast<int32_t>(patch.value >> 32);
        }
        break;
    }
  }

  void Watch(uint32_t at, InsnSite site) {
    out_.image.watched.insert(at);
    out_.watched_sites.emplace(site, at);
  }

  absl::Status RelocateReference(uint32_t at, InsnSite site) {
    bpf_insn& insn = out_.image.insns[at];
    const CodeReference* ref = code_.ReferenceAt(site.first, site.second);
    if (IsCall(insn) && ref != nullptr && ref->kind == CodeReference::Kind::kExtern) {
      // A kfunc call (clang emits it as a pseudo call of the extern): libbpf
      // makes it a kfunc call; an absent weak one keeps BTF id 0.
      insn.src_reg = BPF_PSEUDO_KFUNC_CALL;
      if (facts_.absent_externs.contains(ref->symbol)) {
        insn.imm = 0;
        insn.off = 0;
        if (facts_.watch_absent_kfunc_calls) Watch(at, site);
      }
      return absl::OkStatus();
    }
    if (IsCall(insn) && insn.src_reg == BPF_PSEUDO_CALL) {
      int64_t target = ref != nullptr && ref->kind == CodeReference::Kind::kFunction
                           ? static_cast<int64_t>(ref->symbol_offset / 8) + insn.imm + 1
                           : static_cast<int64_t>(site.second) + insn.imm + 1;
      uint32_t section = ref != nullptr ? ref->target_section : site.first;
      absl::StatusOr<uint32_t> index = ImageIndexOf(section, target);
      if (!index.ok()) return index.status();
      out_.image.insns[at].imm = static_cast<int32_t>(*index) - static_cast<int32_t>(at) - 1;
      return absl::OkStatus();
    }
    if (ref == nullptr || IsCall(insn)) return absl::OkStatus();
    if (insn.code != kLdImm64 || at + 1 >= out_.image.insns.size()) return absl::OkStatus();
    switch (ref->kind) {
      case CodeReference::Kind::kFunction: {
        if (insn.src_reg != BPF_PSEUDO_FUNC) break;
        int64_t target = (static_cast<int64_t>(ref->symbol_offset) + insn.imm) / 8;
        absl::StatusOr<uint32_t> index = ImageIndexOf(ref->target_section, target);
        if (!index.ok()) return index.status();
        out_.image.insns[at].imm = static_cast<int32_t>(*index) - static_cast<int32_t>(at) - 1;
        break;
      }
      case CodeReference::Kind::kMap:
        out_.image.addresses[at] = LoadedAddress{LoadedAddress::Kind::kMap, -1, 0};
        break;
      case CodeReference::Kind::kData:
        out_.image.addresses[at] = LoadedAddress{
            LoadedAddress::Kind::kMapValue, DataRegion(ref->target_section),
            static_cast<int64_t>(ref->symbol_offset) + insn.imm};
        break;
      case CodeReference::Kind::kExtern:
        RelocateExtern(at, ref->symbol);
        break;
    }
    return absl::OkStatus();
  }

  void RelocateExtern(uint32_t at, const std::string& name) {
    std::vector<bpf_insn>& insns = out_.image.insns;
    const BpfExtern* ext = nullptr;
    for (const BpfExtern& e : object_.externs) {
      if (e.name == name) ext = &e;
    }
    if (ext != nullptr && ext->kind == ExternKind::kKconfig) {
      out_.image.addresses[at] =
          LoadedAddress{LoadedAddress::Kind::kMapValue, KconfigRegion(name), 0};
      return;
    }
    if (facts_.absent_externs.contains(name)) {
      // libbpf writes the address 0: a constant the verifier branches on.
      insns[at].src_reg = 0;
      insns[at].imm = 0;
      insns[at + 1].imm = 0;
      return;
    }
    out_.image.addresses[at] = LoadedAddress{LoadedAddress::Kind::kKernelObject, -1, 0};
  }

  // The region of a data section, made on first use: its bytes with the
  // loader's known settings written in, and its loader-set unknowns.
  int DataRegion(uint32_t section) {
    if (auto it = data_regions_.find(section); it != data_regions_.end()) return it->second;
    kcontract::DataRegion region;
    if (const DataSection* data = code_.Data(section)) {
      region.name = data->name;
      region.read_only = data->read_only;
      region.bytes = data->bytes;
      for (const LoaderSetRodata& setting : facts_.rodata) {
        for (const DataVariable& v : data->variables) {
          if (v.name != setting.variable || !data->read_only) continue;
          if (!setting.value) {
            region.loader_set.push_back({v.name, v.offset, v.size});
          } else if (v.size <= 8 && uint64_t{v.offset} + v.size <= region.bytes.size()) {
            std::memcpy(region.bytes.data() + v.offset, &*setting.value, v.size);
          }
        }
      }
    }
    int index = static_cast<int>(out_.image.regions.size());
    out_.image.regions.push_back(std::move(region));
    data_regions_[section] = index;
    return index;
  }

  int KconfigRegion(const std::string& name) {
    if (auto it = kconfig_regions_.find(name); it != kconfig_regions_.end()) return it->second;
    kcontract::DataRegion region;
    region.name = ".kconfig:" + name;
    region.read_only = true;
    if (auto value = facts_.kconfig.find(name); value != facts_.kconfig.end()) {
      region.bytes = value->second;
    }
    int index = static_cast<int>(out_.image.regions.size());
    out_.image.regions.push_back(std::move(region));
    kconfig_regions_[name] = index;
    return index;
  }

  const BpfObject& object_;
  const ObjectCode& code_;
  const LinkFacts& facts_;
  std::string program_;
  LinkedProgram out_;
  std::vector<Placed> placed_;
  std::map<uint32_t, int> data_regions_;
  std::map<std::string, int> kconfig_regions_;
};

}  // namespace

absl::StatusOr<LinkedProgram> LinkProgram(const BpfObject& object, std::string_view program,
                                          const LinkFacts& facts) {
  return Linker(object, facts).Link(program);
}

}  // namespace kcontract
