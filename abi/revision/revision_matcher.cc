#include "abi/revision/revision_matcher.h"

#include <utility>

namespace kcontract {
namespace {

// An interface's module as a place: nullopt for vmlinux.
std::optional<std::string> ExpectedPlace(const Interface& interface) {
  if (interface.module.empty()) return std::nullopt;
  return interface.module;
}

// The entry in the expected place (the interface's module, or vmlinux), else
// the first anywhere: a kfunc or table may be built in on one kernel and a
// module on another (tcp_bbr), and it is the same interface.
template <typename T>
const T* PreferPlace(const absl::flat_hash_map<std::string, std::vector<const T*>>& by_name,
                     std::string_view name, const std::optional<std::string>& place) {
  auto it = by_name.find(std::string(name));
  if (it == by_name.end()) return nullptr;
  for (const T* candidate : it->second) {
    if (candidate->module == place) return candidate;
  }
  return it->second.front();
}

ContractOrigin OriginOf(const ContractSet& contracts, const Interface& interface) {
  for (const auto& contract : contracts.contracts()) {
    for (const Interface& entry : contract->interfaces) {
      if (&entry == &interface) return contract->origin;
    }
  }
  return ContractOrigin::kInstalled;
}

// The first recorded revision with exactly `signature`, in precedence order.
const Revision* FindRecorded(const std::vector<const Interface*>& entries,
                             const Signature& signature) {
  for (const Interface* entry : entries) {
    if (const Revision* revision = entry->FindRevision(signature)) return revision;
  }
  return nullptr;
}

bool AnyRevisions(const std::vector<const Interface*>& entries) {
  for (const Interface* entry : entries) {
    if (!entry->revisions.empty()) return true;
  }
  return false;
}

}  // namespace

std::string_view RevisionMatchName(RevisionMatch match) {
  switch (match) {
    case RevisionMatch::kRecorded: return "recorded";
    case RevisionMatch::kUnrecorded: return "unrecorded";
    case RevisionMatch::kNoRevisions: return "no_revisions";
    case RevisionMatch::kAbsent: return "absent";
  }
  return "?";
}

size_t ProbeResult::CountWithdrawnPresent() const {
  size_t count = 0;
  for (const InterfaceProbe& probe : interfaces) count += probe.withdrawn_but_present();
  return count;
}

size_t ProbeResult::CountUnrecorded() const {
  size_t count = 0;
  for (const InterfaceProbe& probe : interfaces) count += probe.match == RevisionMatch::kUnrecorded;
  return count;
}

RevisionMatcher::RevisionMatcher(const KernelBtf& kernel)
    : own_inventory_(std::make_unique<LazyInventory>(kernel)), inventory_(*own_inventory_) {}
RevisionMatcher::RevisionMatcher(const LazyInventory& inventory)
    : inventory_(inventory) {}
RevisionMatcher::~RevisionMatcher() = default;

ProbeResult RevisionMatcher::Probe(const ContractSet& contracts) {
  ProbeResult result;
  result.source = kernel().source;
  result.release = kernel().release;
  result.kernel = KernelLabel(kernel());
  for (const Interface* governing : contracts.Governing()) {
    result.interfaces.push_back(ProbeInterface(contracts, *governing));
  }
  return result;
}

InterfaceProbe RevisionMatcher::ProbeInterface(const ContractSet& contracts,
                                               const Interface& governing) {
  InterfaceProbe probe;
  probe.kind = governing.kind;
  probe.name = governing.name;
  probe.stability = governing.stability;
  probe.governed_by = governing.location;
  probe.origin = OriginOf(contracts, governing);
  probe.contract = governing.contract;
  probe.remove = governing.remove;
  probe.replacement = governing.replacement;

  std::optional<Presence> presence = Locate(governing);
  if (!presence) return probe;  // kAbsent
  probe.present = true;
  probe.module = std::move(presence->module);
  probe.signature = std::move(presence->signature);
  std::vector<const Interface*> entries = contracts.FindAll(governing.kind, governing.name);
  if (const Revision* revision = FindRecorded(entries, probe.signature)) {
    probe.match = RevisionMatch::kRecorded;
    probe.revision = revision->name;
    probe.revision_location = revision->location;
  } else {
    probe.match = AnyRevisions(entries) ? RevisionMatch::kUnrecorded : RevisionMatch::kNoRevisions;
  }
  return probe;
}

std::optional<RevisionMatcher::Presence> RevisionMatcher::Locate(const Interface& interface) {
  switch (interface.kind) {
    case InterfaceKind::kKfunc: return LocateKfunc(interface);
    case InterfaceKind::kStructOps: return LocateStructOps(interface);
    case InterfaceKind::kStructOpsMember: return LocateStructOpsMember(interface);
    case InterfaceKind::kKernelType: return LocateKernelType(interface);
  }
  return std::nullopt;
}

const Btf* RevisionMatcher::BlobOf(const std::optional<std::string>& module) const {
  if (!module) return kernel().vmlinux.get();
  const ModuleBtf* found = kernel().FindModule(*module);
  return found == nullptr ? nullptr : found->btf.get();
}

std::optional<RevisionMatcher::Presence> RevisionMatcher::LocateKfunc(const Interface& interface) {
  if (!kfuncs_by_name_) {
    kfuncs_by_name_.emplace();
    for (const Kfunc& kfunc : inventory_.kfuncs().kfuncs) {
      (*kfuncs_by_name_)[kfunc.name].push_back(&kfunc);
    }
  }
  const Kfunc* kfunc = PreferPlace(*kfuncs_by_name_, interface.name, ExpectedPlace(interface));
  if (kfunc == nullptr) return std::nullopt;
  const Btf* btf = BlobOf(kfunc->module);
  if (btf == nullptr) return std::nullopt;
  return Presence{kfunc->module, KfuncSignature(*btf, kfunc->id)};
}

const StructOpsType* RevisionMatcher::FindTable(std::string_view name,
                                                const std::optional<std::string>& place) {
  if (!tables_by_name_) {
    tables_by_name_.emplace();
    for (const StructOpsType& type : inventory_.struct_ops()) {
      (*tables_by_name_)[type.name].push_back(&type);
    }
  }
  return PreferPlace(*tables_by_name_, name, place);
}

std::optional<RevisionMatcher::Presence> RevisionMatcher::LocateStructOps(
    const Interface& interface) {
  const StructOpsType* table = FindTable(interface.name, ExpectedPlace(interface));
  if (table == nullptr) return std::nullopt;
  const Btf* btf = BlobOf(table->module);
  if (btf == nullptr) return std::nullopt;
  return Presence{table->module, StructOpsSignature(*btf, table->id)};
}

std::optional<RevisionMatcher::Presence> RevisionMatcher::LocateStructOpsMember(
    const Interface& interface) {
  // "table.member": member names hold no '.', table names neither.
  size_t dot = interface.name.find('.');
  if (dot == std::string::npos) return std::nullopt;
  std::string_view name = interface.name;
  const StructOpsType* table = FindTable(name.substr(0, dot), ExpectedPlace(interface));
  if (table == nullptr) return std::nullopt;
  const Btf* btf = BlobOf(table->module);
  if (btf == nullptr) return std::nullopt;
  Signature signature = StructOpsMemberSignature(*btf, table->id, name.substr(dot + 1));
  if (signature.empty()) return std::nullopt;  // the table lacks that member here
  return Presence{table->module, std::move(signature)};
}

std::optional<RevisionMatcher::Presence> RevisionMatcher::LocateKernelType(
    const Interface& interface) {
  std::optional<NamedType> found = kernel().names().FindKernelType(interface.name);
  if (!found) return std::nullopt;
  std::optional<std::string> module;
  if (found->module != nullptr) module = *found->module;
  return Presence{std::move(module), KernelTypeSignature(*found->btf, found->id)};
}

ProbeResult ProbeKernel(const ContractSet& contracts, const KernelBtf& kernel) {
  return RevisionMatcher(kernel).Probe(contracts);
}

}  // namespace kcontract
