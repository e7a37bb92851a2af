// The immutable BTF model: one parsed BTF blob (base or split) with typed
// ids. Parsing and validation are libbpf's (btf__new / btf__new_split), the
// same code the loader runs, so what kcontract reads is what libbpf reads.
#ifndef KCONTRACT_BTFDIFF_MODEL_BTF_H_
#define KCONTRACT_BTFDIFF_MODEL_BTF_H_

#include <bpf/btf.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "btfdiff/base/bytes.h"

namespace kcontract {

// A BTF type id. Distinct from a bare integer so that ids, counts and
// offsets cannot be mixed up.
struct TypeId {
  uint32_t value = 0;
  bool is_void() const { return value == 0; }
  friend auto operator<=>(const TypeId&, const TypeId&) = default;
};

class Btf {
 public:
  // Parses raw BTF. With `base`, the data is split BTF (a module's) whose ids
  // continue after the base's; `base` must outlive the result. `what` names
  // the input in error messages.
  static absl::StatusOr<std::unique_ptr<Btf>> Parse(ByteView raw,
                                                    std::string_view what,
                                                    const Btf* base = nullptr);
  ~Btf();
  Btf(const Btf&) = delete;
  Btf& operator=(const Btf&) = delete;

  // Ids in [first_id(), end_id()) belong to this blob; ids below first_id()
  // to the base.
  TypeId first_id() const { return TypeId{first_id_}; }
  TypeId end_id() const { return TypeId{end_id_}; }
  uint32_t own_type_count() const { return end_id_ - first_id_; }
  bool Valid(TypeId id) const { return id.value < end_id_; }

  // nullptr for an id out of range (never for a Valid id).
  const btf_type* Type(TypeId id) const;
  uint32_t Kind(TypeId id) const;
  std::string_view Name(TypeId id) const;
  std::string_view String(uint32_t offset) const;

  // Follows typedefs, const/volatile/restrict and type tags.
  TypeId SkipModsAndTypedefs(TypeId id) const;
  // Follows const/volatile/restrict and type tags, keeping typedefs.
  TypeId SkipMods(TypeId id) const;

  // The type's size in bytes as libbpf computes it (btf__resolve_size:
  // arrays multiplied out, typedefs and modifiers followed); nullopt for
  // types without a size (void, functions) or malformed ones.
  std::optional<uint64_t> ResolveSize(TypeId id) const;

  // All ids of this blob with `kind`, in id order.
  std::vector<TypeId> IdsOfKind(uint32_t kind) const;

  // The raw BTF this object holds (for a split blob, only its own part).
  ByteView RawData() const;

  const struct btf* libbpf() const { return btf_; }
  const Btf* base() const { return base_; }

 private:
  Btf(struct btf* btf, const Btf* base);

  struct btf* btf_;
  const Btf* base_;
  uint32_t first_id_;
  uint32_t end_id_;
};

// Kind name as bpftool prints it ("FUNC", "STRUCT", ...); "UNKNOWN" otherwise.
std::string_view KindName(uint32_t kind);

// Kinds libbpf treats as the same for CO-RE (enum and enum64 are).
bool KindsCoreCompatible(uint32_t local_kind, uint32_t target_kind);

}  // namespace kcontract

#endif  // KCONTRACT_BTFDIFF_MODEL_BTF_H_
