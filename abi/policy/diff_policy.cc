#include "abi/policy/diff_policy.h"

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
      return stability == Stability::kStable ? Severity::kWarning : Severity::kNote;
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

DiffVerdict JudgeDiff(const KernelDiff& diff, const StabilityLookup& lookup) {
  DiffVerdict verdict;
  verdict.changes.reserve(diff.changes.size());
  for (const AbiChange& change : diff.changes) {
    Promise promise = PromiseFor(change, lookup);
    JudgedChange judged;
    judged.stability = promise.stability;
    judged.governed_by = std::move(promise.governed_by);
    judged.severity = DiffSeverity(change.compatibility, judged.stability);
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
