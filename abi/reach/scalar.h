// Scalar: what the analysis knows of a 64-bit value in a BPF register or
// stack slot, as bounds (unsigned and signed), the way the kernel's verifier
// tracks scalars. The verifier explores only the branches the bounds leave
// open, so these bounds decide which instructions it reaches; they are kept
// as precise as the verifier's where that decides a branch (constants, the
// bounds comparisons with constants set, zero-extension, masks and shifts),
// and give up to "any value" elsewhere, where the verifier, too, explores both
// ways.
#ifndef KCONTRACT_ABI_REACH_SCALAR_H_
#define KCONTRACT_ABI_REACH_SCALAR_H_

#include <cstdint>
#include <limits>
#include <optional>
#include <string>

namespace kcontract {

struct Scalar {
  uint64_t umin = 0;
  uint64_t umax = std::numeric_limits<uint64_t>::max();
  int64_t smin = std::numeric_limits<int64_t>::min();
  int64_t smax = std::numeric_limits<int64_t>::max();

  static Scalar Unknown() { return Scalar{}; }
  static Scalar Constant(uint64_t value);
  // [0, 2^bits - 1]: what a zero-extending load or a 32-bit operation gives.
  static Scalar Width(int bits);
  static Scalar Unsigned(uint64_t min, uint64_t max);

  bool is_constant() const { return umin == umax; }
  std::optional<uint64_t> constant() const {
    return is_constant() ? std::optional<uint64_t>(umin) : std::nullopt;
  }
  bool is_unknown() const { return *this == Unknown(); }
  // False when no value satisfies the bounds (a branch that cannot be taken).
  bool Feasible() const { return umin <= umax && smin <= smax; }
  // Tightens each pair of bounds with what the other pair implies.
  void Sync();
  // Whether every value of `other` is a value of this one.
  bool Contains(const Scalar& other) const {
    return umin <= other.umin && other.umax <= umax && smin <= other.smin && other.smax <= smax;
  }
  // "= 5", "in [1, 7]", "!= 0", "any": for people.
  std::string Describe() const;

  friend bool operator==(const Scalar&, const Scalar&) = default;
};

// The BPF ALU operations (BPF_ADD ... BPF_END as in <linux/bpf.h>), on
// 64 bits or, with `alu32`, on the low 32 bits zero-extended.
Scalar ApplyAlu(uint8_t op, const Scalar& dst, const Scalar& src, bool alu32);

// The low 32 bits of a value, zero-extended (what a 32-bit move gives).
Scalar Low32(const Scalar& value);

// The verifier's view of a conditional jump `dst OP src` (op: BPF_JEQ ...,
// jmp32: the JMP32 class, comparing low 32 bits): 1 always taken, 0 never,
// -1 either.
int BranchTaken(uint8_t op, const Scalar& dst, const Scalar& src, bool jmp32);

// The bounds of `dst` on the side of the jump where `taken` holds, when `src`
// is a constant (the other side of a comparison with a constant); nullopt
// when that side cannot be taken. Comparisons the verifier does not refine
// leave `dst` as it is.
std::optional<Scalar> Refine(uint8_t op, const Scalar& dst, const Scalar& src, bool jmp32,
                             bool taken);

}  // namespace kcontract

#endif  // KCONTRACT_ABI_REACH_SCALAR_H_
