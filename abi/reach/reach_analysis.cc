#include "abi/reach/reach_analysis.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <optional>
#include <set>
#include <utility>

#include "absl/strings/str_format.h"

namespace kcontract {
namespace {

// What a register or stack slot holds.
enum class Kind : uint8_t {
  kUninit,
  kScalar,
  kStackPtr,     // region: frame index; scalar: offset from that frame's r10
  kMapValuePtr,  // region: DataRegion index; scalar: offset in it
  kMapPtr,
  kCtxPtr,
  kNonNullPtr,   // a kernel object (resolved ksym), never null
  kFuncPtr,      // region: the subprogram's first instruction
};

struct Value {
  Kind kind = Kind::kUninit;
  Scalar scalar;
  int32_t region = -1;
  // kScalar read from a loader-set variable and not changed since: its
  // index in AnalysisSymbols, so that a branch on it records a condition.
  int32_t symbol = -1;

  static Value Of(Scalar s) { return Value{Kind::kScalar, s, -1, -1}; }
  bool is_pointer() const { return kind != Kind::kUninit && kind != Kind::kScalar; }
  bool Contains(const Value& other) const {
    if (kind == Kind::kUninit) return true;  // the verifier rejects any read of it anyway
    return kind == other.kind && region == other.region && symbol == other.symbol &&
           scalar.Contains(other.scalar);
  }
  friend bool operator==(const Value&, const Value&) = default;
};

struct StackSlot {
  int64_t offset = 0;  // from the frame's r10
  uint8_t size = 0;
  Value value;
  friend bool operator==(const StackSlot&, const StackSlot&) = default;
};

struct Frame {
  uint32_t return_pc = 0;
  std::array<Value, 4> saved;  // the caller's r6-r9
  std::vector<StackSlot> stack;
  friend bool operator==(const Frame&, const Frame&) = default;
};

struct State {
  uint32_t pc = 0;
  std::array<Value, 11> regs;
  std::vector<Frame> frames;
  // The bounds of each loader-set variable this path compared.
  std::map<int32_t, Scalar> symbols;
};

// Loader-set variables, numbered over all regions.
struct Symbol {
  int region;
  uint32_t offset;
  uint32_t size;
  std::string name;
};

bool StackSlotsContain(const std::vector<StackSlot>& general, const std::vector<StackSlot>& specific) {
  for (const StackSlot& g : general) {
    auto it = std::find_if(specific.begin(), specific.end(), [&](const StackSlot& s) {
      return s.offset == g.offset && s.size == g.size;
    });
    if (it == specific.end() || !g.value.Contains(it->value)) return false;
  }
  return true;
}

// Whether every path from `specific` is one from `general`: then exploring
// `specific` finds nothing new.
bool Subsumes(const State& general, const State& specific) {
  if (general.frames.size() != specific.frames.size()) return false;
  for (size_t i = 0; i < general.regs.size(); ++i) {
    if (!general.regs[i].Contains(specific.regs[i])) return false;
  }
  for (size_t f = 0; f < general.frames.size(); ++f) {
    const Frame& g = general.frames[f];
    const Frame& s = specific.frames[f];
    if (g.return_pc != s.return_pc) return false;
    for (size_t r = 0; r < g.saved.size(); ++r) {
      if (!g.saved[r].Contains(s.saved[r])) return false;
    }
    if (!StackSlotsContain(g.stack, s.stack)) return false;
  }
  for (const auto& [symbol, bounds] : general.symbols) {
    auto it = specific.symbols.find(symbol);
    if (it == specific.symbols.end() || !bounds.Contains(it->second)) return false;
  }
  return true;
}

uint8_t MirroredJump(uint8_t op) {
  switch (op) {
    case BPF_JGT: return BPF_JLT;
    case BPF_JGE: return BPF_JLE;
    case BPF_JLT: return BPF_JGT;
    case BPF_JLE: return BPF_JGE;
    case BPF_JSGT: return BPF_JSLT;
    case BPF_JSGE: return BPF_JSLE;
    case BPF_JSLT: return BPF_JSGT;
    case BPF_JSLE: return BPF_JSGE;
  }
  return op;
}

int SizeBytes(uint8_t size_code) {
  switch (size_code) {
    case BPF_B: return 1;
    case BPF_H: return 2;
    case BPF_W: return 4;
    case BPF_DW: return 8;
  }
  return 8;
}

class Analyzer {
 public:
  Analyzer(const ProgramImage& image, const ReachLimits& limits)
      : image_(image), limits_(limits), visited_(image.insns.size()) {
    for (size_t r = 0; r < image.regions.size(); ++r) {
      for (const DataRegion::LoaderSet& v : image.regions[r].loader_set) {
        symbols_.push_back(Symbol{static_cast<int>(r), v.offset, v.size, v.name});
      }
    }
    for (uint32_t pc : image.watched) result_.watched[pc];
  }

