#include "abi/contract/contract_findings.h"

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <utility>

#include "abi/contract/contract_codes.h"
#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_format.h"
#include "btfdiff/base/text.h"
#include "btfdiff/model/type_name.h"

namespace kcontract {
namespace {

std::string P(std::string_view text) { return PrintableName(text); }

// How messages name an interface: "kfunc bpf_x", "struct_ops member t.m".
std::string Describe(InterfaceKind kind, std::string_view name) {
  switch (kind) {
    case InterfaceKind::kKfunc: return absl::StrFormat("kfunc %s", P(name));
    case InterfaceKind::kStructOps: return absl::StrFormat("struct_ops %s", P(name));
    case InterfaceKind::kStructOpsMember: return absl::StrFormat("struct_ops member %s", P(name));
    case InterfaceKind::kKernelType: return absl::StrFormat("kernel type %s", P(name));
  }
  return P(name);
}

// "contract bpf-thp, manifests/bpf-thp.toml:12": where the governing entry
// was written, so that people can read the whole promise. A kernel's tags
// are a contract named after their source ("btf:6.18.44"): said once.
std::string EntrySource(const Interface& entry) {
  std::string location = FormatLocation(entry.location);
  if (location.empty() || location == entry.contract) {
    return absl::StrFormat("contract %s", P(entry.contract));
  }
  return absl::StrFormat("contract %s, %s", P(entry.contract), P(location));
}

std::string Replacement(const Interface& entry) {
  if (entry.replacement.empty()) return "no replacement is named";
  return absl::StrFormat("use %s instead", P(entry.replacement));
}

// One interface the object uses, and the entry that governs it.
struct Use {
  InterfaceKind kind = InterfaceKind::kKfunc;
  std::string name;
  const Interface* entry = nullptr;  // nullptr: in no contract
  std::set<std::string> programs;
};

// The contracts' opt-in tokens, indexed once per check: the entry each
// names (the first governing one, by kind and name), and the tokens a
// suggestion is chosen among.
struct OptInTokens {
  explicit OptInTokens(const ContractSet& contracts) {
    for (const Interface* entry : contracts.Governing()) {
      by_token.try_emplace(entry->OptInToken(), entry);
      if (entry->stability == Stability::kExperimental) {
        experimental.push_back(entry->OptInToken());
      }
      all.push_back(entry->OptInToken());
    }
  }
  const Interface* Find(const std::string& token) const {
    auto it = by_token.find(token);
    return it == by_token.end() ? nullptr : it->second;
  }

  absl::flat_hash_map<std::string, const Interface*> by_token;
  std::vector<std::string_view> experimental;
  std::vector<std::string_view> all;
};

// Unused opt-ins given a "did you mean" at most: the rest say only that no
// contract knows them.
constexpr size_t kMaxSuggestions = 50;

class ContractChecker {
 public:
  ContractChecker(const BpfObject& object, const ContractSet& contracts)
      : object_(object), contracts_(contracts) {}

  std::vector<Finding> Run() {
    CollectKfuncs();
    CollectStructOps();
    CollectKernelTypes();
    for (const Use& use : uses_) Judge(use);
    ReportUnusedOptIns();
    return std::move(findings_);
  }

 private:
  Use& UseOf(InterfaceKind kind, const std::string& name, const Interface* entry) {
    auto [it, inserted] = index_.try_emplace({kind, name}, uses_.size());
    if (inserted) uses_.push_back(Use{kind, name, entry, {}});
    return uses_[it->second];
  }

  // A flavoured extern (bpf_foo___v2) is the kernel's bpf_foo: libbpf
  // (from 1.3) resolves it by that essential name, and its contract is
  // bpf_foo's. All flavours of one kfunc are one use.
  void CollectKfuncs() {
    for (const BpfExtern& ext : object_.externs) {
      if (ext.kind != ExternKind::kKfunc) continue;
      const std::string name(EssentialName(ext.name));
      Use& use = UseOf(InterfaceKind::kKfunc, name, contracts_.Find(InterfaceKind::kKfunc, name));
      for (const BpfProgram& program : object_.programs) {
        const auto& calls = program.kfunc_calls;
        if (std::binary_search(calls.begin(), calls.end(), ext.name)) {
          use.programs.insert(program.name);
        }
      }
    }
  }

