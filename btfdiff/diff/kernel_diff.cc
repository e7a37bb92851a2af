#include "btfdiff/diff/kernel_diff.h"

#include <algorithm>
#include <climits>
#include <map>
#include <memory>
#include <tuple>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_format.h"
#include "btfdiff/diff/caller_memory.h"
#include "btfdiff/diff/config_cause.h"
#include "btfdiff/diff/diff_classify.h"
#include "btfdiff/diff/type_comparison.h"
#include "btfdiff/model/c_decl.h"
#include "btfdiff/model/type_name.h"

namespace kcontract {
namespace {

// A named type pair, in the comparison that owns it (see
// TypeComparison::Owner): the identity of a kernel type across the kernels.
struct PairRef {
  TypeComparison* cmp = nullptr;
  TypeId old_id;
  TypeId new_id;
  friend bool operator==(const PairRef&, const PairRef&) = default;
  template <typename H>
  friend H AbslHashValue(H h, const PairRef& p) {
    return H::combine(std::move(h), p.cmp, p.old_id.value, p.new_id.value);
  }
};

// Where an interface's prototype leads: a named type pair, the pointers on
// the way, and how to say so.
struct Root {
  PairRef pair;
  uint32_t pointer_hops = 0;
  std::string label;  // "bpf_ct_release argument 1"
};

struct ReachingInterface {
  InterfaceRef ref;
  uint8_t side = 0;
  std::vector<Root> roots;
};

// What the walk found out about one reached type.
struct Reach {
  std::vector<InterfaceRef> from;
  uint8_t sides = 0;
  std::string path;
};


TypeId ProtoOf(const Btf& btf, TypeId func) {
  const btf_type* t = btf.Type(func);
  if (t == nullptr || !btf_is_func(t)) return TypeId{};
  TypeId proto{t->type};
  return btf.Kind(proto) == BTF_KIND_FUNC_PROTO ? proto : TypeId{};
}

// The prototype behind a callback member (a pointer to a function), or void.
TypeId CallbackProto(const Btf& btf, TypeId member_type) {
  TypeId ptr = btf.SkipModsAndTypedefs(member_type);
  if (btf.Kind(ptr) != BTF_KIND_PTR) return TypeId{};
  TypeId proto = btf.SkipModsAndTypedefs(TypeId{btf.Type(ptr)->type});
  return btf.Kind(proto) == BTF_KIND_FUNC_PROTO ? proto : TypeId{};
}

// A struct of scalars only (nested and in arrays): the verifier takes a
// pointer to one as memory the program provides (__btf_type_is_scalar_struct).
bool IsScalarStruct(const Btf& btf, TypeId id, int depth = 0) {
  const btf_type* t = btf.Type(btf.SkipModsAndTypedefs(id));
  if (t == nullptr || !btf_is_struct(t) || btf_vlen(t) == 0 || depth > 8) return false;
  const btf_member* members = btf_members(t);
  for (uint16_t i = 0; i < btf_vlen(t); ++i) {
    TypeId member = btf.SkipModsAndTypedefs(TypeId{members[i].type});
    while (btf.Kind(member) == BTF_KIND_ARRAY) {
      member = btf.SkipModsAndTypedefs(TypeId{btf_array(btf.Type(member))->type});
    }
    const btf_type* mt = btf.Type(member);
    if (mt == nullptr) return false;
    if (btf_is_int(mt) || btf_is_any_enum(mt) || btf_is_float(mt)) continue;
    if (btf_is_struct(mt) && IsScalarStruct(btf, member, depth + 1)) continue;
    return false;
  }
  return true;
}

bool EndsWith(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

std::string Offset(const FlatMember& m) {
  if (m.bitfield_size != 0 || m.bit_offset % 8 != 0) return absl::StrFormat("bit %u", m.bit_offset);
  return absl::StrFormat("offset %u", m.bit_offset / 8);
}

std::string SizeText(uint64_t bits, bool bitfield) {
  return bitfield ? absl::StrFormat("%u bits", bits) : absl::StrFormat("%u bytes", bits / 8);
}

ChangeKind MemberChangeKindOf(MemberChangeKind kind) {
  switch (kind) {
    case MemberChangeKind::kAdded: return ChangeKind::kTypeMemberAdded;
    case MemberChangeKind::kRemoved: return ChangeKind::kTypeMemberRemoved;
    case MemberChangeKind::kMoved: return ChangeKind::kTypeMemberMoved;
    case MemberChangeKind::kResized: return ChangeKind::kTypeMemberResized;
    case MemberChangeKind::kRetyped: return ChangeKind::kTypeMemberRetyped;
  }
  return ChangeKind::kTypeMemberRetyped;
}

ChangeKind EnumeratorChangeKindOf(EnumeratorChangeKind kind) {
  switch (kind) {
    case EnumeratorChangeKind::kAdded: return ChangeKind::kEnumeratorAdded;
    case EnumeratorChangeKind::kRemoved: return ChangeKind::kEnumeratorRemoved;
    case EnumeratorChangeKind::kValueChanged: return ChangeKind::kEnumeratorValueChanged;
  }
  return ChangeKind::kEnumeratorValueChanged;
}

void ApplyClassification(AbiChange& change, Classification classification) {
  change.compatibility = classification.compatibility;
  change.reason = std::move(classification.reason);
  change.conditional = classification.conditional;
}

// One side of a prototype comparison: a kfunc or a struct_ops callback.
struct ProtoSide {
  TypeId proto;
  std::string text;  // the whole prototype or declaration, as C
};

class Differ {
 public:
  Differ(const KernelInventory& old_inventory, const KernelInventory& new_inventory,
         const DiffOptions& options)
      : old_(old_inventory), new_(new_inventory), options_(options) {}

  KernelDiff Run() {
    diff_.old_kernel = KernelLabel(*old_.kernel);
    diff_.new_kernel = KernelLabel(*new_.kernel);
    DiffKfuncs();
    DiffStructOps();
    for (const ReachingInterface& iface : interfaces_) Walk(iface);
    ReportTypes();
    std::stable_sort(diff_.changes.begin(), diff_.changes.end(),
                     [](const AbiChange& a, const AbiChange& b) {
                       return std::tie(a.subject_kind, a.subject, a.member, a.kind) <
                              std::tie(b.subject_kind, b.subject, b.member, b.kind);
                     });
    ListNewInterfaces();
    return std::move(diff_);
  }

  ComparisonStats Stats() const {
    ComparisonStats stats;
    if (vmlinux_) stats.Add(vmlinux_->stats());
    for (const auto& [modules, cmp] : modules_) stats.Add(cmp->stats());
    return stats;
  }

 private:
  const Btf* BlobOf(const KernelBtf& kernel, const std::optional<std::string>& module) const {
    if (!module) return kernel.vmlinux.get();
    const ModuleBtf* found = kernel.FindModule(*module);
    return found == nullptr ? nullptr : found->btf.get();
  }

  // One comparison per pair of BTF blobs; the modules' share vmlinux's.
  TypeComparison* ComparisonFor(const std::optional<std::string>& old_module,
                                const std::optional<std::string>& new_module) {
    const Btf* old_btf = BlobOf(*old_.kernel, old_module);
    const Btf* new_btf = BlobOf(*new_.kernel, new_module);
    if (old_btf == nullptr || new_btf == nullptr) return nullptr;
    if (!old_module && !new_module) {
      if (!vmlinux_) vmlinux_ = std::make_unique<TypeComparison>(*old_btf, *new_btf);
      return vmlinux_.get();
    }
    auto& slot = modules_[{old_module.value_or(""), new_module.value_or("")}];
    if (!slot) {
      TypeComparison* base = ComparisonFor(std::nullopt, std::nullopt);
      slot = std::make_unique<TypeComparison>(*old_btf, *new_btf, base);
    }
    return slot.get();
  }

  static PairRef Normalize(TypeComparison* cmp, TypeId old_id, TypeId new_id) {
    return PairRef{&cmp->Owner(old_id, new_id), old_id, new_id};
  }

  void Add(AbiChange change) { diff_.changes.push_back(std::move(change)); }

  // --- kfuncs -------------------------------------------------------------

  void DiffKfuncs() {
    std::map<std::string_view, const Kfunc*> old_by_name, new_by_name;
    // Sorted by (module, name): vmlinux's comes first when a name repeats.
    for (const Kfunc& k : old_.kfuncs.kfuncs) old_by_name.try_emplace(k.name, &k);
    for (const Kfunc& k : new_.kfuncs.kfuncs) new_by_name.try_emplace(k.name, &k);
    const uint8_t new_methods = new_.kfuncs.methods_used;
    size_t flags_unknown = 0;
    for (const auto& [name, k] : old_by_name) {
      auto it = new_by_name.find(name);
      if (it == new_by_name.end()) {
        AbiChange change = KfuncChange(ChangeKind::kKfuncRemoved, *k);
        change.old_text = k->proto;
        // NEW cannot see it by the methods that found it in OLD: look for
        // the function itself.
        bool unconfirmed = (k->methods & new_methods) == 0 && StillAFunction(*k);
        ApplyClassification(change, ClassifyKfuncRemoved(unconfirmed));
        Add(std::move(change));
        continue;
      }
      flags_unknown += k->flags.has_value() != it->second->flags.has_value();
      DiffKfunc(*k, *it->second);
    }
    for (const auto& [name, k] : new_by_name) {
      if (old_by_name.contains(name)) continue;
      AbiChange change = KfuncChange(ChangeKind::kKfuncAdded, *k);
      change.new_text = k->proto;
      ApplyClassification(change, ClassifyKfuncAdded());
      Add(std::move(change));
    }
    if (old_.kfuncs.methods_used != new_.kfuncs.methods_used) {
      diff_.notes.push_back(absl::StrFormat(
          "kfuncs found by %s in %s and by %s in %s: a kfunc only one method sees may show as "
          "added or removed",
          MethodText(old_.kfuncs.methods_used), diff_.old_kernel,
          MethodText(new_.kfuncs.methods_used), diff_.new_kernel));
    }
    if (flags_unknown > 0) {
      diff_.notes.push_back(absl::StrFormat(
          "KF_* flags not compared for %u kfuncs: only one kernel has .BTF_ids flags for them",
          flags_unknown));
    }
  }

  static std::string MethodText(uint8_t methods) {
    std::vector<std::string> names = KfuncMethodNames(methods);
    if (names.empty()) return "no method";
    std::string out;
    for (const std::string& name : names) out += (out.empty() ? "" : "+") + name;
    return out;
  }

  bool StillAFunction(const Kfunc& k) const {
    const Btf* btf = BlobOf(*new_.kernel, k.module);
    if (btf == nullptr) btf = new_.kernel->vmlinux.get();
    if (btf == nullptr) return false;
    return btf__find_by_name_kind(btf->libbpf(), k.name.c_str(), BTF_KIND_FUNC) > 0;
  }

  AbiChange KfuncChange(ChangeKind kind, const Kfunc& k) const {
    AbiChange change;
    change.kind = kind;
    change.subject_kind = SubjectKind::kKfunc;
    change.subject = k.name;
    change.module = k.module;
    change.sides = kSideCaller;
    return change;
  }

  void DiffKfunc(const Kfunc& o, const Kfunc& n) {
    if (o.module != n.module) {
      AbiChange change = KfuncChange(ChangeKind::kKfuncModuleChanged, n);
      change.item = "module";
      change.old_text = o.module.value_or("vmlinux");
      change.new_text = n.module.value_or("vmlinux");
      ApplyClassification(change, ClassifyKfuncModuleChange(o.module, n.module));
      Add(std::move(change));
    }
    DiffFlags(o, n);
    TypeComparison* cmp = ComparisonFor(o.module, n.module);
    if (cmp == nullptr) return;
    TypeId old_proto = ProtoOf(cmp->old_btf(), o.id);
    TypeId new_proto = ProtoOf(cmp->new_btf(), n.id);
    if (old_proto.is_void() || new_proto.is_void()) return;
    ReachingInterface iface{{SubjectKind::kKfunc, n.name}, kSideCaller, {}};
    AbiChange base = KfuncChange(ChangeKind::kKfuncProtoChanged, n);
    DiffPrototype(*cmp, {old_proto, o.proto}, {new_proto, n.proto}, /*callback=*/false, n.name,
                  base, iface);
    MarkCallerMemory(*cmp, old_proto, new_proto, n.name);
    interfaces_.push_back(std::move(iface));
  }

  void DiffFlags(const Kfunc& o, const Kfunc& n) {
    if (!o.flags || !n.flags) return;
    auto has = [](const Kfunc& k, const std::string& flag) {
      return std::find(k.flag_names.begin(), k.flag_names.end(), flag) != k.flag_names.end();
    };
    auto add = [&](const std::string& flag, bool added) {
      AbiChange change = KfuncChange(ChangeKind::kKfuncFlagsChanged, n);
      change.item = flag;
      (added ? change.new_text : change.old_text) = flag;
      ApplyClassification(change, ClassifyFlagChange(flag, added));
      Add(std::move(change));
    };
    for (const std::string& flag : o.flag_names) {
      if (!has(n, flag)) add(flag, /*added=*/false);
    }
    for (const std::string& flag : n.flag_names) {
      if (!has(o, flag)) add(flag, /*added=*/true);
    }
    if (o.unknown_flag_bits != n.unknown_flag_bits) {
      AbiChange change = KfuncChange(ChangeKind::kKfuncFlagsChanged, n);
      change.item = "unknown KF_* bits";
      change.old_text = absl::StrFormat("0x%x", o.unknown_flag_bits);
      change.new_text = absl::StrFormat("0x%x", n.unknown_flag_bits);
      ApplyClassification(change,
                          ClassifyUnknownFlagBits(o.unknown_flag_bits, n.unknown_flag_bits));
      Add(std::move(change));
    }
  }

  // Pointers to structs of scalars in a kfunc's arguments are memory the
  // caller provides; the struct's size is then part of the contract.
  void MarkCallerMemory(TypeComparison& cmp, TypeId old_proto, TypeId new_proto,
                         const std::string& kfunc) {
    const btf_type* ot = cmp.old_btf().Type(old_proto);
    const btf_type* nt = cmp.new_btf().Type(new_proto);
    uint16_t count = std::min(btf_vlen(ot), btf_vlen(nt));
    const btf_param* op = btf_params(ot);
    const btf_param* np = btf_params(nt);
    for (uint16_t i = 0; i < count; ++i) {
      std::vector<TypeEdge> edges;
      cmp.CollectEdges(TypeId{op[i].type}, TypeId{np[i].type}, 0, "", &edges);
      for (const TypeEdge& edge : edges) {
        if (edge.pointer_hops != 1 || !IsScalarStruct(cmp.new_btf(), edge.new_type)) continue;
        std::string_view next =
            i + 1 < btf_vlen(nt) ? cmp.new_btf().String(np[i + 1].name_off) : "";
        bool sized = EndsWith(next, "__sz") || EndsWith(next, "__szk");
        CallerMemory& memory = program_memory_[Normalize(&cmp, edge.old_type, edge.new_type)];
        MemoryOwner owner = sized ? MemoryOwner::kProgramSized : MemoryOwner::kProgram;
        // One caller that sizes it by the type is enough to make size
        // matter; else the first kfunc found names the size argument.
        if (memory.owner == MemoryOwner::kKernel ||
            (memory.owner == MemoryOwner::kProgramSized && owner == MemoryOwner::kProgram)) {
          memory.owner = owner;
          memory.kfunc = kfunc;
          memory.argument = i + 1;
          memory.size_param = sized ? std::string(next) : "";
        }
      }
    }
  }

  // --- prototypes (kfuncs and callbacks) ----------------------------------

  void DiffPrototype(TypeComparison& cmp, const ProtoSide& o, const ProtoSide& n,
                     bool callback, const std::string& label, const AbiChange& base,
                     ReachingInterface& iface) {
    const Btf& ob = cmp.old_btf();
    const Btf& nb = cmp.new_btf();
    const btf_type* ot = ob.Type(o.proto);
    const btf_type* nt = nb.Type(n.proto);
    const uint16_t old_count = btf_vlen(ot);
    const uint16_t new_count = btf_vlen(nt);
    const btf_param* op = btf_params(ot);
    const btf_param* np = btf_params(nt);
    const TypeUse arg_use = callback ? TypeUse::kCallbackArgument : TypeUse::kKfuncArgument;
    const TypeUse ret_use = callback ? TypeUse::kCallbackReturn : TypeUse::kKfuncReturn;

    for (uint16_t i = 0; i < std::min(old_count, new_count); ++i) {
      AddRoots(cmp, TypeId{op[i].type}, TypeId{np[i].type},
               absl::StrFormat("%s argument %u", label, i + 1), iface);
    }
    AddRoots(cmp, TypeId{ot->type}, TypeId{nt->type}, label + " return", iface);

    if (old_count != new_count) {
      bool prefix = new_count > old_count;
      for (uint16_t i = 0; prefix && i < old_count; ++i) {
        prefix = cmp.CompareRefs(TypeId{op[i].type}, TypeId{np[i].type}).Identical();
      }
      AbiChange change = base;
      change.item = absl::StrFormat("arguments %u -> %u", old_count, new_count);
      change.old_text = o.text;
      change.new_text = n.text;
      ApplyClassification(change, ClassifyArgumentCount(callback, old_count, new_count, prefix));
      Add(std::move(change));
    } else {
      for (uint16_t i = 0; i < old_count; ++i) {
        std::string_view old_name = ob.String(op[i].name_off);
        std::string_view new_name = nb.String(np[i].name_off);
        std::string what = new_name.empty()
                               ? absl::StrFormat("argument %u", i + 1)
                               : absl::StrFormat("argument %u '%s'", i + 1, new_name);
        RefComparison r = cmp.CompareRefs(TypeId{op[i].type}, TypeId{np[i].type});
        if (!r.Identical()) {
          AbiChange change = base;
          change.item = what;
          change.old_text = RenderTypeWithTags(ob, TypeId{op[i].type});
          change.new_text = RenderTypeWithTags(nb, TypeId{np[i].type});
          ChangedRef ref{ob, TypeId{op[i].type}, nb, TypeId{np[i].type}, r};
          ApplyClassification(change, ClassifyTypeChange(arg_use, what, ref));
          Add(std::move(change));
        }
        if (callback) continue;
        std::optional<Classification> renamed =
            ClassifyParameterRename(absl::StrFormat("argument %u", i + 1), old_name, new_name);
        if (renamed) {
          AbiChange change = base;
          change.item = absl::StrFormat("argument %u name", i + 1);
          change.old_text = std::string(old_name);
          change.new_text = std::string(new_name);
          ApplyClassification(change, std::move(*renamed));
          Add(std::move(change));
        }
      }
    }
    RefComparison r = cmp.CompareRefs(TypeId{ot->type}, TypeId{nt->type});
    if (!r.Identical()) {
      AbiChange change = base;
      change.item = "return type";
      change.old_text = RenderTypeWithTags(ob, TypeId{ot->type});
      change.new_text = RenderTypeWithTags(nb, TypeId{nt->type});
      ChangedRef ref{ob, TypeId{ot->type}, nb, TypeId{nt->type}, r};
      ApplyClassification(change, ClassifyTypeChange(ret_use, "return type", ref));
      Add(std::move(change));
    }
  }

  void AddRoots(TypeComparison& cmp, TypeId old_id, TypeId new_id, const std::string& label,
                ReachingInterface& iface, uint32_t max_hops = UINT32_MAX) {
    std::vector<TypeEdge> edges;
    cmp.CollectEdges(old_id, new_id, 0, "", &edges);
    for (const TypeEdge& edge : edges) {
      if (edge.pointer_hops > max_hops) continue;
      iface.roots.push_back(
          {Normalize(&cmp, edge.old_type, edge.new_type), edge.pointer_hops, label});
    }
  }

  // --- struct_ops ---------------------------------------------------------

  void DiffStructOps() {
    std::map<std::string_view, const StructOpsType*> old_by_name, new_by_name;
    for (const StructOpsType& t : old_.struct_ops) old_by_name.try_emplace(t.name, &t);
    for (const StructOpsType& t : new_.struct_ops) new_by_name.try_emplace(t.name, &t);
    for (const auto& [name, t] : old_by_name) {
      auto it = new_by_name.find(name);
      if (it == new_by_name.end()) {
        AbiChange change = StructOpsChange(ChangeKind::kStructOpsRemoved, *t);
        ApplyClassification(change, ClassifyStructOpsRemoved());
        Add(std::move(change));
        continue;
      }
      DiffStructOpsType(*t, *it->second);
    }
    for (const auto& [name, t] : new_by_name) {
      if (old_by_name.contains(name)) continue;
      AbiChange change = StructOpsChange(ChangeKind::kStructOpsAdded, *t);
      ApplyClassification(change, ClassifyStructOpsAdded());
      Add(std::move(change));
    }
  }

  AbiChange StructOpsChange(ChangeKind kind, const StructOpsType& t) const {
    AbiChange change;
    change.kind = kind;
    change.subject_kind = SubjectKind::kStructOps;
    change.subject = t.name;
    change.module = t.module;
    change.sides = kSideImplementer;
    return change;
  }

  void DiffStructOpsType(const StructOpsType& o, const StructOpsType& n) {
    TypeComparison* cmp = ComparisonFor(o.module, n.module);
    if (cmp == nullptr) return;
    tables_.insert(Normalize(cmp, o.id, n.id));
    ReachingInterface iface{{SubjectKind::kStructOps, n.name}, kSideImplementer, {}};
    std::map<std::string_view, const StructOpsMember*> new_members;
    for (const StructOpsMember& m : n.members) new_members.try_emplace(m.name, &m);
    absl::flat_hash_set<std::string_view> old_names;
    for (const StructOpsMember& om : o.members) {
      old_names.insert(om.name);
      auto it = new_members.find(om.name);
      if (it == new_members.end()) {
        AbiChange change = StructOpsMemberChange(ChangeKind::kStructOpsMemberRemoved, n, om.name);
        change.old_text = om.declaration;
        ApplyClassification(change, ClassifyStructOpsMemberRemoved(om.name));
        Add(std::move(change));
        continue;
      }
      DiffStructOpsMember(*cmp, n, om, *it->second, iface);
    }
    for (const StructOpsMember& nm : n.members) {
      if (old_names.contains(nm.name)) continue;
      AbiChange change = StructOpsMemberChange(ChangeKind::kStructOpsMemberAdded, n, nm.name);
      change.new_text = nm.declaration;
      ApplyClassification(change, ClassifyStructOpsMemberAdded(nm.is_callback));
      Add(std::move(change));
    }
    interfaces_.push_back(std::move(iface));
  }

  AbiChange StructOpsMemberChange(ChangeKind kind, const StructOpsType& t,
                                  std::string_view member) const {
    AbiChange change = StructOpsChange(kind, t);
    change.member = std::string(member);
    change.item = "member";
    return change;
  }

  void DiffStructOpsMember(TypeComparison& cmp, const StructOpsType& table,
                           const StructOpsMember& om, const StructOpsMember& nm,
                           ReachingInterface& iface) {
    const std::string label = absl::StrFormat("%s.%s", table.name, nm.name);
    AbiChange base = StructOpsMemberChange(ChangeKind::kStructOpsMemberChanged, table, nm.name);
    if (om.is_callback != nm.is_callback) {
      base.item = "kind";
      base.old_text = om.declaration;
      base.new_text = nm.declaration;
      ApplyClassification(base, ClassifyStructOpsMemberKindChange(om.is_callback));
      Add(std::move(base));
      return;
    }
    if (om.is_callback) {
      TypeId old_proto = CallbackProto(cmp.old_btf(), om.type);
      TypeId new_proto = CallbackProto(cmp.new_btf(), nm.type);
      if (old_proto.is_void() || new_proto.is_void()) return;
      DiffPrototype(cmp, {old_proto, om.declaration}, {new_proto, nm.declaration},
                    /*callback=*/true, label, base, iface);
      return;
    }
    // Implementations set a data member; they do not follow its pointers
    // (`owner`, `list`), so only what it embeds is theirs to lay out.
    AddRoots(cmp, om.type, nm.type, label, iface, /*max_hops=*/0);
    RefComparison r = cmp.CompareRefs(om.type, nm.type);
    std::optional<uint64_t> old_size = cmp.old_btf().ResolveSize(om.type);
    std::optional<uint64_t> new_size = cmp.new_btf().ResolveSize(nm.type);
    if (r.Identical() && old_size == new_size) return;
    base.item = "type";
    base.old_text = om.declaration;
    base.new_text = nm.declaration;
    ChangedRef ref{cmp.old_btf(), om.type, cmp.new_btf(), nm.type, r};
    ApplyClassification(base, ClassifyTypeChange(TypeUse::kStructOpsData,
                                                 absl::StrFormat("member %s", nm.name), ref));
    Add(std::move(base));
  }

  // --- kernel types reached -----------------------------------------------

  struct Parent {
    PairRef pair;          // the type it was reached from; unset for a root
    std::string_view via;  // the member of `pair`
    const Root* root = nullptr;
  };

  // Breadth-first by pointer hops (members embedded by value cost none).
  void Walk(const ReachingInterface& iface) {
    const uint32_t max_hops = options_.max_pointer_hops;
    std::vector<std::vector<PairRef>> by_hops(max_hops + 1);
    absl::flat_hash_map<PairRef, uint32_t> best;
    absl::flat_hash_map<PairRef, Parent> parents;
    auto visit = [&](const PairRef& pair, uint32_t hops, Parent parent) {
      if (hops > max_hops) return;
      auto [it, inserted] = best.try_emplace(pair, hops);
      if (!inserted) {
        if (it->second <= hops) return;
        it->second = hops;
      }
      parents[pair] = parent;
      by_hops[hops].push_back(pair);
    };
    for (const Root& root : iface.roots) visit(root.pair, root.pointer_hops, {{}, {}, &root});
    absl::flat_hash_set<PairRef> done;
    for (uint32_t hops = 0; hops <= max_hops; ++hops) {
      for (size_t i = 0; i < by_hops[hops].size(); ++i) {
        PairRef pair = by_hops[hops][i];
        if (best[pair] != hops || !done.insert(pair).second) continue;
        if (tables_.contains(pair)) continue;  // the interface itself
        Attribute(pair, iface, parents);
        const NamedTypeDiff& diff = pair.cmp->DiffNamed(pair.old_id, pair.new_id);
        for (const TypeEdge& edge : diff.edges) {
          visit(Normalize(pair.cmp, edge.old_type, edge.new_type), hops + edge.pointer_hops,
                {pair, edge.via, nullptr});
        }
      }
    }
  }

  void Attribute(const PairRef& pair, const ReachingInterface& iface,
                 const absl::flat_hash_map<PairRef, Parent>& parents) {
    auto [it, inserted] = reach_.try_emplace(pair);
    Reach& reach = it->second;
    if (inserted) {
      reach_order_.push_back(pair);
      reach.path = PathTo(pair, parents);
    }
    if (reach.from.empty() || reach.from.back() != iface.ref) reach.from.push_back(iface.ref);
    reach.sides |= iface.side;
  }

  // "tcp_congestion_ops.ssthresh argument 1 > struct sock.__sk_common"
  static std::string PathTo(PairRef pair, const absl::flat_hash_map<PairRef, Parent>& parents) {
    std::vector<std::string> steps;
    for (int guard = 0; guard < 64; ++guard) {
      auto it = parents.find(pair);
      if (it == parents.end()) break;
      const Parent& parent = it->second;
      if (parent.root != nullptr) {
        steps.push_back(parent.root->label);
        break;
      }
      steps.push_back(absl::StrFormat("%s.%s", TypeNameWithKeyword(parent.pair.cmp->old_btf(),
                                                             parent.pair.old_id),
                                      parent.via));
      pair = parent.pair;
    }
    std::reverse(steps.begin(), steps.end());
    std::string out;
    for (const std::string& step : steps) out += (out.empty() ? "" : " > ") + step;
    return out;
  }

  void ReportTypes() {
    // One report per type name: a module's copy of a vmlinux type is the
    // same type to a program.
    std::map<std::string, std::vector<PairRef>> by_name;
    for (const PairRef& pair : reach_order_) {
      by_name[TypeNameWithKeyword(pair.cmp->old_btf(), pair.old_id)].push_back(pair);
    }
    for (const auto& [name, pairs] : by_name) {
      const PairRef& first = pairs.front();
      const NamedTypeDiff& diff = first.cmp->DiffNamed(first.old_id, first.new_id);
      if (!diff.Changed()) continue;
      Reach reach = reach_[first];
      CallerMemory memory;
      for (const PairRef& pair : pairs) {
        const Reach& more = reach_[pair];
        reach.sides |= more.sides;
        reach.from.insert(reach.from.end(), more.from.begin(), more.from.end());
        if (auto it = program_memory_.find(pair);
            it != program_memory_.end() && memory.owner != MemoryOwner::kProgram) {
          memory = it->second;
        }
      }
      std::sort(reach.from.begin(), reach.from.end());
      reach.from.erase(std::unique(reach.from.begin(), reach.from.end()), reach.from.end());
      ReportType(name, *first.cmp, diff, reach, memory);
    }
  }

  void ReportType(const std::string& name, const TypeComparison& cmp, const NamedTypeDiff& diff,
                  const Reach& reach, const CallerMemory& memory) {
    AbiChange base;
    base.subject_kind = SubjectKind::kType;
    base.subject = name;
    base.sides = reach.sides;
    base.reached_from = reach.from;
    base.path = reach.path;
    if (diff.old_size != diff.new_size) {
      AbiChange change = base;
      change.kind = ChangeKind::kTypeSizeChanged;
      change.item = "size";
      change.old_text = absl::StrFormat("%u bytes", diff.old_size);
      change.new_text = absl::StrFormat("%u bytes", diff.new_size);
      if (memory.program_provided() && !diff.is_enum) {
        std::string constant = memory.owner == MemoryOwner::kProgramSized
                                   ? SizeConstantChange(cmp.old_btf(), cmp.new_btf(),
                                                        SplitKindKeyword(name).name, diff.old_size,
                                                        diff.new_size)
                                   : "";
        ApplyClassification(change, ClassifyCallerSizeChange(name, diff.old_size, diff.new_size,
                                                             memory, constant));
      } else {
        ApplyClassification(change, ClassifySizeChange(name, diff.is_enum, diff.old_size,
                                                       diff.new_size, memory.owner,
                                                       memory.User()));
      }
      Add(std::move(change));
    }
    for (const MemberChange& m : diff.members) {
      AbiChange change = base;
      change.kind = MemberChangeKindOf(m.kind);
      const FlatMember& any = m.old_member ? *m.old_member : *m.new_member;
      change.item = absl::StrFormat("member %s", any.name);
      DescribeMember(cmp, m, change);
      ApplyClassification(change, memory.program_provided()
                                      ? ClassifyCallerMemberChange(m, diff, cmp, memory)
                                      : ClassifyMemberChange(name, m, cmp, diff.old_size));
      Add(std::move(change));
    }
    for (const EnumeratorChange& e : diff.enumerators) {
      AbiChange change = base;
      change.kind = EnumeratorChangeKindOf(e.kind);
      change.item = absl::StrFormat("enumerator %s", e.name);
      if (e.kind != EnumeratorChangeKind::kAdded) change.old_text = absl::StrFormat("%d", e.old_value);
      if (e.kind != EnumeratorChangeKind::kRemoved) change.new_text = absl::StrFormat("%d", e.new_value);
      ApplyClassification(change, ClassifyEnumeratorChange(e));
      Add(std::move(change));
    }
  }

  static void DescribeMember(const TypeComparison& cmp, const MemberChange& m,
                             AbiChange& change) {
    auto declaration = [](const Btf& btf, const FlatMember& member) {
      std::string text = CDeclaration(btf, member.type, member.name);
      if (member.bitfield_size != 0) text += absl::StrFormat(" : %u", member.bitfield_size);
      return text;
    };
    switch (m.kind) {
      case MemberChangeKind::kAdded:
        change.new_text = declaration(cmp.new_btf(), *m.new_member) + " at " + Offset(*m.new_member);
        break;
      case MemberChangeKind::kRemoved:
        change.old_text = declaration(cmp.old_btf(), *m.old_member) + " at " + Offset(*m.old_member);
        break;
      case MemberChangeKind::kMoved:
        change.old_text = Offset(*m.old_member);
        change.new_text = Offset(*m.new_member);
        break;
      case MemberChangeKind::kResized: {
        bool bitfield = m.old_member->bitfield_size != 0 || m.new_member->bitfield_size != 0;
        TypeId core = cmp.old_btf().SkipModsAndTypedefs(m.old_member->type);
        if (!bitfield && cmp.old_btf().Kind(core) == BTF_KIND_ARRAY) {
          change.old_text = declaration(cmp.old_btf(), *m.old_member);
          change.new_text = declaration(cmp.new_btf(), *m.new_member);
        } else {
          change.old_text = SizeText(m.old_bits, bitfield);
          change.new_text = SizeText(m.new_bits, bitfield);
        }
        break;
      }
      case MemberChangeKind::kRetyped:
        change.old_text = RenderTypeWithTags(cmp.old_btf(), m.old_member->type);
        change.new_text = RenderTypeWithTags(cmp.new_btf(), m.new_member->type);
        break;
    }
  }

  void ListNewInterfaces() {
    for (const Kfunc& k : new_.kfuncs.kfuncs) {
      diff_.new_interfaces.push_back({SubjectKind::kKfunc, k.name});
    }
    for (const StructOpsType& t : new_.struct_ops) {
      diff_.new_interfaces.push_back({SubjectKind::kStructOps, t.name});
      for (const StructOpsMember& m : t.members) {
        diff_.new_struct_ops_members.push_back(absl::StrFormat("%s.%s", t.name, m.name));
      }
    }
  }

  const KernelInventory& old_;
  const KernelInventory& new_;
  DiffOptions options_;
  KernelDiff diff_;
  std::unique_ptr<TypeComparison> vmlinux_;
  std::map<std::pair<std::string, std::string>, std::unique_ptr<TypeComparison>> modules_;
  std::vector<ReachingInterface> interfaces_;
  absl::flat_hash_set<PairRef> tables_;  // struct_ops tables: interfaces, not types
  absl::flat_hash_map<PairRef, CallerMemory> program_memory_;
  absl::flat_hash_map<PairRef, Reach> reach_;
  std::vector<PairRef> reach_order_;
};

}  // namespace

KernelDiff DiffInventories(const KernelInventory& old_inventory,
                           const KernelInventory& new_inventory, const DiffOptions& options,
                           ComparisonStats* stats) {
  Differ differ(old_inventory, new_inventory, options);
  KernelDiff diff = differ.Run();
  if (stats != nullptr) *stats = differ.Stats();
  return diff;
}

KernelDiff DiffKernels(const KernelBtf& old_kernel, const KernelBtf& new_kernel,
                       const DiffOptions& options, ComparisonStats* stats) {
  KernelDiff diff =
      DiffInventories(TakeInventory(old_kernel), TakeInventory(new_kernel), options, stats);
  LabelConfigCauses(old_kernel, new_kernel, &diff);
  return diff;
}

}  // namespace kcontract