  ReachResult Run() {
    Enter(0, /*known_args=*/false, /*ctx=*/true);
    while (!pending_.empty() && result_.complete) {
      State state = std::move(pending_.back());
      pending_.pop_back();
      Walk(std::move(state));
    }
    return std::move(result_);
  }

 private:
  // Starts a walk of the subprogram at `start` on its own: the program, a
  // global subprogram or a callback.
  void Enter(uint32_t start, bool known_args, bool ctx) {
    if (!entered_.insert(start).second) return;
    State state;
    state.pc = start;
    state.frames.push_back(Frame{});
    state.regs[10] = Value{Kind::kStackPtr, Scalar::Constant(0), 0, -1};
    if (ctx) {
      state.regs[1] = Value{Kind::kCtxPtr, Scalar::Constant(0), -1, -1};
    } else if (!known_args) {
      for (int r = 1; r <= 5; ++r) state.regs[r] = Value::Of(Scalar::Unknown());
    }
    pending_.push_back(std::move(state));
  }

  void Stop(std::string reason) {
    if (!result_.complete) return;
    result_.complete = false;
    result_.incomplete_reason = std::move(reason);
  }

  const Subprogram* SubprogramAt(uint32_t pc) const {
    for (const Subprogram& s : image_.subprograms) {
      if (s.start == pc) return &s;
    }
    return nullptr;
  }

  // True when the state adds nothing to what was explored at its pc.
  bool Prune(const State& state) {
    std::vector<State>& seen = visited_[state.pc];
    for (const State& old : seen) {
      if (Subsumes(old, state)) return true;
    }
    if (seen.size() < limits_.max_states_per_insn) seen.push_back(state);
    return false;
  }

  void Record(const State& state) {
    WatchedReach& reach = result_.watched[state.pc];
    reach.reached = true;
    std::vector<VariableCondition> conditions;
    for (const auto& [symbol, bounds] : state.symbols) {
      const Symbol& s = symbols_[symbol];
      if (bounds == Scalar::Width(static_cast<int>(s.size) * 8)) continue;
      conditions.push_back(VariableCondition{s.name, bounds});
    }
    if (conditions.empty()) {
      reach.unconditionally = true;
      reach.when.clear();
      return;
    }
    if (reach.unconditionally || reach.when.size() >= 4) return;
    if (std::find(reach.when.begin(), reach.when.end(), conditions) == reach.when.end()) {
      reach.when.push_back(std::move(conditions));
    }
  }