  // A callback's own entry governs it; without one, its table's does.
  void CollectStructOps() {
    for (const BpfMap& map : object_.maps) {
      if (map.struct_ops_type.empty()) continue;
      const std::string& table = map.struct_ops_type;
      const Interface* table_entry = contracts_.Find(InterfaceKind::kStructOps, table);
      if (map.struct_ops_programs.empty()) UseOf(InterfaceKind::kStructOps, table, table_entry);
      for (const StructOpsMemberUse& callback : map.struct_ops_programs) {
        std::string member = absl::StrFormat("%s.%s", table, callback.member);
        const Interface* member_entry = contracts_.Find(InterfaceKind::kStructOpsMember, member);
        // A withdrawn table takes every callback with it, whatever a callback's
        // own entry says (it may come from an older manifest than the kernel's tag).
        bool table_withdrawn =
            table_entry != nullptr && table_entry->stability == Stability::kWithdrawn;
        Use& use = member_entry != nullptr && !table_withdrawn
                       ? UseOf(InterfaceKind::kStructOpsMember, member, member_entry)
                       : UseOf(InterfaceKind::kStructOps, table, table_entry);
        if (!callback.program.empty()) use.programs.insert(callback.program);
      }
    }
  }

  // Sorted by name so that output does not depend on relocation order.
  void CollectKernelTypes() {
    if (!object_.btf) return;
    std::map<std::string, std::pair<const Interface*, std::set<std::string>>> by_name;
    for (const CoreRelocation& relo : object_.core_relocations) {
      // The object's own type id: no kernel type is involved.
      if (relo.kind == BPF_CORE_TYPE_ID_LOCAL) continue;
      std::string name = KernelTypeName(relo.root);
      if (name.empty()) continue;
      auto [it, inserted] = by_name.try_emplace(name);
      if (inserted) it->second.first = FindKernelType(name);
      if (!relo.program.empty()) it->second.second.insert(relo.program);
    }
    for (auto& [name, found] : by_name) {
      UseOf(InterfaceKind::kKernelType, name, found.first).programs = std::move(found.second);
    }
  }

  // "struct task_struct" for a root named "task_struct___old"; "" for an
  // anonymous root or one of a kind contracts cannot name.
  std::string KernelTypeName(TypeId root) const {
    std::string full = KernelTypeInterfaceName(*object_.btf, root);
    std::string_view name = object_.btf->Name(root);
    if (full.empty() || full.size() < name.size()) return {};
    std::string_view keyword = std::string_view(full).substr(0, full.size() - name.size());
    return absl::StrFormat("%s%s", keyword, EssentialName(name));
  }

  const Interface* FindKernelType(const std::string& name) const {
    if (const Interface* entry = contracts_.Find(InterfaceKind::kKernelType, name)) return entry;
    size_t space = name.find(' ');
    if (space == std::string::npos) return nullptr;
    return contracts_.Find(InterfaceKind::kKernelType, name.substr(space + 1));
  }

  bool OptedIn(const std::string& token) const {
    return std::binary_search(object_.opt_ins.begin(), object_.opt_ins.end(), token);
  }

  void Judge(const Use& use) {
    if (use.entry == nullptr || !use.entry->stability) {
      if (use.kind == InterfaceKind::kKernelType) return;  // see contract_findings.h
      Add(kContractUnknown, use, UnknownMessage(use));
      return;
    }
    const Interface& entry = *use.entry;
    std::string what = Describe(use.kind, use.name);
    switch (*entry.stability) {
      case Stability::kStable: return;
      case Stability::kExperimental: {
        const std::string& token = entry.OptInToken();
        if (OptedIn(token)) {
          used_tokens_.insert(token);
          Add(kContractOptedIn, use,
              absl::StrFormat("%s is experimental (%s); the object opted in with "
                              "KCONTRACT_OPT_IN(\"%s\"): it may change or vanish "
                              "in any release",
                              what, EntrySource(entry), P(token)));
        } else {
          Add(kContractExperimental, use,
              absl::StrFormat("%s is experimental (%s) and may change or vanish in any "
                              "release; "
                              "to use it, acknowledge that in the object: add "
                              "KCONTRACT_OPT_IN(\"%s\"); from <kcontract/opt_in.h>",
                              what, EntrySource(entry), P(token)));
        }
        return;
      }
      case Stability::kDeprecated:
        Add(kContractDeprecated, use,
            absl::StrFormat("%s is deprecated (%s): %s; %s", what, EntrySource(entry),
                            entry.remove.empty()
                                ? std::string("no removal release is given")
                                : absl::StrFormat("it will be removed in %s", P(entry.remove)),
                            Replacement(entry)));
        return;
      case Stability::kWithdrawn: {
        const std::string& went = entry.remove.empty() ? entry.since : entry.remove;
        Add(kContractWithdrawn, use,
            absl::StrFormat("%s was withdrawn%s (%s); %s", what,
                            went.empty() ? std::string() : absl::StrFormat(" in %s", P(went)),
                            EntrySource(entry), Replacement(entry)));
        return;
      }
    }
  }

