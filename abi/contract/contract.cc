#include "abi/contract/contract.h"

#include <algorithm>

#include "absl/strings/str_format.h"

namespace kcontract {
namespace {

// A level outranks no level; among levels, the stricter outranks.
int Strictness(const Interface& interface) {
  return interface.stability ? static_cast<int>(*interface.stability) + 1 : 0;
}

bool Governs(const std::pair<const Interface*, ContractOrigin>& a,
             const std::pair<const Interface*, ContractOrigin>& b) {
  if (a.second != b.second) return a.second > b.second;
  return Strictness(*a.first) > Strictness(*b.first);
}

}  // namespace

const Revision* Interface::FindRevision(const Signature& signature) const {
  for (const Revision& revision : revisions) {
    if (revision.signature == signature) return &revision;
  }
  return nullptr;
}

std::string_view ContractOriginName(ContractOrigin origin) {
  switch (origin) {
    case ContractOrigin::kInstalled: return "installed";
    case ContractOrigin::kKernelBtf: return "kernel-btf";
    case ContractOrigin::kGiven: return "given";
  }
  return "?";
}

void ContractSet::Add(Contract contract) {
  contracts_.push_back(std::make_shared<const Contract>(std::move(contract)));
  const Contract& added = *contracts_.back();
  for (const Interface& interface : added.interfaces) {
    index_[{interface.kind, interface.name}].push_back({&interface, added.origin});
  }
}

std::vector<const Interface*> ContractSet::FindAll(InterfaceKind kind,
                                                   std::string_view name) const {
  auto it = index_.find(std::make_pair(kind, std::string(name)));
  if (it == index_.end()) return {};
  std::vector<std::pair<const Interface*, ContractOrigin>> ranked;
  for (const Entry& entry : it->second) ranked.emplace_back(entry.interface, entry.origin);
  // Stable: among entries of equal rank, the first added governs.
  std::stable_sort(ranked.begin(), ranked.end(), Governs);
  std::vector<const Interface*> out;
  for (const auto& [interface, origin] : ranked) out.push_back(interface);
  return out;
}

const Interface* ContractSet::Find(InterfaceKind kind, std::string_view name) const {
  std::vector<const Interface*> all = FindAll(kind, name);
  return all.empty() ? nullptr : all.front();
}

std::vector<const Interface*> ContractSet::Governing() const {
  std::vector<const Interface*> out;
  for (const auto& [key, entries] : index_) out.push_back(Find(key.first, key.second));
  std::sort(out.begin(), out.end(), [](const Interface* a, const Interface* b) {
    return std::make_pair(a->kind, a->name) < std::make_pair(b->kind, b->name);
  });
  return out;
}

}  // namespace kcontract
