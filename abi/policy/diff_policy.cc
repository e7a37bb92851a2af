#include "abi/policy/diff_policy.h"

#include <set>
#include <utility>

#include "absl/strings/str_format.h"

namespace kcontract {
namespace {

struct Promise {
  std::optional<Stability> stability;
  std::string governed_by;
};

std::string Describe(InterfaceKind kind, std::string_view name) {
  return absl::StrFormat("%s %s", InterfaceKindName(kind), name);
}

Promise Ask(const StabilityLookup& lookup, InterfaceKind kind, std::string_view name) {
  std::optional<Stability> stability = lookup(kind, name);
  if (!stability) return {};
  return {stability, Describe(kind, name)};
}

InterfaceKind KindOf(SubjectKind kind) {
  switch (kind) {
    case SubjectKind::kKfunc: return InterfaceKind::kKfunc;
    case SubjectKind::kStructOps: return InterfaceKind::kStructOps;
    case SubjectKind::kType: return InterfaceKind::kKernelType;
  }
  return InterfaceKind::kKernelType;
}

// Which contract entry speaks for a change.
Promise PromiseFor(const AbiChange& change, const StabilityLookup& lookup) {
  switch (change.subject_kind) {
    case SubjectKind::kKfunc:
      return Ask(lookup, InterfaceKind::kKfunc, change.subject);
    case SubjectKind::kStructOps:
      // A member's own entry is the more specific one.
      if (!change.member.empty()) {
        Promise member = Ask(lookup, InterfaceKind::kStructOpsMember,
                             absl::StrFormat("%s.%s", change.subject, change.member));
        if (member.stability) return member;
      }
      return Ask(lookup, InterfaceKind::kStructOps, change.subject);
    case SubjectKind::kType: {
      Promise own = Ask(lookup, InterfaceKind::kKernelType, change.subject);
      if (own.stability) return own;
      // Through the interfaces that reach it: a stable kfunc promises the
      // layout of what it hands out, so the strongest promise counts
      // (Stability is ordered strongest first).
      Promise strongest;
      for (const InterfaceRef& from : change.reached_from) {
        Promise p = Ask(lookup, KindOf(from.kind), from.name);
        if (p.stability && (!strongest.stability || *p.stability < *strongest.stability)) {
          strongest = std::move(p);
        }
      }
      return strongest;
    }
  }
  return {};
}

bool StartsWith(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

// Which interfaces are internal: the kernel's self-tests (by name, or by
// the module of a kfunc or struct_ops type the diff names), and those a
// manifest marks.
class InternalInterfaces {
 public:
  InternalInterfaces(const KernelDiff& diff, const InternalLookup& lookup) : lookup_(lookup) {
    for (const AbiChange& change : diff.changes) {
      if (change.subject_kind != SubjectKind::kType &&
          IsKernelSelfTest(change.subject, change.module)) {
        self_tests_.insert({change.subject_kind, change.subject});
      }
    }
  }

  bool Has(SubjectKind kind, std::string_view name) const {
    if (IsKernelSelfTest(name, std::nullopt)) return true;
    if (self_tests_.contains({kind, std::string(name)})) return true;
    return lookup_ && lookup_(KindOf(kind), name);
  }

  // A type is internal when only internal interfaces reach it.
  bool Has(const AbiChange& change) const {
    if (change.subject_kind != SubjectKind::kType) {
      return IsKernelSelfTest(change.subject, change.module) ||
             Has(change.subject_kind, change.subject);
    }
    if (lookup_ && lookup_(InterfaceKind::kKernelType, change.subject)) return true;
    if (change.reached_from.empty()) return false;
    for (const InterfaceRef& from : change.reached_from) {
      if (!Has(from.kind, from.name)) return false;
    }
    return true;
  }

 private:
  const InternalLookup& lookup_;
  std::set<std::pair<SubjectKind, std::string>> self_tests_;
};

void Count(DiffVerdict& verdict, Severity severity) {
  switch (severity) {
    case Severity::kError: ++verdict.errors; break;
    case Severity::kWarning: ++verdict.warning_count; break;
    case Severity::kNote: ++verdict.notes; break;
  }
}

void WarnIfWithdrawn(DiffVerdict& verdict, const StabilityLookup& lookup, InterfaceKind kind,
                     std::string_view name, std::string_view kernel) {
  if (lookup(kind, name) != Stability::kWithdrawn) return;
  DiffWarning warning;
  warning.severity = Severity::kWarning;
  warning.code = std::string(kWithdrawnStillOffered);
  warning.subject = std::string(name);
  warning.message = absl::StrFormat("%s is withdrawn by contract but %s still offers it",
                                    Describe(kind, name), kernel);
  warning.kind = kind;
  verdict.warnings.push_back(std::move(warning));
  ++verdict.warning_count;
}

}  // namespace

std::string_view DiffGroupName(DiffGroup group) {
  switch (group) {
    case DiffGroup::kAbi: return "abi";
    case DiffGroup::kConfig: return "config";
    case DiffGroup::kInternal: return "internal";
  }
  return "abi";
}

bool IsKernelSelfTest(std::string_view name, const std::optional<std::string>& module) {
  if (module && StartsWith(*module, "bpf_testmod")) return true;
  return StartsWith(name, "bpf_kfunc_call_") || StartsWith(name, "bpf_testmod_") ||
         StartsWith(name, "bpf_kfunc_common_test");
}

InternalLookup ContractInternalLookup(const ContractSet& contracts) {
  return [&contracts](InterfaceKind kind, std::string_view name) {
    const Interface* governing = contracts.Find(kind, name);
    return governing != nullptr && governing->internal;
  };
}

StabilityLookup NoContracts() {
  return [](InterfaceKind, std::string_view) -> std::optional<Stability> { return std::nullopt; };
}

StabilityLookup ContractLookup(const ContractSet& contracts) {
  return [&contracts](InterfaceKind kind, std::string_view name) -> std::optional<Stability> {
    const Interface* governing = contracts.Find(kind, name);
    return governing != nullptr ? governing->stability : std::nullopt;
  };
}

Severity DiffSeverity(Compatibility compatibility, std::optional<Stability> stability) {
  switch (compatibility) {
    case Compatibility::kCompatible:
      return Severity::kNote;
    case Compatibility::kNeedsReview:
      return stability == Stability::kWithdrawn ? Severity::kNote : Severity::kWarning;
    case Compatibility::kBreaking:
      if (stability == Stability::kStable) return Severity::kError;
      if (stability == Stability::kWithdrawn) return Severity::kNote;
      return Severity::kWarning;
  }
  return Severity::kNote;
}

int DiffVerdict::ExitBits() const {
  int bits = 0;
  if (!changes.empty() || warning_count > 0) bits |= kDiffExitChanges;
  if (errors > 0) bits |= kDiffExitBrokenPromise;
  return bits;
}

DiffVerdict JudgeDiff(const KernelDiff& diff, const StabilityLookup& lookup,
                      const DiffJudgeOptions& options) {
  DiffVerdict verdict;
  verdict.include_internal = options.include_internal;
  verdict.changes.reserve(diff.changes.size());
  InternalInterfaces internal(diff, options.internal);
  for (const AbiChange& change : diff.changes) {
    Promise promise = PromiseFor(change, lookup);
    JudgedChange judged;
    judged.stability = promise.stability;
    judged.governed_by = std::move(promise.governed_by);
    judged.severity = DiffSeverity(change.compatibility, judged.stability);
    if (internal.Has(change)) {
      judged.group = DiffGroup::kInternal;
      ++verdict.internal;
      if (!options.include_internal) judged.severity = Severity::kNote;
    } else if (!change.config_cause.empty()) {
      judged.group = DiffGroup::kConfig;
      ++verdict.config;
    }
    Count(verdict, judged.severity);
    verdict.changes.push_back(std::move(judged));
  }
  for (const InterfaceRef& iface : diff.new_interfaces) {
    WarnIfWithdrawn(verdict, lookup, KindOf(iface.kind), iface.name, diff.new_kernel);
  }
  for (const std::string& member : diff.new_struct_ops_members) {
    WarnIfWithdrawn(verdict, lookup, InterfaceKind::kStructOpsMember, member, diff.new_kernel);
  }
  return verdict;
}

}  // namespace kcontract