  // Walks one path until it ends, queueing the other side of each branch
  // the bounds leave open.
  void Walk(State state) {
    bool check_prune = true;
    while (result_.complete) {
      if (state.pc >= image_.insns.size()) return;  // the verifier rejects a jump out of range
      if (++result_.steps > limits_.max_steps) {
        Stop(absl::StrFormat("stopped after %d instructions simulated", limits_.max_steps));
        return;
      }
      if (check_prune && Prune(state)) return;
      check_prune = false;
      if (image_.watched.contains(state.pc)) {
        Record(state);
        return;
      }
      const bpf_insn& insn = image_.insns[state.pc];
      // The register fields hold 0-15; past r10 the verifier rejects the
      // instruction (an invalid register, or reserved fields set).
      if (insn.dst_reg > BPF_REG_10 || insn.src_reg > BPF_REG_10) return;
      uint8_t cls = BPF_CLASS(insn.code);
      switch (cls) {
        case BPF_ALU:
        case BPF_ALU64:
          Alu(state, insn, cls == BPF_ALU);
          ++state.pc;
          break;
        case BPF_LD:
          if (!Ld(state, insn)) return;
          break;
        case BPF_LDX:
          Ldx(state, insn);
          ++state.pc;
          break;
        case BPF_ST:
        case BPF_STX:
          Store(state, insn);
          ++state.pc;
          break;
        case BPF_JMP:
        case BPF_JMP32: {
          std::optional<bool> go_on = Jump(state, insn, cls == BPF_JMP32);
          if (!go_on) return;
          check_prune = *go_on;
          break;
        }
        default:
          Stop(absl::StrFormat("instruction %d has an unknown class 0x%02x", state.pc, cls));
          return;
      }
    }
  }

  Value Source(const State& state, const bpf_insn& insn) const {
    if (BPF_SRC(insn.code) == BPF_K) {
      return Value::Of(Scalar::Constant(static_cast<uint64_t>(static_cast<int64_t>(insn.imm))));
    }
    return state.regs[insn.src_reg & 0xf];
  }

  void Alu(State& state, const bpf_insn& insn, bool alu32) {
    uint8_t op = BPF_OP(insn.code);
    Value& dst = state.regs[insn.dst_reg & 0xf];
    if (op == BPF_END) {
      std::optional<uint64_t> c = dst.kind == Kind::kScalar ? dst.scalar.constant() : std::nullopt;
      int bits = insn.imm;
      if (c && (bits == 16 || bits == 32 || bits == 64)) {
        // On this little-endian target "to little-endian" only truncates;
        // "to big-endian", and BPF_ALU64's unconditional swap, swap bytes.
        bool swap = !alu32 || BPF_SRC(insn.code) == BPF_TO_BE;
        uint64_t v = *c;
        if (swap) {
          v = bits == 16   ? __builtin_bswap16(static_cast<uint16_t>(v))
              : bits == 32 ? __builtin_bswap32(static_cast<uint32_t>(v))
                           : __builtin_bswap64(v);
        } else if (bits < 64) {
          v &= (uint64_t{1} << bits) - 1;
        }
        dst = Value::Of(Scalar::Constant(v));
      } else {
        dst = Value::Of(Scalar::Width(bits > 0 && bits < 64 ? bits : 64));
      }
      return;
    }
    Value src = Source(state, insn);
    if (op == BPF_MOV) {
      if (insn.off != 0) {  // movsx: sign-extending move (cpu v4)
        dst = Value::Of(Scalar::Unknown());
        return;
      }
      if (!alu32) {
        dst = src;
      } else if (src.kind == Kind::kScalar) {
        Scalar low = Low32(src.scalar);
        dst = Value{Kind::kScalar, low, -1, low == src.scalar ? src.symbol : -1};
      } else {
        dst = Value::Of(Scalar::Width(32));
      }
      return;
    }
    // Pointer arithmetic: a stack or map-value pointer moved by a scalar
    // stays that pointer; anything else about pointers is a number.
    if (!alu32 && dst.is_pointer() && src.kind == Kind::kScalar &&
        (op == BPF_ADD || op == BPF_SUB) &&
        (dst.kind == Kind::kStackPtr || dst.kind == Kind::kMapValuePtr)) {
      dst.scalar = ApplyAlu(op, dst.scalar, src.scalar, false);
      return;
    }
    if (!alu32 && op == BPF_ADD && src.is_pointer() && dst.kind == Kind::kScalar &&
        (src.kind == Kind::kStackPtr || src.kind == Kind::kMapValuePtr)) {
      Value moved = src;
      moved.scalar = ApplyAlu(op, src.scalar, dst.scalar, false);
      dst = moved;
      return;
    }
    if (dst.kind != Kind::kScalar || src.kind != Kind::kScalar) {
      dst = Value::Of(alu32 ? Scalar::Width(32) : Scalar::Unknown());
      return;
    }
    dst = Value::Of(ApplyAlu(op, dst.scalar, src.scalar, alu32));
  }

