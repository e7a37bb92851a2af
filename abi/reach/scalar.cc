#include "abi/reach/scalar.h"

#include <linux/bpf.h>

#include <algorithm>
#include <bit>

#include "absl/strings/str_format.h"

namespace kcontract {
namespace {

constexpr uint64_t kU64Max = std::numeric_limits<uint64_t>::max();
constexpr int64_t kS64Min = std::numeric_limits<int64_t>::min();
constexpr int64_t kS64Max = std::numeric_limits<int64_t>::max();
constexpr uint64_t kU32Max = 0xffffffffull;

// Every value whose bits are within those of `max`: [0, 2^bitlen(max) - 1].
uint64_t BitsCeiling(uint64_t max) {
  int width = 64 - std::countl_zero(max);
  return width >= 64 ? kU64Max : (uint64_t{1} << width) - 1;
}

uint64_t ConstantAlu64(uint8_t op, uint64_t a, uint64_t b) {
  switch (op) {
    case BPF_ADD: return a + b;
    case BPF_SUB: return a - b;
    case BPF_MUL: return a * b;
    case BPF_DIV: return b == 0 ? 0 : a / b;  // BPF: division by zero gives 0
    case BPF_OR: return a | b;
    case BPF_AND: return a & b;
    case BPF_LSH: return a << (b & 63);
    case BPF_RSH: return a >> (b & 63);
    case BPF_NEG: return uint64_t{0} - a;
    case BPF_MOD: return b == 0 ? a : a % b;  // BPF: modulo by zero keeps dst
    case BPF_XOR: return a ^ b;
    case BPF_MOV: return b;
    case BPF_ARSH: return static_cast<uint64_t>(static_cast<int64_t>(a) >> (b & 63));
  }
  return 0;
}

uint64_t ConstantAlu32(uint8_t op, uint32_t a, uint32_t b) {
  uint32_t r = 0;
  switch (op) {
    case BPF_ADD: r = a + b; break;
    case BPF_SUB: r = a - b; break;
    case BPF_MUL: r = a * b; break;
    case BPF_DIV: r = b == 0 ? 0 : a / b; break;
    case BPF_OR: r = a | b; break;
    case BPF_AND: r = a & b; break;
    case BPF_LSH: r = a << (b & 31); break;
    case BPF_RSH: r = a >> (b & 31); break;
    case BPF_NEG: r = 0u - a; break;
    case BPF_MOD: r = b == 0 ? a : a % b; break;
    case BPF_XOR: r = a ^ b; break;
    case BPF_MOV: r = b; break;
    case BPF_ARSH: r = static_cast<uint32_t>(static_cast<int32_t>(a) >> (b & 31)); break;
  }
  return r;  // zero-extended, as every 32-bit BPF operation
}

Scalar FromSigned(int64_t min, int64_t max) {
  Scalar s;
  s.smin = min;
  s.smax = max;
  s.Sync();
  return s;
}

// Bounds of a 64-bit operation on values that are not both constants.
Scalar Alu64Bounds(uint8_t op, const Scalar& a, const Scalar& b) {
  switch (op) {
    case BPF_MOV:
      return b;
    case BPF_ADD: {
      Scalar r;
      uint64_t lo = 0, hi = 0;
      if (!__builtin_add_overflow(a.umin, b.umin, &lo) &&
          !__builtin_add_overflow(a.umax, b.umax, &hi)) {
        r.umin = lo;
        r.umax = hi;
      }
      int64_t slo = 0, shi = 0;
      if (!__builtin_add_overflow(a.smin, b.smin, &slo) &&
          !__builtin_add_overflow(a.smax, b.smax, &shi)) {
        r.smin = slo;
        r.smax = shi;
      }
      r.Sync();
      return r;
    }
    case BPF_SUB: {
      Scalar r;
      if (a.umin >= b.umax) {
        r.umin = a.umin - b.umax;
        r.umax = a.umax - b.umin;
      }
      int64_t slo = 0, shi = 0;
      if (!__builtin_sub_overflow(a.smin, b.smax, &slo) &&
          !__builtin_sub_overflow(a.smax, b.smin, &shi)) {
        r.smin = slo;
        r.smax = shi;
      }
      r.Sync();
      return r;
    }
    case BPF_AND:
      return Scalar::Unsigned(0, std::min(a.umax, b.umax));
    case BPF_OR:
      return Scalar::Unsigned(std::max(a.umin, b.umin), BitsCeiling(a.umax | b.umax));
    case BPF_XOR:
      return Scalar::Unsigned(0, BitsCeiling(a.umax | b.umax));
    case BPF_LSH:
      if (std::optional<uint64_t> k = b.constant(); k && *k < 64 && a.umax <= (kU64Max >> *k)) {
        return Scalar::Unsigned(a.umin << *k, a.umax << *k);
      }
      return Scalar::Unknown();
    case BPF_RSH:
      if (std::optional<uint64_t> k = b.constant(); k && *k < 64) {
        return Scalar::Unsigned(a.umin >> *k, a.umax >> *k);
      }
      return Scalar::Unsigned(0, a.umax);
    case BPF_ARSH:
      if (std::optional<uint64_t> k = b.constant(); k && *k < 64) {
        return FromSigned(a.smin >> *k, a.smax >> *k);
      }
      return Scalar::Unknown();
    case BPF_MUL: {
      uint64_t lo = 0, hi = 0;
      if (!__builtin_mul_overflow(a.umin, b.umin, &lo) &&
          !__builtin_mul_overflow(a.umax, b.umax, &hi)) {
        return Scalar::Unsigned(lo, hi);
      }
      return Scalar::Unknown();
    }
    case BPF_DIV:
      if (std::optional<uint64_t> k = b.constant(); k && *k != 0) {
        return Scalar::Unsigned(a.umin / *k, a.umax / *k);
      }
      return Scalar::Unsigned(0, a.umax);
    case BPF_MOD:
      if (std::optional<uint64_t> k = b.constant(); k && *k != 0) {
        return Scalar::Unsigned(0, std::min(a.umax, *k - 1));
      }
      return Scalar::Unsigned(0, a.umax);
  }
  return Scalar::Unknown();
}

// The comparison on the values each scalar may hold: 1 always, 0 never, -1 either.
int Compare(uint8_t op, const Scalar& d, const Scalar& s) {
  switch (op) {
    case BPF_JEQ:
      if (d.is_constant() && s.is_constant()) return d.umin == s.umin;
      if (d.umax < s.umin || s.umax < d.umin || d.smax < s.smin || s.smax < d.smin) return 0;
      return -1;
    case BPF_JNE: {
      int eq = Compare(BPF_JEQ, d, s);
      return eq < 0 ? -1 : !eq;
    }
    case BPF_JGT:
      if (d.umin > s.umax) return 1;
      if (d.umax <= s.umin) return 0;
      return -1;
    case BPF_JGE:
      if (d.umin >= s.umax) return 1;
      if (d.umax < s.umin) return 0;
      return -1;
    case BPF_JLT:
      if (d.umax < s.umin) return 1;
      if (d.umin >= s.umax) return 0;
      return -1;
    case BPF_JLE:
      if (d.umax <= s.umin) return 1;
      if (d.umin > s.umax) return 0;
      return -1;
    case BPF_JSGT:
      if (d.smin > s.smax) return 1;
      if (d.smax <= s.smin) return 0;
      return -1;
    case BPF_JSGE:
      if (d.smin >= s.smax) return 1;
      if (d.smax < s.smin) return 0;
      return -1;
    case BPF_JSLT:
      if (d.smax < s.smin) return 1;
      if (d.smin >= s.smax) return 0;
      return -1;
    case BPF_JSLE:
      if (d.smax <= s.smin) return 1;
      if (d.smin > s.smax) return 0;
      return -1;
    case BPF_JSET:
      if (d.is_constant() && s.is_constant()) return (d.umin & s.umin) != 0;
      if (std::optional<uint64_t> k = s.constant(); k && (BitsCeiling(d.umax) & *k) == 0) return 0;
      return -1;
  }
  return -1;
}

// A value as a JMP32 comparison sees it: its low 32 bits, zero-extended for
// the unsigned comparisons and sign-extended for the signed ones.
Scalar View32(const Scalar& value, bool is_signed) {
  Scalar low = Low32(value);
  if (!is_signed) return low;
  if (std::optional<uint64_t> c = low.constant()) {
    return Scalar::Constant(static_cast<uint64_t>(static_cast<int64_t>(static_cast<int32_t>(*c))));
  }
  if (low.umax <= 0x7fffffffull) return low;
  return FromSigned(std::numeric_limits<int32_t>::min(), std::numeric_limits<int32_t>::max());
}

bool IsSignedJump(uint8_t op) {
  return op == BPF_JSGT || op == BPF_JSGE || op == BPF_JSLT || op == BPF_JSLE;
}

// The comparison that holds on the side where `op` does not.
uint8_t Negated(uint8_t op) {
  switch (op) {
    case BPF_JEQ: return BPF_JNE;
    case BPF_JNE: return BPF_JEQ;
    case BPF_JGT: return BPF_JLE;
    case BPF_JGE: return BPF_JLT;
    case BPF_JLT: return BPF_JGE;
    case BPF_JLE: return BPF_JGT;
    case BPF_JSGT: return BPF_JSLE;
    case BPF_JSGE: return BPF_JSLT;
    case BPF_JSLT: return BPF_JSGE;
    case BPF_JSLE: return BPF_JSGT;
  }
  return op;
}

// `value` known to satisfy `value OP c`.
std::optional<Scalar> Constrain(uint8_t op, Scalar v, uint64_t c) {
  int64_t sc = static_cast<int64_t>(c);
  switch (op) {
    case BPF_JEQ:
      v.umin = std::max(v.umin, c);
      v.umax = std::min(v.umax, c);
      v.smin = std::max(v.smin, sc);
      v.smax = std::min(v.smax, sc);
      break;
    case BPF_JNE:
      if (v.umin == c) {
        if (c == kU64Max) return std::nullopt;
        ++v.umin;
      }
      if (v.umax == c) {
        if (c == 0) return std::nullopt;
        --v.umax;
      }
      if (v.smin == sc) {
        if (sc == kS64Max) return std::nullopt;
        ++v.smin;
      }
      if (v.smax == sc) {
        if (sc == kS64Min) return std::nullopt;
        --v.smax;
      }
      break;
    case BPF_JGT:
      if (c == kU64Max) return std::nullopt;
      v.umin = std::max(v.umin, c + 1);
      break;
    case BPF_JGE: v.umin = std::max(v.umin, c); break;
    case BPF_JLT:
      if (c == 0) return std::nullopt;
      v.umax = std::min(v.umax, c - 1);
      break;
    case BPF_JLE: v.umax = std::min(v.umax, c); break;
    case BPF_JSGT:
      if (sc == kS64Max) return std::nullopt;
      v.smin = std::max(v.smin, sc + 1);
      break;
    case BPF_JSGE: v.smin = std::max(v.smin, sc); break;
    case BPF_JSLT:
      if (sc == kS64Min) return std::nullopt;
      v.smax = std::min(v.smax, sc - 1);
      break;
    case BPF_JSLE: v.smax = std::min(v.smax, sc); break;
    default:
      return v;  // JSET: the verifier learns nothing of the bounds
  }
  v.Sync();
  if (!v.Feasible()) return std::nullopt;
  return v;
}

}  // namespace

Scalar Scalar::Constant(uint64_t value) {
  Scalar s;
  s.umin = s.umax = value;
  s.smin = s.smax = static_cast<int64_t>(value);
  return s;
}

Scalar Scalar::Width(int bits) {
  if (bits >= 64) return Unknown();
  return Unsigned(0, (uint64_t{1} << bits) - 1);
}

Scalar Scalar::Unsigned(uint64_t min, uint64_t max) {
  Scalar s;
  s.umin = min;
  s.umax = max;
  s.Sync();
  return s;
}

void Scalar::Sync() {
  for (int round = 0; round < 2; ++round) {
    // Within [0, 2^63) and within [2^63, 2^64) unsigned and signed orders agree.
    if (umax <= static_cast<uint64_t>(kS64Max) || umin > static_cast<uint64_t>(kS64Max)) {
      smin = std::max(smin, static_cast<int64_t>(umin));
      smax = std::min(smax, static_cast<int64_t>(umax));
    }
    if (smin >= 0 || smax < 0) {
      umin = std::max(umin, static_cast<uint64_t>(smin));
      umax = std::min(umax, static_cast<uint64_t>(smax));
    }
  }
}

std::string Scalar::Describe() const {
  if (is_constant()) return absl::StrFormat("= %d", umin);
  if (umin > 0 && umax == kU64Max) return absl::StrFormat(">= %d", umin);
  if (umin == 0 && umax != kU64Max) return absl::StrFormat("<= %d", umax);
  if (umax != kU64Max) return absl::StrFormat("in [%d, %d]", umin, umax);
  if (smin != kS64Min || smax != kS64Max) {
    return absl::StrFormat("in [%d, %d] (signed)", smin, smax);
  }
  return "any value";
}

Scalar Low32(const Scalar& value) {
  if (value.umax <= kU32Max) return value;
  if (std::optional<uint64_t> c = value.constant()) return Scalar::Constant(*c & kU32Max);
  return Scalar::Width(32);
}

Scalar ApplyAlu(uint8_t op, const Scalar& dst, const Scalar& src, bool alu32) {
  if (alu32) {
    Scalar a = Low32(dst);
    Scalar b = Low32(src);
    if (op == BPF_MOV) return b;
    if ((op == BPF_NEG || b.is_constant()) && a.is_constant()) {
      return Scalar::Constant(
          ConstantAlu32(op, static_cast<uint32_t>(a.umin), static_cast<uint32_t>(b.umin)));
    }
    if (op == BPF_NEG || op == BPF_ARSH) return Scalar::Width(32);
    // On zero-extended operands the 64-bit bounds hold unless the result
    // wraps past 32 bits.
    Scalar r = Alu64Bounds(op, a, b);
    return r.umax <= kU32Max ? r : Scalar::Width(32);
  }
  if ((op == BPF_NEG || src.is_constant()) && dst.is_constant()) {
    return Scalar::Constant(ConstantAlu64(op, dst.umin, src.umin));
  }
  if (op == BPF_NEG) return Scalar::Unknown();
  return Alu64Bounds(op, dst, src);
}

int BranchTaken(uint8_t op, const Scalar& dst, const Scalar& src, bool jmp32) {
  if (!jmp32) return Compare(op, dst, src);
  bool is_signed = IsSignedJump(op);
  return Compare(op, View32(dst, is_signed), View32(src, is_signed));
}

std::optional<Scalar> Refine(uint8_t op, const Scalar& dst, const Scalar& src, bool jmp32,
                             bool taken) {
  std::optional<uint64_t> c = src.constant();
  if (!c) return dst;
  uint8_t holds = taken ? op : Negated(op);
  if (op == BPF_JSET) return dst;
  if (!jmp32) return Constrain(holds, dst, *c);
  // A 32-bit comparison says something of the whole register only when the
  // register is its own low 32 bits; signed ones only when both are
  // non-negative as 32-bit values.
  if (dst.umax > kU32Max) return dst;
  uint64_t c32 = *c & kU32Max;
  if (IsSignedJump(op) && (dst.umax > 0x7fffffffull || c32 > 0x7fffffffull)) return dst;
  return Constrain(holds, dst, c32);
}

}  // namespace kcontract
