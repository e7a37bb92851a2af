#include "btfdiff/model/name_index.h"

#include <bpf/btf.h>

#include <algorithm>
#include <array>
#include <cstring>

#include "btfdiff/model/kernel_btf.h"
#include "btfdiff/model/type_name.h"

namespace kcontract {
namespace {

constexpr uint32_t KindBit(uint32_t kind) { return kind < 32 ? 1u << kind : 0; }

constexpr uint32_t kEnumKinds = KindBit(BTF_KIND_ENUM) | KindBit(BTF_KIND_ENUM64);

// The kinds a contract name may name, by precedence for a bare name:
// a typedef, then a struct, a union, an enum.
constexpr std::array<uint32_t, 4> kContractKinds = {
    KindBit(BTF_KIND_TYPEDEF), KindBit(BTF_KIND_STRUCT), KindBit(BTF_KIND_UNION), kEnumKinds};

uint32_t ContractKindsOf(std::string_view keyword) {
  if (keyword == "struct") return KindBit(BTF_KIND_STRUCT);
  if (keyword == "union") return KindBit(BTF_KIND_UNION);
  if (keyword == "enum") return kEnumKinds;
  uint32_t all = 0;
  for (uint32_t kinds : kContractKinds) all |= kinds;
  return all;
}

// The first `limit` (at most 8) bytes of `text`, stopping at a NUL, packed
// into an integer as in memory (the low byte first): the first byte is bits
// 0-7, so a mask of the low 8n bits keeps the first n bytes.
uint64_t NamePrefix(const char* text, size_t limit) {
  uint64_t prefix = 0;
  for (size_t i = 0; i < limit && i < 8 && text[i] != '\0'; ++i) {
    prefix |= uint64_t{static_cast<uint8_t>(text[i])} << (8 * i);
  }
  return prefix;
}

size_t PrecedenceOf(uint32_t kind) {
  for (size_t i = 0; i < kContractKinds.size(); ++i) {
    if (kContractKinds[i] & KindBit(kind)) return i;
  }
  return kContractKinds.size();
}

}  // namespace

KernelNameIndex::KernelNameIndex(const KernelBtf& kernel, int scanned_lookups)
    : scanned_lookups_(scanned_lookups) {
  if (kernel.vmlinux) {
    blobs_.push_back(Blob{kernel.vmlinux.get(), nullptr});
    has_vmlinux_ = true;
  }
  for (const ModuleBtf& module : kernel.modules) {
    blobs_.push_back(Blob{module.btf.get(), &module.name});
  }
}

void KernelNameIndex::Build() const {
  built_ = true;
  for (uint32_t blob = 0; blob < blobs_.size(); ++blob) {
    // Asks libbpf directly: this runs once per type of a distribution kernel.
    const Btf& btf = *blobs_[blob].btf;
    const struct btf* raw_btf = btf.libbpf();
    by_name_.reserve(by_name_.size() + btf.own_type_count() / 2);
    for (uint32_t raw = btf.first_id().value; raw < btf.end_id().value; ++raw) {
      const btf_type* t = btf__type_by_id(raw_btf, raw);
      std::string_view name = btf.String(t->name_off);
      if (name.empty()) continue;
      std::string_view essential = EssentialName(name);
      by_name_[essential].push_back(Entry{blob, raw, static_cast<uint8_t>(btf_kind(t)),
                                          essential.size() != name.size()});
    }
  }
}

template <typename Visit>
void KernelNameIndex::ForEachNamed(std::string_view essential, uint32_t kinds, bool vmlinux_only,
                                   Visit visit) const {
  if (essential.empty()) return;
  uint32_t blob_end = vmlinux_only ? (has_vmlinux_ ? 1 : 0) : blobs_.size();
  if (!built_ && ++lookups_ > scanned_lookups_) Build();
  if (built_) {
    auto it = by_name_.find(essential);
    if (it == by_name_.end()) return;
    for (const Entry& entry : it->second) {
      if (entry.blob >= blob_end) return;
      if ((kinds & KindBit(entry.kind)) == 0) continue;
      const Blob& blob = blobs_[entry.blob];
      TypeId id{entry.id};
      std::string_view name = entry.flavoured ? blob.btf->Name(id) : essential;
      if (visit(NamedType{blob.btf, id, blob.module}, entry.kind, name)) return;
    }
    return;
  }
  // A scan walks only the types of the kinds asked for: the first scan for a
  // set of kinds lists them (in blob order), later ones walk that list, so a
  // handful of scans cost about one pass over the kernel's types.
  auto [listed, first_scan] = scan_lists_.try_emplace(kinds);
  std::vector<ScanEntry>& list = listed->second;
  if (first_scan) {
    for (uint32_t blob = 0; blob < blobs_.size(); ++blob) {
      const Btf& btf = *blobs_[blob].btf;
      const struct btf* raw_btf = btf.libbpf();
      for (uint32_t raw = btf.first_id().value; raw < btf.end_id().value; ++raw) {
        const btf_type* t = btf__type_by_id(raw_btf, raw);
        if ((kinds & KindBit(btf_kind(t))) != 0 && t->name_off != 0) {
          const char* name = btf__str_by_offset(raw_btf, t->name_off);
          if (name != nullptr) list.push_back(ScanEntry{blob, raw, NamePrefix(name, 8)});
        }
      }
    }
  }
  // A name starts with its essential name: compare as many of the first 8
  // bytes as the essential name has.
  const size_t compared = std::min<size_t>(essential.size(), 8);
  const uint64_t mask = compared == 8 ? ~uint64_t{0} : (uint64_t{1} << (8 * compared)) - 1;
  const uint64_t wanted = NamePrefix(essential.data(), compared);
  for (const ScanEntry& entry : list) {
    if (entry.blob >= blob_end) return;
    if ((entry.prefix & mask) != wanted) continue;
    const Btf& btf = *blobs_[entry.blob].btf;
    const btf_type* t = btf__type_by_id(btf.libbpf(), entry.id);
    const char* raw_name = btf__str_by_offset(btf.libbpf(), t->name_off);
    if (raw_name == nullptr || std::strncmp(raw_name, essential.data(), essential.size()) != 0) {
      continue;
    }
    std::string_view name(raw_name);
    if (EssentialName(name) != essential) continue;
    if (visit(NamedType{&btf, TypeId{entry.id}, blobs_[entry.blob].module}, btf_kind(t), name)) {
      return;
    }
  }
}

std::optional<NamedType> KernelNameIndex::FindExact(std::string_view name, uint32_t kind,
                                                    bool vmlinux_only) const {
  std::optional<NamedType> found;
  ForEachNamed(EssentialName(name), KindBit(kind), vmlinux_only,
               [&](const NamedType& type, uint32_t, std::string_view type_name) {
                 if (type_name != name) return false;
                 found = type;
                 return true;
               });
  return found;
}

std::optional<NamedType> KernelNameIndex::Find(std::string_view name, uint32_t kind) const {
  return FindExact(name, kind, /*vmlinux_only=*/false);
}

std::optional<NamedType> KernelNameIndex::FindInVmlinux(std::string_view name,
                                                        uint32_t kind) const {
  return FindExact(name, kind, /*vmlinux_only=*/true);
}

std::vector<NamedType> KernelNameIndex::CoreCandidates(std::string_view essential_name,
                                                       uint32_t local_kind) const {
  uint32_t kinds = KindBit(local_kind) & kEnumKinds ? kEnumKinds : KindBit(local_kind);
  // An object asks for the same root type once per relocation (hundreds, in
  // a large tracing tool); as libbpf keeps its candidate cache per local
  // type, a repeated question is answered from memory, and only distinct
  // names count towards building the index.
  // Once the index is built a lookup is one hash probe, and nothing here may
  // change any more: BuildNow() before sharing the index between threads.
  const bool remember = !built_;
  auto key = std::make_pair(std::string(remember ? essential_name : ""), kinds);
  if (remember) {
    if (auto it = core_candidates_.find(key); it != core_candidates_.end()) return it->second;
  }
  std::vector<NamedType> found;
  ForEachNamed(essential_name, kinds, /*vmlinux_only=*/false,
               [&](const NamedType& type, uint32_t, std::string_view) {
                 // Blob order puts vmlinux's first: modules only without them.
                 if (type.module != nullptr && !found.empty() && found.front().module == nullptr) {
                   return true;
                 }
                 found.push_back(type);
                 return false;
               });
  if (remember && !built_) core_candidates_.emplace(std::move(key), found);
  return found;
}

std::optional<NamedType> KernelNameIndex::FindKernelType(std::string_view contract_name) const {
  KeywordAndName split = SplitKindKeyword(contract_name);
  if (split.keyword.empty() && split.name.find(' ') != std::string_view::npos) return std::nullopt;
  // The first of each precedence class; a typedef (the first class) ends it.
  std::array<std::optional<NamedType>, kContractKinds.size()> first;
  ForEachNamed(EssentialName(split.name), ContractKindsOf(split.keyword), /*vmlinux_only=*/false,
               [&](const NamedType& type, uint32_t kind, std::string_view type_name) {
                 if (type_name != split.name) return false;
                 size_t precedence = PrecedenceOf(kind);
                 if (!first[precedence]) first[precedence] = type;
                 return precedence == 0 || !split.keyword.empty();
               });
  for (const std::optional<NamedType>& found : first) {
    if (found) return found;
  }
  return std::nullopt;
}

}  // namespace kcontract