  // BPF_LD: the 64-bit immediate load, and the legacy packet loads.
  bool Ld(State& state, const bpf_insn& insn) {
    uint8_t mode = BPF_MODE(insn.code);
    if (mode == BPF_ABS || mode == BPF_IND) {
      for (int r = 1; r <= 5; ++r) state.regs[r] = Value{};
      state.regs[0] = Value::Of(Scalar::Width(SizeBytes(BPF_SIZE(insn.code)) * 8));
      ++state.pc;
      return true;
    }
    if (insn.code != (BPF_LD | BPF_IMM | BPF_DW) || state.pc + 1 >= image_.insns.size()) {
      Stop(absl::StrFormat("instruction %d: unknown load 0x%02x", state.pc, insn.code));
      return false;
    }
    Value& dst = state.regs[insn.dst_reg & 0xf];
    auto it = image_.addresses.find(state.pc);
    if (it != image_.addresses.end()) {
      const LoadedAddress& a = it->second;
      switch (a.kind) {
        case LoadedAddress::Kind::kMapValue:
          dst = Value{Kind::kMapValuePtr, Scalar::Constant(static_cast<uint64_t>(a.offset)),
                      a.region, -1};
          break;
        case LoadedAddress::Kind::kMap: dst = Value{Kind::kMapPtr, Scalar::Constant(0), -1, -1}; break;
        case LoadedAddress::Kind::kKernelObject:
          dst = Value{Kind::kNonNullPtr, Scalar::Constant(0), -1, -1};
          break;
      }
    } else if (insn.src_reg == BPF_PSEUDO_FUNC) {
      uint32_t target = state.pc + static_cast<uint32_t>(insn.imm) + 1;
      dst = Value{Kind::kFuncPtr, Scalar::Constant(0), static_cast<int32_t>(target), -1};
    } else if (insn.src_reg == 0) {
      uint64_t value = static_cast<uint32_t>(insn.imm) |
                       (static_cast<uint64_t>(static_cast<uint32_t>(image_.insns[state.pc + 1].imm))
                        << 32);
      dst = Value::Of(Scalar::Constant(value));
    } else {
      // A map or kernel object the image did not describe: some pointer.
      dst = Value{Kind::kMapPtr, Scalar::Constant(0), -1, -1};
    }
    state.pc += 2;
    return true;
  }

  // The frame a stack pointer points into, or nullptr.
  Frame* StackFrame(State& state, const Value& pointer) {
    if (pointer.kind != Kind::kStackPtr || pointer.region < 0 ||
        static_cast<size_t>(pointer.region) >= state.frames.size()) {
      return nullptr;
    }
    return &state.frames[pointer.region];
  }

