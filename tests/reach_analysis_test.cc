// The verifier-reach analysis (abi/reach/reach_analysis.h) on hand-assembled
// programs: each test is one shape of guard or data flow the verifier
// decides a branch on, and says which way.
#include "abi/reach/reach_analysis.h"

#include <gtest/gtest.h>

#include <initializer_list>
#include <vector>

namespace kcontract {
namespace {

bpf_insn Insn(uint8_t code, uint8_t dst, uint8_t src, int16_t off, int32_t imm) {
  bpf_insn insn{};
  insn.code = code;
  insn.dst_reg = dst;
  insn.src_reg = src;
  insn.off = off;
  insn.imm = imm;
  return insn;
}
bpf_insn MovImm(uint8_t dst, int32_t imm) { return Insn(BPF_ALU64 | BPF_MOV | BPF_K, dst, 0, 0, imm); }
bpf_insn MovReg(uint8_t dst, uint8_t src) { return Insn(BPF_ALU64 | BPF_MOV | BPF_X, dst, src, 0, 0); }
bpf_insn Mov32Reg(uint8_t dst, uint8_t src) { return Insn(BPF_ALU | BPF_MOV | BPF_X, dst, src, 0, 0); }
bpf_insn AluImm(uint8_t op, uint8_t dst, int32_t imm) { return Insn(BPF_ALU64 | op | BPF_K, dst, 0, 0, imm); }
bpf_insn JmpImm(uint8_t op, uint8_t dst, int32_t imm, int16_t off) {
  return Insn(BPF_JMP | op | BPF_K, dst, 0, off, imm);
}
bpf_insn JmpReg(uint8_t op, uint8_t dst, uint8_t src, int16_t off) {
  return Insn(BPF_JMP | op | BPF_X, dst, src, off, 0);
}
bpf_insn Jmp32Imm(uint8_t op, uint8_t dst, int32_t imm, int16_t off) {
  return Insn(BPF_JMP32 | op | BPF_K, dst, 0, off, imm);
}
bpf_insn Ja(int16_t off) { return Insn(BPF_JMP | BPF_JA, 0, 0, off, 0); }
bpf_insn Ldx(uint8_t size, uint8_t dst, uint8_t src, int16_t off) {
  return Insn(BPF_LDX | BPF_MEM | size, dst, src, off, 0);
}
bpf_insn Stx(uint8_t size, uint8_t dst, uint8_t src, int16_t off) {
  return Insn(BPF_STX | BPF_MEM | size, dst, src, off, 0);
}
bpf_insn St(uint8_t size, uint8_t dst, int16_t off, int32_t imm) {
  return Insn(BPF_ST | BPF_MEM | size, dst, 0, off, imm);
}
bpf_insn Helper(int32_t id) { return Insn(BPF_JMP | BPF_CALL, 0, 0, 0, id); }
bpf_insn CallLocal(int32_t off) { return Insn(BPF_JMP | BPF_CALL, 0, BPF_PSEUDO_CALL, 0, off); }
bpf_insn Poison() { return Helper(kPoisonedCallId); }
bpf_insn Exit() { return Insn(BPF_JMP | BPF_EXIT, 0, 0, 0, 0); }
// Both halves of a BPF_LD_IMM64.
std::vector<bpf_insn> LdImm64(uint8_t dst, uint8_t src, uint64_t value) {
  return {Insn(BPF_LD | BPF_IMM | BPF_DW, dst, src, 0, static_cast<int32_t>(value)),
          Insn(0, 0, 0, 0, static_cast<int32_t>(value >> 32))};
}

constexpr int32_t kGetPid = 14;  // bpf_get_current_pid_tgid: returns an unknown number
constexpr int32_t kProbeRead = 113;  // bpf_probe_read_kernel(dst, size, src)

struct Program {
  ProgramImage image;
  // Appends instructions; returns the index of the first.
  uint32_t Add(std::initializer_list<bpf_insn> insns) {
    uint32_t at = image.insns.size();
    image.insns.insert(image.insns.end(), insns);
    return at;
  }
  uint32_t Add(const std::vector<bpf_insn>& insns) {
    uint32_t at = image.insns.size();
    image.insns.insert(image.insns.end(), insns.begin(), insns.end());
    return at;
  }
  uint32_t Watch(bpf_insn insn) {
    uint32_t at = Add({insn});
    image.watched.insert(at);
    return at;
  }
  // An LD_IMM64 of a pointer into region `region` at `offset`.
  void LoadRegion(uint8_t dst, int region, int64_t offset) {
    uint32_t at = Add(LdImm64(dst, BPF_PSEUDO_MAP_VALUE, 0));
    image.addresses[at] = LoadedAddress{LoadedAddress::Kind::kMapValue, region, offset};
  }
  int AddRegion(std::string name, bool read_only, std::vector<uint8_t> bytes) {
    DataRegion region;
    region.name = std::move(name);
    region.read_only = read_only;
    region.bytes = std::move(bytes);
    image.regions.push_back(std::move(region));
    return static_cast<int>(image.regions.size()) - 1;
  }
  WatchedReach Reach(uint32_t at, const ReachLimits& limits = {}) {
    if (image.subprograms.empty()) image.subprograms.push_back(Subprogram{0, "prog", false});
    ReachResult result = AnalyzeReach(image, limits);
    EXPECT_TRUE(result.complete) << result.incomplete_reason;
    return result.watched.at(at);
  }
};

TEST(ReachAnalysis, StraightLineReachesUnconditionally) {
  Program p;
  p.Add({MovImm(0, 0)});
  uint32_t poisoned = p.Watch(Poison());
  p.Add({Exit()});
  WatchedReach reach = p.Reach(poisoned);
  EXPECT_TRUE(reach.reached);
  EXPECT_TRUE(reach.unconditionally);
}

// bpf_core_field_exists() patched to 0: `if (exists) read` never reads.
TEST(ReachAnalysis, AFalseExistenceCheckGuardsThePoisonedRead) {
  for (int exists : {0, 1}) {
    Program p;
    p.Add({MovImm(1, exists), JmpImm(BPF_JEQ, 1, 0, 1)});
    uint32_t poisoned = p.Watch(Poison());
    p.Add({MovImm(0, 0), Exit()});
    EXPECT_EQ(p.Reach(poisoned).reached, exists == 1) << exists;
  }
}

TEST(ReachAnalysis, ConstVolatileRodataDecidesTheBranch) {
  for (uint8_t flag : {0, 1}) {
    Program p;
    int rodata = p.AddRegion(".rodata", /*read_only=*/true, {0, 0, 0, 0, flag, 0, 0, 0});
    p.LoadRegion(1, rodata, 0);
    p.Add({Ldx(BPF_W, 2, 1, 4), JmpImm(BPF_JEQ, 2, 0, 1)});
    uint32_t poisoned = p.Watch(Poison());
    p.Add({MovImm(0, 0), Exit()});
    EXPECT_EQ(p.Reach(poisoned).reached, flag == 1) << int(flag);
  }
}

TEST(ReachAnalysis, WritableDataIsUnknownSoBothWaysAreExplored) {
  Program p;
  int data = p.AddRegion(".data", /*read_only=*/false, {0, 0, 0, 0});
  p.LoadRegion(1, data, 0);
  p.Add({Ldx(BPF_W, 2, 1, 0), JmpImm(BPF_JEQ, 2, 0, 1)});
  uint32_t poisoned = p.Watch(Poison());
  p.Add({MovImm(0, 0), Exit()});
  EXPECT_TRUE(p.Reach(poisoned).unconditionally);
}

TEST(ReachAnalysis, ALoaderSetVariableNamesTheCondition) {
  Program p;
  int rodata = p.AddRegion(".rodata", true, {0, 0, 0, 0});
  p.image.regions[rodata].loader_set.push_back({"use_v2", 0, 4});
  p.LoadRegion(1, rodata, 0);
  p.Add({Ldx(BPF_W, 2, 1, 0), MovReg(3, 2), JmpImm(BPF_JEQ, 3, 0, 1)});
  uint32_t poisoned = p.Watch(Poison());
  p.Add({MovImm(0, 0), Exit()});
  WatchedReach reach = p.Reach(poisoned);
  ASSERT_TRUE(reach.reached);
  EXPECT_FALSE(reach.unconditionally);
  ASSERT_EQ(reach.when.size(), 1u);
  ASSERT_EQ(reach.when[0].size(), 1u);
  EXPECT_EQ(reach.when[0][0].variable, "use_v2");
  EXPECT_EQ(reach.when[0][0].values, Scalar::Unsigned(1, 0xffffffffull));
  EXPECT_EQ(reach.when[0][0].values.Describe(), "in [1, 4294967295]");
}

TEST(ReachAnalysis, ContradictoryConditionsOnOneVariableNeverReach) {
  Program p;
  int rodata = p.AddRegion(".rodata", true, {0});
  p.image.regions[rodata].loader_set.push_back({"mode", 0, 1});
  p.LoadRegion(1, rodata, 0);
  // if (mode == 2) { if (mode != 2) poisoned; }
  p.Add({Ldx(BPF_B, 2, 1, 0), JmpImm(BPF_JNE, 2, 2, 3), Ldx(BPF_B, 3, 1, 0),
         JmpImm(BPF_JEQ, 3, 2, 1)});
  uint32_t poisoned = p.Watch(Poison());
  p.Add({MovImm(0, 0), Exit()});
  EXPECT_FALSE(p.Reach(poisoned).reached);
}

TEST(ReachAnalysis, ConstantsSurviveASpillAndFillAroundAHelperCall) {
  Program p;
  p.Add({MovImm(1, 0), Stx(BPF_DW, 10, 1, -8), Helper(kGetPid), Ldx(BPF_DW, 2, 10, -8),
         JmpImm(BPF_JEQ, 2, 0, 1)});
  uint32_t poisoned = p.Watch(Poison());
  p.Add({MovImm(0, 0), Exit()});
  EXPECT_FALSE(p.Reach(poisoned).reached);
}

TEST(ReachAnalysis, AHelperGivenAStackPointerMayOverwriteTheSlot) {
  Program p;
  p.Add({St(BPF_DW, 10, -8, 0), MovReg(1, 10), AluImm(BPF_ADD, 1, -8), MovImm(2, 8),
         MovImm(3, 0), Helper(kProbeRead), Ldx(BPF_DW, 2, 10, -8), JmpImm(BPF_JEQ, 2, 0, 1)});
  uint32_t poisoned = p.Watch(Poison());
  p.Add({MovImm(0, 0), Exit()});
  EXPECT_TRUE(p.Reach(poisoned).reached);
}

TEST(ReachAnalysis, BoundsFromOneBranchDecideTheNext) {
  Program p;
  // r1 = unknown; if (r1 > 10) exit; if (r1 > 20) poisoned;
  p.Add({Helper(kGetPid), MovReg(1, 0), JmpImm(BPF_JGT, 1, 10, 3), JmpImm(BPF_JGT, 1, 20, 1)});
  p.Add({Ja(1)});
  uint32_t poisoned = p.Watch(Poison());
  p.Add({MovImm(0, 0), Exit()});
  EXPECT_FALSE(p.Reach(poisoned).reached);
}

TEST(ReachAnalysis, ComparingWithAConstantRegisterNarrowsTheOther) {
  Program p;
  // r1 = unknown; r2 = 5; if (r2 < r1) exit; if (r1 > 5) poisoned;
  p.Add({Helper(kGetPid), MovReg(1, 0), MovImm(2, 5), JmpReg(BPF_JLT, 2, 1, 3),
         JmpImm(BPF_JGT, 1, 5, 1)});
  p.Add({Ja(1)});
  uint32_t poisoned = p.Watch(Poison());
  p.Add({MovImm(0, 0), Exit()});
  EXPECT_FALSE(p.Reach(poisoned).reached);
}

TEST(ReachAnalysis, Jmp32ComparesTheLowHalf) {
  Program p;
  // r1 = 0x100000000; if (w1 == 0) skip the poison
  p.Add(LdImm64(1, 0, 0x100000000ull));
  p.Add({Jmp32Imm(BPF_JEQ, 1, 0, 1)});
  uint32_t poisoned = p.Watch(Poison());
  p.Add({MovImm(0, 0), Exit()});
  EXPECT_FALSE(p.Reach(poisoned).reached);
}

TEST(ReachAnalysis, A32BitMoveZeroExtends) {
  Program p;
  // r1 = -1; w2 = w1; if (r2 > 0xffffffff) poisoned
  p.Add({MovImm(1, -1), Mov32Reg(2, 1)});
  p.Add(LdImm64(3, 0, 0xffffffffull));
  p.Add({JmpReg(BPF_JGT, 2, 3, 1), Ja(1)});
  uint32_t poisoned = p.Watch(Poison());
  p.Add({MovImm(0, 0), Exit()});
  EXPECT_FALSE(p.Reach(poisoned).reached);
}

// A static subprogram sees its caller's constants; a global one does not.
TEST(ReachAnalysis, StaticSubprogramsInheritArgumentsGlobalOnesDoNot) {
  for (bool global : {false, true}) {
    Program p;
    p.Add({MovImm(1, 0), CallLocal(2), MovImm(0, 0), Exit()});
    uint32_t sub = p.Add({JmpImm(BPF_JEQ, 1, 0, 1)});
    uint32_t poisoned = p.Watch(Poison());
    p.Add({MovImm(0, 0), Exit()});
    p.image.subprograms = {Subprogram{0, "prog", false}, Subprogram{sub, "sub", global}};
    EXPECT_EQ(p.Reach(poisoned).reached, global) << global;
  }
}

TEST(ReachAnalysis, AHelperCallClobbersTheArgumentRegisters) {
  Program p;
  // r2 = 0; call; if (r2 == 0) skip the poison: r2 is no longer known
  p.Add({MovImm(2, 0), Helper(kGetPid), JmpImm(BPF_JEQ, 2, 0, 1)});
  uint32_t poisoned = p.Watch(Poison());
  p.Add({MovImm(0, 0), Exit()});
  EXPECT_TRUE(p.Reach(poisoned).reached);
}

TEST(ReachAnalysis, TheCalleesReturnValueFlowsBack) {
  Program p;
  // r0 = sub(); if (r0 == 7) skip the poison; sub: return 7
  p.Add({CallLocal(4), JmpImm(BPF_JEQ, 0, 7, 1)});
  uint32_t poisoned = p.Watch(Poison());
  p.Add({MovImm(0, 0), Exit()});
  uint32_t sub = p.Add({MovImm(0, 7), Exit()});
  ASSERT_EQ(sub, 5u);
  p.image.subprograms = {Subprogram{0, "prog", false}, Subprogram{sub, "sub", false}};
  EXPECT_FALSE(p.Reach(poisoned).reached);
}

TEST(ReachAnalysis, AResolvedKernelObjectIsNeverNull) {
  Program p;
  uint32_t at = p.Add(LdImm64(1, BPF_PSEUDO_BTF_ID, 0));
  p.image.addresses[at] = LoadedAddress{LoadedAddress::Kind::kKernelObject, -1, 0};
  p.Add({JmpImm(BPF_JNE, 1, 0, 1)});
  uint32_t poisoned = p.Watch(Poison());
  p.Add({MovImm(0, 0), Exit()});
  EXPECT_FALSE(p.Reach(poisoned).reached);
}

TEST(ReachAnalysis, ABoundedLoopEndsAndWhatFollowsIsReached) {
  Program p;
  // for (r1 = 0; r1 < 100; r1++) ; poisoned
  p.Add({MovImm(1, 0), AluImm(BPF_ADD, 1, 1), JmpImm(BPF_JLT, 1, 100, -2)});
  uint32_t poisoned = p.Watch(Poison());
  p.Add({MovImm(0, 0), Exit()});
  EXPECT_TRUE(p.Reach(poisoned).unconditionally);
}

TEST(ReachAnalysis, AnUnboundedLoopOnUnknownValuesConverges) {
  Program p;
  // do { r1 = unknown } while (r1 != 0); poisoned
  p.Add({Helper(kGetPid), MovReg(1, 0), JmpImm(BPF_JNE, 1, 0, -3)});
  uint32_t poisoned = p.Watch(Poison());
  p.Add({MovImm(0, 0), Exit()});
  EXPECT_TRUE(p.Reach(poisoned).reached);
}

TEST(ReachAnalysis, TheStepLimitMakesTheAnswerIncomplete) {
  Program p;
  p.Add({MovImm(1, 0), AluImm(BPF_ADD, 1, 1), JmpImm(BPF_JLT, 1, 100000, -2)});
  uint32_t poisoned = p.Watch(Poison());
  p.Add({MovImm(0, 0), Exit()});
  p.image.subprograms.push_back(Subprogram{0, "prog", false});
  ReachLimits limits;
  limits.max_steps = 1000;
  ReachResult result = AnalyzeReach(p.image, limits);
  EXPECT_FALSE(result.complete);
  EXPECT_NE(result.incomplete_reason.find("1000"), std::string::npos) << result.incomplete_reason;
  EXPECT_FALSE(result.watched.at(poisoned).reached);
}

TEST(ReachAnalysis, ACallbackIsCheckedOnItsOwn) {
  Program p;
  // r2 = &callback; call bpf_loop(...); exit. callback: poisoned
  uint32_t ld = p.Add(LdImm64(2, BPF_PSEUDO_FUNC, 0));
  p.Add({MovImm(1, 4), MovImm(3, 0), MovImm(4, 0), Helper(181), MovImm(0, 0), Exit()});
  uint32_t callback = static_cast<uint32_t>(p.image.insns.size());
  p.image.insns[ld].imm = static_cast<int32_t>(callback - ld - 1);
  uint32_t poisoned = p.Watch(Poison());
  p.Add({MovImm(0, 0), Exit()});
  p.image.subprograms = {Subprogram{0, "prog", false}, Subprogram{callback, "cb", false}};
  EXPECT_TRUE(p.Reach(poisoned).reached);
}

// The register fields are four bits; r11-r15 do not exist and the verifier
// rejects the instruction, so nothing after it is reached (found by
// fuzz_object: the register file was indexed past its end).
TEST(ReachAnalysis, ARegisterPastR10EndsThePath) {
  for (uint8_t reg : {11, 15}) {
    for (bool as_source : {false, true}) {
      Program p;
      p.Add({MovImm(1, 0)});
      p.Add({as_source ? JmpReg(BPF_JEQ, 1, reg, 0) : JmpImm(BPF_JEQ, reg, 0, 0)});
      uint32_t poisoned = p.Watch(Poison());
      p.Add({MovImm(0, 0), Exit()});
      EXPECT_FALSE(p.Reach(poisoned).reached) << int{reg} << " " << as_source;
    }
  }
}

TEST(Scalar, BoundsArithmetic) {
  EXPECT_EQ(ApplyAlu(BPF_AND, Scalar::Unknown(), Scalar::Constant(0xff), false),
            Scalar::Unsigned(0, 0xff));
  EXPECT_EQ(ApplyAlu(BPF_RSH, Scalar::Width(32), Scalar::Constant(28), false),
            Scalar::Unsigned(0, 15));
  EXPECT_EQ(ApplyAlu(BPF_ADD, Scalar::Unsigned(1, 2), Scalar::Unsigned(10, 20), false),
            Scalar::Unsigned(11, 22));
  EXPECT_EQ(ApplyAlu(BPF_ADD, Scalar::Constant(0xffffffff), Scalar::Constant(1), true),
            Scalar::Constant(0));
  EXPECT_EQ(ApplyAlu(BPF_DIV, Scalar::Constant(7), Scalar::Constant(0), false),
            Scalar::Constant(0));
  EXPECT_EQ(ApplyAlu(BPF_MOD, Scalar::Constant(7), Scalar::Constant(0), false),
            Scalar::Constant(7));
  EXPECT_EQ(ApplyAlu(BPF_ARSH, Scalar::Constant(static_cast<uint64_t>(-8)), Scalar::Constant(1),
                     false),
            Scalar::Constant(static_cast<uint64_t>(-4)));
  EXPECT_EQ(BranchTaken(BPF_JSGT, Scalar::Constant(static_cast<uint64_t>(-1)),
                        Scalar::Constant(0), false),
            0);
  EXPECT_EQ(BranchTaken(BPF_JGT, Scalar::Constant(static_cast<uint64_t>(-1)), Scalar::Constant(0),
                        false),
            1);
  EXPECT_EQ(BranchTaken(BPF_JSET, Scalar::Unsigned(0, 3), Scalar::Constant(4), false), 0);
}

}  // namespace
}  // namespace kcontract
