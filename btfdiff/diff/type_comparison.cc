#include "btfdiff/diff/type_comparison.h"

#include <algorithm>

#include "absl/container/inlined_vector.h"

namespace kcontract {
namespace {

// Deeper than any real declarator or nesting of anonymous types; bounds
// hostile BTF (pointer chains thousands long) to a fixed stack.
constexpr int kMaxDepth = 128;
constexpr int kMaxFlattenDepth = 16;
constexpr int kMaxEdgeSteps = 64;

uint64_t PairKey(TypeId old_id, TypeId new_id) {
  return (uint64_t{old_id.value} << 32) | new_id.value;
}

bool IsAggregateOrEnum(uint32_t kind) {
  return kind == BTF_KIND_STRUCT || kind == BTF_KIND_UNION || kind == BTF_KIND_ENUM ||
         kind == BTF_KIND_ENUM64;
}

bool IsEnumKind(uint32_t kind) { return kind == BTF_KIND_ENUM || kind == BTF_KIND_ENUM64; }

// Qualifiers in front of a type: const/volatile/restrict bits and type tag
// names, which the verifier reads (__rcu, __user, __percpu...).
struct Qualifiers {
  TypeId rest;
  uint8_t cvr = 0;
  absl::InlinedVector<std::string_view, 2> tags;
  friend bool operator==(const Qualifiers& a, const Qualifiers& b) {
    return a.cvr == b.cvr && a.tags == b.tags;
  }
};

Qualifiers StripQualifiers(const Btf& btf, TypeId id) {
  Qualifiers q;
  for (int depth = 0; depth < kMaxEdgeSteps; ++depth) {
    const btf_type* t = btf.Type(id);
    if (t == nullptr) break;
    switch (btf_kind(t)) {
      case BTF_KIND_CONST: q.cvr |= 1; break;
      case BTF_KIND_VOLATILE: q.cvr |= 2; break;
      case BTF_KIND_RESTRICT: q.cvr |= 4; break;
      case BTF_KIND_TYPE_TAG: q.tags.push_back(btf.String(t->name_off)); break;
      default:
        q.rest = id;
        return q;
    }
    id = TypeId{t->type};
  }
  q.rest = id;
  return q;
}

// A named type for the purposes of this file: a struct, union or enum with
// a name, or a typedef of an anonymous one (`typedef struct {...} atomic_t`),
// which C code can only name through the typedef.
bool IsNamedType(const Btf& btf, TypeId id) {
  const btf_type* t = btf.Type(id);
  if (t == nullptr) return false;
  uint32_t kind = btf_kind(t);
  if (IsAggregateOrEnum(kind)) return t->name_off != 0 && !btf.String(t->name_off).empty();
  if (kind != BTF_KIND_TYPEDEF) return false;
  TypeId body = btf.SkipMods(TypeId{t->type});
  const btf_type* b = btf.Type(body);
  return b != nullptr && IsAggregateOrEnum(btf_kind(b)) && btf.String(b->name_off).empty();
}

// Two named types (IsNamedType) are the same type when their kinds and
// names are.
bool SameNamedType(const Btf& old_btf, TypeId old_id, const Btf& new_btf, TypeId new_id) {
  uint32_t old_kind = old_btf.Kind(old_id);
  uint32_t new_kind = new_btf.Kind(new_id);
  bool kinds_agree = old_kind == new_kind || (IsEnumKind(old_kind) && IsEnumKind(new_kind));
  if (!kinds_agree || old_btf.Name(old_id) != new_btf.Name(new_id)) return false;
  if (old_kind != BTF_KIND_TYPEDEF) return true;
  uint32_t old_body = old_btf.Kind(NamedTypeBody(old_btf, old_id));
  uint32_t new_body = new_btf.Kind(NamedTypeBody(new_btf, new_id));
  return old_body == new_body || (IsEnumKind(old_body) && IsEnumKind(new_body));
}

RefComparison Different() {
  RefComparison r;
  r.same_shape = false;
  return r;
}

void Merge(RefComparison& into, const RefComparison& part) {
  into.same_shape = into.same_shape && part.same_shape;
  into.typedef_names_differ = into.typedef_names_differ || part.typedef_names_differ;
  into.qualifiers_differ = into.qualifiers_differ || part.qualifiers_differ;
}

void Flatten(const Btf& btf, TypeId aggregate, uint32_t base_bits, const std::string& prefix,
             int depth, std::vector<FlatMember>& out) {
  const btf_type* t = btf.Type(aggregate);
  if (t == nullptr || !btf_is_composite(t)) return;
  const btf_member* members = btf_members(t);
  for (uint16_t i = 0; i < btf_vlen(t); ++i) {
    uint32_t offset = base_bits + btf_member_bit_offset(t, i);
    std::string_view name = btf.String(members[i].name_off);
    TypeId type{members[i].type};
    if (depth < kMaxFlattenDepth) {
      TypeId inner = btf.SkipMods(type);
      const btf_type* it = btf.Type(inner);
      if (it != nullptr && btf_is_composite(it) && btf.String(it->name_off).empty()) {
        Flatten(btf, inner, offset,
                name.empty() ? prefix : prefix + std::string(name) + ".", depth + 1, out);
        continue;
      }
    }
    if (name.empty()) continue;  // padding bitfields: nothing reads them by name
    out.push_back(FlatMember{prefix + std::string(name), type, offset,
                             btf_member_bitfield_size(t, i)});
  }
}

uint64_t MemberBits(const Btf& btf, const FlatMember& member) {
  if (member.bitfield_size != 0) return member.bitfield_size;
  return btf.ResolveSize(member.type).value_or(0) * 8;
}

// Only an array's length differs: the member keeps its type and grows or
// shrinks (`char comm[16]` to `char comm[32]`).
bool OnlyArrayLengthDiffers(TypeComparison& cmp, TypeId old_id, TypeId new_id) {
  TypeId old_array = cmp.old_btf().SkipModsAndTypedefs(old_id);
  TypeId new_array = cmp.new_btf().SkipModsAndTypedefs(new_id);
  const btf_type* ot = cmp.old_btf().Type(old_array);
  const btf_type* nt = cmp.new_btf().Type(new_array);
  if (ot == nullptr || nt == nullptr || !btf_is_array(ot) || !btf_is_array(nt)) return false;
  const struct btf_array* oa = btf_array(ot);
  const struct btf_array* na = btf_array(nt);
  return oa->nelems != na->nelems &&
         cmp.CompareRefs(TypeId{oa->type}, TypeId{na->type}).same_shape;
}

struct Enumerator {
  std::string_view name;
  int64_t value;
};

std::vector<Enumerator> Enumerators(const Btf& btf, TypeId id) {
  std::vector<Enumerator> out;
  const btf_type* t = btf.Type(id);
  if (t == nullptr) return out;
  if (btf_is_enum(t)) {
    const struct btf_enum* e = btf_enum(t);
    bool is_signed = btf_kflag(t);
    for (uint16_t i = 0; i < btf_vlen(t); ++i) {
      int64_t value = is_signed ? int64_t{e[i].val} : int64_t{static_cast<uint32_t>(e[i].val)};
      out.push_back({btf.String(e[i].name_off), value});
    }
  } else if (btf_is_enum64(t)) {
    const struct btf_enum64* e = btf_enum64(t);
    for (uint16_t i = 0; i < btf_vlen(t); ++i) {
      uint64_t value = (uint64_t{e[i].val_hi32} << 32) | e[i].val_lo32;
      out.push_back({btf.String(e[i].name_off), static_cast<int64_t>(value)});
    }
  }
  return out;
}

}  // namespace

std::vector<FlatMember> FlattenMembers(const Btf& btf, TypeId aggregate) {
  std::vector<FlatMember> out;
  Flatten(btf, aggregate, 0, "", 0, out);
  return out;
}

TypeId NamedTypeBody(const Btf& btf, TypeId id) {
  if (btf.Kind(id) != BTF_KIND_TYPEDEF) return id;
  return btf.SkipMods(TypeId{btf.Type(id)->type});
}

void ComparisonStats::Add(const ComparisonStats& other) {
  pairs_queried += other.pairs_queried;
  memo_hits += other.memo_hits;
  cycle_hits += other.cycle_hits;
  pairs_compared += other.pairs_compared;
  depth_limited += other.depth_limited;
  largest_component = std::max(largest_component, other.largest_component);
  max_depth = std::max(max_depth, other.max_depth);
  named_queried += other.named_queried;
  named_compared += other.named_compared;
}

TypeComparison::TypeComparison(const Btf& old_btf, const Btf& new_btf, TypeComparison* base)
    : old_(old_btf), new_(new_btf), base_(base) {}

TypeComparison& TypeComparison::Owner(TypeId old_id, TypeId new_id) {
  if (base_ != nullptr && old_id < old_.first_id() && new_id < new_.first_id()) {
    return base_->Owner(old_id, new_id);
  }
  return *this;
}

RefComparison TypeComparison::CompareRefs(TypeId old_id, TypeId new_id) {
  return Compare(old_id, new_id, 0);
}

// One step of the coinductive comparison: a pair reached again while in
// progress is assumed equal (or, once done, taken at its provisional
// result) until the component it belongs to completes.
RefComparison TypeComparison::Compare(TypeId old_id, TypeId new_id, int depth) {
  TypeComparison& owner = Owner(old_id, new_id);
  // Base pairs never lead back to a module's own types: a separate stack.
  if (&owner != this) return owner.CompareRefs(old_id, new_id);
  if (old_id.is_void() && new_id.is_void()) return RefComparison{};
  ++stats_.pairs_queried;
  const uint64_t key = PairKey(old_id, new_id);
  if (auto it = refs_.find(key); it != refs_.end()) {
    ++stats_.memo_hits;
    return it->second;
  }
  if (depth > kMaxDepth && !sccs_.IsOpen(key)) {
    ++stats_.depth_limited;
    return Different();
  }
  std::optional<size_t> position = sccs_.Open(key);
  if (!position) {
    ++stats_.cycle_hits;
    auto it = provisional_.find(key);
    return it == provisional_.end() ? RefComparison{} : it->second;
  }
  ++stats_.pairs_compared;
  stats_.max_depth = std::max(stats_.max_depth, static_cast<uint32_t>(depth));
  RefComparison result = CompareUncached(old_id, new_id, depth);
  return Settle(key, result, sccs_.Close(*position));
}

RefComparison TypeComparison::Settle(uint64_t key, RefComparison result,
                                     std::span<const uint64_t> component) {
  if (component.empty()) {
    provisional_.emplace(key, result);
    return result;
  }
  // Each pair of a strongly connected set reaches every other, so one
  // result holds for all of them: the root's, with every difference found
  // inside the set.
  for (uint64_t member : component) {
    if (auto it = provisional_.find(member); it != provisional_.end()) {
      Merge(result, it->second);
      provisional_.erase(it);
    }
  }
  for (uint64_t member : component) refs_[member] = result;
  stats_.largest_component = std::max<uint64_t>(stats_.largest_component, component.size());
  return result;
}

RefComparison TypeComparison::CompareUncached(TypeId old_id, TypeId new_id, int depth) {
  Qualifiers oq = StripQualifiers(old_, old_id);
  Qualifiers nq = StripQualifiers(new_, new_id);
  const bool qualifiers_differ = !(oq == nq);
  const btf_type* ot = old_.Type(oq.rest);
  const btf_type* nt = new_.Type(nq.rest);
  const bool old_typedef = ot != nullptr && btf_is_typedef(ot);
  const bool new_typedef = nt != nullptr && btf_is_typedef(nt);

  RefComparison result;
  if (old_typedef && new_typedef &&
      old_.String(ot->name_off) == new_.String(nt->name_off)) {
    if (IsNamedType(old_, oq.rest) && IsNamedType(new_, nq.rest)) {
      // `typedef struct {...} atomic_t` on both sides: one named type,
      // whose contents DiffNamed compares.
      if (!SameNamedType(old_, oq.rest, new_, nq.rest)) result = Different();
    } else {
      result = Compare(TypeId{ot->type}, TypeId{nt->type}, depth + 1);
    }
  } else if (old_typedef || new_typedef) {
    // Other typedef names (or a typedef on one side only): the same type
    // under other names is a typedef-only rename.
    result = CompareResolved(old_.SkipModsAndTypedefs(oq.rest), new_.SkipModsAndTypedefs(nq.rest),
                             depth);
    result.typedef_names_differ = true;
  } else {
    result = CompareResolved(oq.rest, nq.rest, depth);
  }
  result.qualifiers_differ = result.qualifiers_differ || qualifiers_differ;
  return result;
}

// Neither side starts with a qualifier or a typedef.
RefComparison TypeComparison::CompareResolved(TypeId old_id, TypeId new_id, int depth) {
  if (old_id.is_void() || new_id.is_void()) {
    return old_id.is_void() && new_id.is_void() ? RefComparison{} : Different();
  }
  const btf_type* ot = old_.Type(old_id);
  const btf_type* nt = new_.Type(new_id);
  if (ot == nullptr || nt == nullptr) return Different();
  const uint32_t ok = btf_kind(ot);
  const uint32_t nk = btf_kind(nt);
  const std::string_view old_name = old_.String(ot->name_off);
  const std::string_view new_name = new_.String(nt->name_off);

  // A forward declaration is the struct or union of its name (libbpf and
  // the verifier resolve it so).
  if (ok == BTF_KIND_FWD || nk == BTF_KIND_FWD) {
    auto fwd_is_union = [](const btf_type* t) { return btf_kflag(t); };
    auto kind_is_union = [&](const btf_type* t, uint32_t k) {
      return k == BTF_KIND_FWD ? fwd_is_union(t) : k == BTF_KIND_UNION;
    };
    bool composite_or_fwd = (ok == BTF_KIND_FWD || btf_is_composite(ot)) &&
                            (nk == BTF_KIND_FWD || btf_is_composite(nt));
    if (composite_or_fwd && !old_name.empty() && old_name == new_name &&
        kind_is_union(ot, ok) == kind_is_union(nt, nk)) {
      return RefComparison{};
    }
    return Different();
  }
  if (ok != nk && !(IsEnumKind(ok) && IsEnumKind(nk))) return Different();

  switch (ok) {
    case BTF_KIND_INT:
      // The same C type under its own name: producers differ in the
      // encoding bits they give `char` (pahole 1.24 marks it signed).
      if (!old_name.empty() && old_name == new_name && ot->size == nt->size) {
        return RefComparison{};
      }
      if (ot->size != nt->size || btf_int_encoding(ot) != btf_int_encoding(nt) ||
          btf_int_bits(ot) != btf_int_bits(nt) || btf_int_offset(ot) != btf_int_offset(nt)) {
        return Different();
      }
      return RefComparison{};
    case BTF_KIND_FLOAT:
      return ot->size == nt->size ? RefComparison{} : Different();
    case BTF_KIND_PTR:
      return Compare(TypeId{ot->type}, TypeId{nt->type}, depth + 1);
    case BTF_KIND_ARRAY: {
      const struct btf_array* oa = btf_array(ot);
      const struct btf_array* na = btf_array(nt);
      RefComparison r = Compare(TypeId{oa->type}, TypeId{na->type}, depth + 1);
      if (oa->nelems != na->nelems) r.same_shape = false;
      return r;
    }
    case BTF_KIND_STRUCT:
    case BTF_KIND_UNION:
      if (!old_name.empty() || !new_name.empty()) {
        return old_name == new_name ? RefComparison{} : Different();
      }
      return CompareAnonymousAggregates(old_id, new_id, depth);
    case BTF_KIND_ENUM:
    case BTF_KIND_ENUM64: {
      if (!old_name.empty() || !new_name.empty()) {
        return old_name == new_name ? RefComparison{} : Different();
      }
      if (ot->size != nt->size) return Different();
      std::vector<Enumerator> oe = Enumerators(old_, old_id);
      std::vector<Enumerator> ne = Enumerators(new_, new_id);
      bool same = oe.size() == ne.size() &&
                  std::equal(oe.begin(), oe.end(), ne.begin(), [](const auto& a, const auto& b) {
                    return a.name == b.name && a.value == b.value;
                  });
      return same ? RefComparison{} : Different();
    }
    case BTF_KIND_FUNC_PROTO:
      return CompareProtos(old_id, new_id, depth);
    case BTF_KIND_FUNC:
      return Compare(TypeId{ot->type}, TypeId{nt->type}, depth + 1);
    default:
      return Different();
  }
}

RefComparison TypeComparison::CompareAnonymousAggregates(TypeId old_id, TypeId new_id,
                                                         int depth) {
  const btf_type* ot = old_.Type(old_id);
  const btf_type* nt = new_.Type(new_id);
  if (ot->size != nt->size || btf_vlen(ot) != btf_vlen(nt)) return Different();
  RefComparison result;
  const btf_member* om = btf_members(ot);
  const btf_member* nm = btf_members(nt);
  for (uint16_t i = 0; i < btf_vlen(ot); ++i) {
    if (old_.String(om[i].name_off) != new_.String(nm[i].name_off) ||
        btf_member_bit_offset(ot, i) != btf_member_bit_offset(nt, i) ||
        btf_member_bitfield_size(ot, i) != btf_member_bitfield_size(nt, i)) {
      return Different();
    }
    Merge(result, Compare(TypeId{om[i].type}, TypeId{nm[i].type}, depth + 1));
  }
  return result;
}

RefComparison TypeComparison::CompareProtos(TypeId old_id, TypeId new_id, int depth) {
  const btf_type* ot = old_.Type(old_id);
  const btf_type* nt = new_.Type(new_id);
  if (btf_vlen(ot) != btf_vlen(nt)) return Different();
  RefComparison result = Compare(TypeId{ot->type}, TypeId{nt->type}, depth + 1);
  const btf_param* op = btf_params(ot);
  const btf_param* np = btf_params(nt);
  for (uint16_t i = 0; i < btf_vlen(ot); ++i) {
    Merge(result, Compare(TypeId{op[i].type}, TypeId{np[i].type}, depth + 1));
  }
  return result;
}

void TypeComparison::CollectEdges(TypeId old_id, TypeId new_id, uint32_t pointer_hops,
                                  std::string_view via, std::vector<TypeEdge>* edges) const {
  for (int step = 0; step < kMaxEdgeSteps; ++step) {
    old_id = old_.SkipMods(old_id);
    new_id = new_.SkipMods(new_id);
    if (IsNamedType(old_, old_id) && IsNamedType(new_, new_id)) {
      if (SameNamedType(old_, old_id, new_, new_id)) {
        edges->push_back(TypeEdge{old_id, new_id, pointer_hops, std::string(via)});
      }
      return;
    }
    const uint32_t ok = old_.Kind(old_id);
    const uint32_t nk = new_.Kind(new_id);
    if (ok == BTF_KIND_TYPEDEF || nk == BTF_KIND_TYPEDEF) {
      if (ok == BTF_KIND_TYPEDEF) old_id = TypeId{old_.Type(old_id)->type};
      if (nk == BTF_KIND_TYPEDEF) new_id = TypeId{new_.Type(new_id)->type};
      continue;
    }
    if (ok != nk || old_id.is_void() || new_id.is_void()) return;
    if (ok == BTF_KIND_PTR) {
      ++pointer_hops;
      old_id = TypeId{old_.Type(old_id)->type};
      new_id = TypeId{new_.Type(new_id)->type};
    } else if (ok == BTF_KIND_ARRAY) {
      old_id = TypeId{btf_array(old_.Type(old_id))->type};
      new_id = TypeId{btf_array(new_.Type(new_id))->type};
    } else {
      return;  // scalars, anonymous types, function prototypes
    }
  }
}

const NamedTypeDiff& TypeComparison::DiffNamed(TypeId old_id, TypeId new_id) {
  TypeComparison& owner = Owner(old_id, new_id);
  if (&owner != this) return owner.DiffNamed(old_id, new_id);
  ++stats_.named_queried;
  std::unique_ptr<NamedTypeDiff>& slot = named_[PairKey(old_id, new_id)];
  if (slot == nullptr) {
    ++stats_.named_compared;
    slot = ComputeNamedDiff(old_id, new_id);
  }
  return *slot;
}

std::unique_ptr<NamedTypeDiff> TypeComparison::ComputeNamedDiff(TypeId old_id, TypeId new_id) {
  auto diff = std::make_unique<NamedTypeDiff>();
  TypeId old_body = NamedTypeBody(old_, old_id);
  TypeId new_body = NamedTypeBody(new_, new_id);
  const btf_type* ot = old_.Type(old_body);
  const btf_type* nt = new_.Type(new_body);
  if (ot == nullptr || nt == nullptr) return diff;
  const uint32_t ok = btf_kind(ot);
  const uint32_t nk = btf_kind(nt);
  if (btf_is_composite(ot) && ok == nk) {
    diff->comparable = true;
    DiffMembers(old_body, new_body, *diff);
  } else if (IsEnumKind(ok) && IsEnumKind(nk)) {
    diff->comparable = true;
    diff->is_enum = true;
    DiffEnumerators(old_body, new_body, *diff);
  } else {
    return diff;
  }
  diff->old_size = ot->size;
  diff->new_size = nt->size;
  return diff;
}

void TypeComparison::DiffMembers(TypeId old_id, TypeId new_id, NamedTypeDiff& diff) {
  std::vector<FlatMember> old_members = FlattenMembers(old_, old_id);
  std::vector<FlatMember> new_members = FlattenMembers(new_, new_id);
  absl::flat_hash_map<std::string_view, size_t> new_by_name;
  new_by_name.reserve(new_members.size());
  for (size_t i = 0; i < new_members.size(); ++i) {
    new_by_name.try_emplace(new_members[i].name, i);
  }
  std::vector<bool> matched(new_members.size(), false);
  for (const FlatMember& om : old_members) {
    auto it = new_by_name.find(om.name);
    if (it == new_by_name.end()) {
      MemberChange change{MemberChangeKind::kRemoved, om, std::nullopt};
      change.old_bits = MemberBits(old_, om);
      diff.members.push_back(change);
      continue;
    }
    if (matched[it->second]) continue;  // a repeated name: the first one counts
    matched[it->second] = true;
    const FlatMember& nm = new_members[it->second];
    MemberChange change{MemberChangeKind::kRetyped, om, nm};
    change.old_bits = MemberBits(old_, om);
    change.new_bits = MemberBits(new_, nm);
    change.types = CompareRefs(om.type, nm.type);
    bool report = true;
    if (!change.types.same_shape) {
      if (OnlyArrayLengthDiffers(*this, om.type, nm.type)) change.kind = MemberChangeKind::kResized;
    } else if (change.types.Identical()) {
      change.kind = MemberChangeKind::kResized;
      report = change.old_bits != change.new_bits || om.bitfield_size != nm.bitfield_size;
    }
    if (report) diff.members.push_back(change);
    if (om.bit_offset != nm.bit_offset) {
      MemberChange moved = change;
      moved.kind = MemberChangeKind::kMoved;
      diff.members.push_back(moved);
    }
    CollectEdges(om.type, nm.type, 0, om.name, &diff.edges);
  }
  for (size_t i = 0; i < new_members.size(); ++i) {
    if (matched[i]) continue;
    MemberChange change{MemberChangeKind::kAdded, std::nullopt, new_members[i]};
    change.new_bits = MemberBits(new_, new_members[i]);
    // A zero-sized marker (`__u8 __cacheline_group_begin__x[0]`) holds
    // nothing a program could read.
    if (change.new_bits == 0) continue;
    diff.members.push_back(change);
  }
}

void TypeComparison::DiffEnumerators(TypeId old_id, TypeId new_id, NamedTypeDiff& diff) const {
  std::vector<Enumerator> old_values = Enumerators(old_, old_id);
  std::vector<Enumerator> new_values = Enumerators(new_, new_id);
  absl::flat_hash_map<std::string_view, int64_t> new_by_name;
  for (const Enumerator& e : new_values) new_by_name.try_emplace(e.name, e.value);
  absl::flat_hash_map<std::string_view, bool> old_names;
  for (const Enumerator& e : old_values) {
    old_names.try_emplace(e.name, true);
    auto it = new_by_name.find(e.name);
    if (it == new_by_name.end()) {
      diff.enumerators.push_back({EnumeratorChangeKind::kRemoved, e.name, e.value, 0});
    } else if (it->second != e.value) {
      diff.enumerators.push_back({EnumeratorChangeKind::kValueChanged, e.name, e.value, it->second});
    }
  }
  for (const Enumerator& e : new_values) {
    if (!old_names.contains(e.name)) {
      diff.enumerators.push_back({EnumeratorChangeKind::kAdded, e.name, 0, e.value});
    }
  }
}

}  // namespace kcontract