  void Ldx(State& state, const bpf_insn& insn) {
    int size = SizeBytes(BPF_SIZE(insn.code));
    bool sign_extend = BPF_MODE(insn.code) == 0x80;  // BPF_MEMSX (cpu v4)
    const Value base = state.regs[insn.src_reg & 0xf];
    Value loaded = Value::Of(Scalar::Width(size * 8));
    std::optional<uint64_t> at = base.scalar.constant();
    if (base.kind == Kind::kStackPtr && at) {
      int64_t offset = static_cast<int64_t>(*at) + insn.off;
      if (Frame* frame = StackFrame(state, base)) {
        for (const StackSlot& slot : frame->stack) {
          if (slot.offset != offset || slot.size != size) continue;
          loaded = slot.value;
          break;
        }
      }
    } else if (base.kind == Kind::kMapValuePtr && at) {
      loaded = ReadRegion(state, base.region, static_cast<int64_t>(*at) + insn.off, size);
    }
    if (sign_extend) {
      std::optional<uint64_t> c = loaded.kind == Kind::kScalar ? loaded.scalar.constant()
                                                              : std::nullopt;
      if (c && size < 8) {
        int shift = 64 - size * 8;
        loaded = Value::Of(Scalar::Constant(
            static_cast<uint64_t>(static_cast<int64_t>(*c << shift) >> shift)));
      } else {
        loaded = Value::Of(Scalar::Unknown());
      }
    }
    state.regs[insn.dst_reg & 0xf] = loaded;
  }

  // A read of `size` bytes at `offset` of a data region.
  Value ReadRegion(const State& state, int region, int64_t offset, int size) const {
    Value unknown = Value::Of(Scalar::Width(size * 8));
    if (region < 0 || static_cast<size_t>(region) >= image_.regions.size() || offset < 0) {
      return unknown;
    }
    const DataRegion& r = image_.regions[region];
    if (!r.read_only) return unknown;
    for (size_t i = 0; i < symbols_.size(); ++i) {
      const Symbol& s = symbols_[i];
      if (s.region != region) continue;
      bool overlaps = offset < s.offset + s.size && s.offset < offset + size;
      if (!overlaps) continue;
      if (s.offset != offset || s.size != static_cast<uint32_t>(size)) return unknown;
      auto it = state.symbols.find(static_cast<int32_t>(i));
      Scalar bounds = it != state.symbols.end() ? it->second : Scalar::Width(size * 8);
      return Value{Kind::kScalar, bounds, -1, static_cast<int32_t>(i)};
    }
    if (static_cast<uint64_t>(offset) + size > r.bytes.size()) return unknown;
    uint64_t value = 0;
    std::memcpy(&value, r.bytes.data() + offset, size);  // BPF objects here are little-endian
    return Value::Of(Scalar::Constant(value));
  }

  void Store(State& state, const bpf_insn& insn) {
    int size = SizeBytes(BPF_SIZE(insn.code));
    const Value base = state.regs[insn.dst_reg & 0xf];
    Frame* frame = StackFrame(state, base);
    bool atomic = BPF_CLASS(insn.code) == BPF_STX && BPF_MODE(insn.code) == BPF_ATOMIC;
    if (atomic) {
      if (insn.imm & BPF_FETCH) {
        int target = insn.imm == BPF_CMPXCHG ? 0 : insn.src_reg & 0xf;
        state.regs[target] = Value::Of(Scalar::Width(size * 8));
      }
    }
    if (frame == nullptr) return;  // not the stack: nothing the analysis keeps
    std::optional<uint64_t> at = base.scalar.constant();
    if (!at) {
      frame->stack.clear();  // a store at an unknown stack offset may be anywhere
      return;
    }
    int64_t offset = static_cast<int64_t>(*at) + insn.off;
    std::erase_if(frame->stack, [&](const StackSlot& s) {
      return s.offset < offset + size && offset < s.offset + s.size;
    });
    if (atomic) return;
    Value value = BPF_CLASS(insn.code) == BPF_ST
                      ? Value::Of(Scalar::Constant(static_cast<uint64_t>(
                            static_cast<int64_t>(insn.imm))))
                      : state.regs[insn.src_reg & 0xf];
    if (size < 8) {
      // A narrow store keeps the low bytes of a number; of a pointer, nothing usable.
      if (value.kind != Kind::kScalar) {
        value = Value::Of(Scalar::Width(size * 8));
      } else {
        std::optional<uint64_t> c = value.scalar.constant();
        uint64_t mask = (uint64_t{1} << (size * 8)) - 1;
        Scalar narrowed = c ? Scalar::Constant(*c & mask)
                            : (value.scalar.umax <= mask ? value.scalar : Scalar::Width(size * 8));
        value = Value{Kind::kScalar, narrowed, -1, narrowed == value.scalar ? value.symbol : -1};
      }
    }
    frame->stack.push_back(StackSlot{offset, static_cast<uint8_t>(size), value});
  }