  std::string UnknownMessage(const Use& use) const {
    std::string what = Describe(use.kind, use.name);
    if (use.entry != nullptr) {
      return absl::StrFormat(
          "%s has no stability level (%s): unstable by default, as the "
          "kernel's kfunc documentation says; it may change in any release",
          what, EntrySource(*use.entry));
    }
    return absl::StrFormat(
        "%s is in no contract: unstable by default, as the kernel's kfunc "
        "documentation says; it may change in any release",
        what);
  }

  // An opt-in that acknowledges nothing: a typo, or an interface that is
  // no longer experimental or no longer used.
  void ReportUnusedOptIns() {
    for (const std::string& token : object_.opt_ins) {
      if (used_tokens_.count(token) != 0) continue;
      if (!tokens_) tokens_.emplace(contracts_);
      Finding f;
      f.code = std::string(kContractUnusedOptIn);
      f.subject = token;
      f.message = absl::StrFormat(
          "KCONTRACT_OPT_IN(\"%s\") acknowledges no experimental "
          "interface this object uses: %s",
          P(token), WhatTokenNames(token));
      Finish(std::move(f));
    }
  }

  std::string WhatTokenNames(const std::string& token) {
    if (const Interface* entry = tokens_->Find(token)) {
      std::string what = Describe(entry->kind, entry->name);
      if (entry->stability == Stability::kExperimental) {
        return absl::StrFormat("it names %s, which the object does not use", what);
      }
      return absl::StrFormat(
          "it names %s, which is %s now", what,
          entry->stability ? StabilityName(*entry->stability) : std::string_view("given no level"));
    }
    return "no contract has an interface by that opt-in" + Suggestion(token);
  }

  // The opt-in the object probably meant: the closest token of an
  // experimental interface, else of any interface the contracts know. As
  // clang's -fspell-checking-limit, only so many are looked for: an object
  // can carry a hundred thousand tokens, each compared with every one the
  // contracts know.
  std::string Suggestion(const std::string& token) {
    if (suggestions_tried_ == kMaxSuggestions) return "";
    ++suggestions_tried_;
    for (const std::vector<std::string_view>* tokens :
         {&tokens_->experimental, &tokens_->all}) {
      std::string_view closest =
          ClosestMatch(token, *tokens, std::max<size_t>(2, token.size() / 4));
      if (!closest.empty()) return absl::StrFormat(" (did you mean '%s'?)", P(closest));
    }
    return " (a typo?)";
  }

  void Add(std::string_view code, const Use& use, std::string message) {
    Finding f;
    f.code = std::string(code);
    f.subject = use.name;
    f.program = Join(use.programs, ", ");
    f.message = std::move(message);
    Finish(std::move(f));
  }

  void Finish(Finding f) {
    f.effect = LoadEffect::kNone;  // contracts never change what libbpf does
    // Where the loader helper refuses what a contract forbids.
    f.stage = LoadStage::kContract;
    findings_.push_back(std::move(f));
  }

  const BpfObject& object_;
  const ContractSet& contracts_;
  std::vector<Use> uses_;  // in the order the object meets them
  std::map<std::pair<InterfaceKind, std::string>, size_t> index_;
  std::set<std::string> used_tokens_;
  std::vector<Finding> findings_;
  // Built at the first unused opt-in.
  std::optional<OptInTokens> tokens_;
  size_t suggestions_tried_ = 0;
};

}  // namespace

std::vector<Finding> CheckContracts(const BpfObject& object, const ContractSet& contracts) {
  return ContractChecker(object, contracts).Run();
}

ContractReport LintObject(const BpfObject& object, const ContractSet& contracts) {
  return ContractReport{object.path, object.opt_ins, CheckContracts(object, contracts)};
}

}  // namespace kcontract