  // A helper or kfunc may write through any stack pointer it is given.
  void ForgetStackBehind(State& state, const Value& arg) {
    Frame* frame = StackFrame(state, arg);
    if (frame == nullptr) return;
    std::optional<uint64_t> at = arg.scalar.constant();
    if (!at) {
      frame->stack.clear();
      return;
    }
    int64_t from = static_cast<int64_t>(*at);
    std::erase_if(frame->stack, [&](const StackSlot& s) { return s.offset + s.size > from; });
  }

  void ClobberCallerSaved(State& state) {
    for (int r = 1; r <= 5; ++r) state.regs[r] = Value{};
  }

  // Returns nullopt when the path ends, else whether the next instruction is
  // a branch target (where pruning is worth checking).
  std::optional<bool> Jump(State& state, const bpf_insn& insn, bool jmp32) {
    uint8_t op = BPF_OP(insn.code);
    switch (op) {
      case BPF_JA: {
        int32_t offset = jmp32 ? insn.imm : insn.off;
        state.pc = state.pc + offset + 1;
        return true;
      }
      case BPF_EXIT: return Exit(state);
      case BPF_CALL: return Call(state, insn);
      case 0xe0: {  // BPF_JCOND (may_goto): the verifier explores both
        State other = state;
        other.pc = state.pc + insn.off + 1;
        pending_.push_back(std::move(other));
        ++state.pc;
        return true;
      }
    }
    Value dst = state.regs[insn.dst_reg & 0xf];
    Value src = Source(state, insn);
    int taken = -1;
    if (dst.kind == Kind::kScalar && src.kind == Kind::kScalar) {
      taken = BranchTaken(op, dst.scalar, src.scalar, jmp32);
    } else if (dst.is_pointer() && src.kind == Kind::kScalar &&
               src.scalar == Scalar::Constant(0) && (op == BPF_JEQ || op == BPF_JNE)) {
      // Every pointer the analysis tracks is one the verifier knows is not
      // null (helper results, which may be, are unknown numbers here).
      taken = op == BPF_JNE;
    }
    uint32_t target = state.pc + insn.off + 1;
    if (taken == 1) {
      state.pc = target;
      return true;
    }
    if (taken == 0) {
      ++state.pc;
      return true;
    }
    State branch = state;
    bool branch_ok = Narrow(branch, insn, jmp32, /*taken=*/true);
    bool fall_ok = Narrow(state, insn, jmp32, /*taken=*/false);
    if (branch_ok) {
      branch.pc = target;
      pending_.push_back(std::move(branch));
    }
    if (!fall_ok) return std::nullopt;
    ++state.pc;
    return true;
  }

  // Narrows the compared registers to the side of the jump `taken` says;
  // false when that side cannot happen.
  bool Narrow(State& state, const bpf_insn& insn, bool jmp32, bool taken) {
    uint8_t op = BPF_OP(insn.code);
    int dst_reg = insn.dst_reg & 0xf;
    Value dst = state.regs[dst_reg];
    Value src = Source(state, insn);
    if (dst.kind != Kind::kScalar || src.kind != Kind::kScalar) return true;
    if (std::optional<Scalar> narrowed = Refine(op, dst.scalar, src.scalar, jmp32, taken)) {
      SetScalar(state, dst_reg, dst.symbol, *narrowed);
    } else {
      return false;
    }
    if (BPF_SRC(insn.code) == BPF_X && dst.scalar.is_constant() && !src.scalar.is_constant()) {
      int src_reg = insn.src_reg & 0xf;
      std::optional<Scalar> narrowed =
          Refine(MirroredJump(op), src.scalar, dst.scalar, jmp32, taken);
      if (!narrowed) return false;
      SetScalar(state, src_reg, src.symbol, *narrowed);
    }
    return true;
  }

  // Gives a register new bounds; when it holds a loader-set variable, the
  // variable and every other copy of it get them too.
  void SetScalar(State& state, int reg, int32_t symbol, const Scalar& bounds) {
    state.regs[reg].scalar = bounds;
    if (symbol < 0) return;
    state.symbols[symbol] = bounds;
    auto update = [&](Value& v) {
      if (v.kind == Kind::kScalar && v.symbol == symbol) v.scalar = bounds;
    };
    for (Value& v : state.regs) update(v);
    for (Frame& f : state.frames) {
      for (Value& v : f.saved) update(v);
      for (StackSlot& s : f.stack) update(s.value);
    }
  }

  std::optional<bool> Exit(State& state) {
    if (state.frames.size() <= 1) return std::nullopt;  // the program (or entry) returns
    Frame frame = std::move(state.frames.back());
    state.frames.pop_back();
    ClobberCallerSaved(state);
    for (int r = 0; r < 4; ++r) state.regs[6 + r] = frame.saved[r];
    state.regs[10] = Value{Kind::kStackPtr, Scalar::Constant(0),
                           static_cast<int32_t>(state.frames.size() - 1), -1};
    state.pc = frame.return_pc;
    return true;
  }

  std::optional<bool> Call(State& state, const bpf_insn& insn) {
    if (insn.src_reg == BPF_PSEUDO_CALL) {
      uint32_t target = state.pc + insn.imm + 1;
      const Subprogram* callee = SubprogramAt(target);
      if (callee != nullptr && callee->global) {
        Enter(target, /*known_args=*/false, /*ctx=*/false);
        ClobberCallerSaved(state);
        state.regs[0] = Value::Of(Scalar::Unknown());
        ++state.pc;
        return true;
      }
      if (state.frames.size() >= limits_.max_call_depth) {
        Stop(absl::StrFormat("calls nest deeper than %d frames at instruction %d",
                             limits_.max_call_depth, state.pc));
        return std::nullopt;
      }
      Frame frame;
      frame.return_pc = state.pc + 1;
      for (int r = 0; r < 4; ++r) frame.saved[r] = state.regs[6 + r];
      state.frames.push_back(std::move(frame));
      for (int r = 6; r <= 9; ++r) state.regs[r] = Value{};
      state.regs[0] = Value{};
      state.regs[10] = Value{Kind::kStackPtr, Scalar::Constant(0),
                             static_cast<int32_t>(state.frames.size() - 1), -1};
      state.pc = target;
      return true;
    }
    // A helper or kfunc: it may write through stack pointers, run a
    // callback (checked on its own), and returns something unknown.
    for (int r = 1; r <= 5; ++r) {
      const Value& arg = state.regs[r];
      ForgetStackBehind(state, arg);
      if (arg.kind == Kind::kFuncPtr) Enter(static_cast<uint32_t>(arg.region), false, false);
    }
    ClobberCallerSaved(state);
    state.regs[0] = Value::Of(Scalar::Unknown());
    ++state.pc;
    return false;
  }

  const ProgramImage& image_;
  const ReachLimits& limits_;
  std::vector<Symbol> symbols_;
  std::vector<std::vector<State>> visited_;
  std::vector<State> pending_;
  std::set<uint32_t> entered_;
  ReachResult result_;
};

}  // namespace

ReachResult AnalyzeReach(const ProgramImage& image, const ReachLimits& limits) {
  return Analyzer(image, limits).Run();
}

}  // namespace kcontract
