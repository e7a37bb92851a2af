// ResolveCoreRelocation (abi/libbpf/core_matcher.h) one relocation at a
// time: the object's types are tests/models/core_local.c, the kernel's
// core_kernel.c with two modules (core_module_a.c, core_module_b.c, made
// split BTF over it here), all compiled by clang. Each relocation is written
// as clang emits it (kind, local root type, access string "0:i:j") and
// answered as libbpf 1.1.2 would: the value on each side, the outcome and
// what it names.
#include "abi/libbpf/core_matcher.h"

#include <bpf/btf.h>
#include <linux/bpf.h>

#include <memory>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "tests/test_support.h"

namespace kcontract {
namespace {

using ::kcontract::testing::ModelBtf;
using ::kcontract::testing::TypeNamed;
using ::kcontract::testing::VarType;

// A load of 4 bytes (libbpf resizes loads and stores of a field whose size
// changed, or poisons them) and an instruction that is no memory access.
constexpr uint8_t kLoad = BPF_LDX | BPF_MEM | BPF_W;
constexpr uint8_t kMove = BPF_ALU64 | BPF_MOV | BPF_K;

// `btf`'s types appended to split BTF over `base`, as a module's BTF is.
std::unique_ptr<Btf> AsModule(const Btf& base, const Btf& types, const std::string& name) {
  struct btf* split = btf__new_empty_split(const_cast<struct btf*>(base.libbpf()));
  EXPECT_GT(btf__add_btf(split, types.libbpf()), 0);
  uint32_t size = 0;
  const void* data = btf__raw_data(split, &size);
  Bytes raw(static_cast<const uint8_t*>(data), static_cast<const uint8_t*>(data) + size);
  btf__free(split);
  absl::StatusOr<std::unique_ptr<Btf>> module = Btf::Parse(raw, name, &base);
  if (!module.ok()) throw std::runtime_error(std::string(module.status().message()));
  return *std::move(module);
}

// The member's index in struct `type` of `btf` (for access strings).
uint32_t MemberIndex(const Btf& btf, TypeId type, std::string_view member) {
  const btf_type* t = btf.Type(type);
  for (uint16_t i = 0; i < btf_vlen(t); ++i) {
    if (btf.String(btf_members(t)[i].name_off) == member) return i;
  }
  ADD_FAILURE() << "no member " << member;
  return 0;
}

class CoreMatcherTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    local_ = ModelBtf("core_local").release();
    kernel_ = new KernelBtf();
    kernel_->vmlinux = ModelBtf("core_kernel");
    module_a_types_ = ModelBtf("core_module_a").release();
    module_b_types_ = ModelBtf("core_module_b").release();
  }
  static void TearDownTestSuite() {
    delete kernel_;
    delete local_;
    delete module_a_types_;
    delete module_b_types_;
  }
  void SetUp() override { kernel_->modules.clear(); }

  void AddModule(const std::string& name, const Btf& types) {
    ModuleBtf module;
    module.name = name;
    module.path = name + ".ko";
    module.btf = AsModule(*kernel_->vmlinux, types, name);
    kernel_->modules.push_back(std::move(module));
  }

  static TypeId Local(std::string_view name, uint32_t kind = BTF_KIND_STRUCT) {
    return TypeNamed(*local_, name, kind);
  }
  // "0:i" for `member` of struct `root`, then ":j" for each `nested` member.
  static std::string Access(std::string_view root, std::string_view member,
                            std::string_view nested = "") {
    const TypeId root_id = Local(root);
    const uint32_t index = MemberIndex(*local_, root_id, member);
    std::string access = "0:" + std::to_string(index);
    if (!nested.empty()) {
      const TypeId inner{btf_members(local_->Type(root_id))[index].type};
      access += ":" + std::to_string(MemberIndex(*local_, inner, nested));
    }
    return access;
  }

  static CoreResult Resolve(bpf_core_relo_kind kind, TypeId root, std::string access,
                            uint8_t insn_code = kLoad, const KernelNameIndex* index = nullptr) {
    CoreRelocation relo;
    relo.kind = kind;
    relo.root = root;
    relo.access_spec = std::move(access);
    relo.insn_code = insn_code;
    if (index != nullptr) return ResolveCoreRelocation(*local_, relo, *index);
    KernelNameIndex fresh(*kernel_);
    return ResolveCoreRelocation(*local_, relo, fresh);
  }
  static CoreResult Field(bpf_core_relo_kind kind, std::string_view root, std::string_view member,
                          std::string_view nested = "", uint8_t insn_code = kLoad) {
    return Resolve(kind, Local(root), Access(root, member, nested), insn_code);
  }

  static const Btf* local_;
  static KernelBtf* kernel_;
  static const Btf* module_a_types_;
  static const Btf* module_b_types_;
};

const Btf* CoreMatcherTest::local_ = nullptr;
KernelBtf* CoreMatcherTest::kernel_ = nullptr;
const Btf* CoreMatcherTest::module_a_types_ = nullptr;
const Btf* CoreMatcherTest::module_b_types_ = nullptr;

#define EXPECT_OUTCOME(result, expected)                                            \
  EXPECT_EQ(CoreOutcomeName((result).outcome), CoreOutcomeName(expected)) << (result).reason

// --- fields ------------------------------------------------------------------

TEST_F(CoreMatcherTest, ByteOffsetIsEachSidesOffsetOfTheMember) {
  CoreResult pid = Field(BPF_CORE_FIELD_BYTE_OFFSET, "kc_task", "pid");
  EXPECT_OUTCOME(pid, CoreOutcome::kResolved);
  EXPECT_EQ(pid.local_value, 0u);
  EXPECT_EQ(pid.target_value, 8u);  // after `long state`
  EXPECT_EQ(pid.target_path, "kc_task->pid");
}

TEST_F(CoreMatcherTest, ByteOffsetOfANestedMemberAddsTheEnclosingOffsets) {
  CoreResult weight = Field(BPF_CORE_FIELD_BYTE_OFFSET, "kc_task", "se", "weight");
  EXPECT_OUTCOME(weight, CoreOutcome::kResolved);
  EXPECT_EQ(weight.local_value, 64u);
  EXPECT_EQ(weight.target_value, 72u);  // se at 64, after kc_sched's vruntime
  EXPECT_EQ(weight.target_path, "kc_task->se.weight");
}

TEST_F(CoreMatcherTest, AMemberInsideAnAnonymousUnionIsFound) {
  CoreResult anon = Field(BPF_CORE_FIELD_BYTE_OFFSET, "kc_task", "anon_b");
  EXPECT_OUTCOME(anon, CoreOutcome::kResolved);
  EXPECT_EQ(anon.target_value, 48u);
  EXPECT_EQ(anon.target_path, "kc_task->anon_b");
}

TEST_F(CoreMatcherTest, ArrayElementWithinTheKernelsArrayResolves) {
  const std::string arr = Access("kc_task", "arr");
  CoreResult second = Resolve(BPF_CORE_FIELD_BYTE_OFFSET, Local("kc_task"), arr + ":1");
  EXPECT_OUTCOME(second, CoreOutcome::kResolved);
  EXPECT_EQ(second.local_value, 32u + 4u);
  EXPECT_EQ(second.target_value, 40u + 4u);
  EXPECT_EQ(second.target_path, "kc_task->arr[1]");
}

TEST_F(CoreMatcherTest, ArrayElementBeyondTheKernelsArrayIsPoisoned) {
  const std::string arr = Access("kc_task", "arr");
  CoreResult fourth = Resolve(BPF_CORE_FIELD_BYTE_OFFSET, Local("kc_task"), arr + ":3");
  EXPECT_OUTCOME(fourth, CoreOutcome::kPoisoned);
  EXPECT_EQ(fourth.reason, "index 3 is beyond the kernel's array of 2");
}

TEST_F(CoreMatcherTest, ByteSizeIsEachSidesSizeOfTheMember) {
  CoreResult small = Field(BPF_CORE_FIELD_BYTE_SIZE, "kc_task", "small");
  EXPECT_OUTCOME(small, CoreOutcome::kResolved);
  EXPECT_EQ(small.local_value, 4u);
  EXPECT_EQ(small.target_value, 2u);
}

TEST_F(CoreMatcherTest, ALoadOfASignedFieldThatShrankIsPoisoned) {
  CoreResult small = Field(BPF_CORE_FIELD_BYTE_OFFSET, "kc_task", "small");
  EXPECT_OUTCOME(small, CoreOutcome::kPoisoned);
  EXPECT_EQ(small.target_value, 14u);
  EXPECT_NE(small.reason.find("libbpf will not resize the access"), std::string::npos);
  // Not a load or store: nothing to resize.
  CoreResult moved = Field(BPF_CORE_FIELD_BYTE_OFFSET, "kc_task", "small", "", kMove);
  EXPECT_OUTCOME(moved, CoreOutcome::kResolved);
  EXPECT_EQ(moved.target_value, 14u);
}

TEST_F(CoreMatcherTest, ALoadOfAnUnsignedFieldThatShrankIsResized) {
  CoreResult usmall = Field(BPF_CORE_FIELD_BYTE_OFFSET, "kc_task", "usmall");
  EXPECT_OUTCOME(usmall, CoreOutcome::kResolved);
  EXPECT_EQ(usmall.local_value, 12u);
  EXPECT_EQ(usmall.target_value, 16u);
}

TEST_F(CoreMatcherTest, SignedIsTheKernelsSignedness) {
  CoreResult sign = Field(BPF_CORE_FIELD_SIGNED, "kc_task", "sign");
  EXPECT_OUTCOME(sign, CoreOutcome::kResolved);
  EXPECT_EQ(sign.local_value, 0u);   // unsigned int
  EXPECT_EQ(sign.target_value, 1u);  // int
}

// prio: 5 bits at bit 32 here, at bit 99 there (after flags:3 at bit 96).
// Read as a 4-byte unit: here byte 4, bits 0-4 of it; there byte 12, bits
// 3-7. LSHIFT_U64 = 64 - (end bit within the unit), RSHIFT_U64 = 64 - 5.
TEST_F(CoreMatcherTest, BitfieldShiftsAndUnitOffsetOnEachSide) {
  CoreResult offset = Field(BPF_CORE_FIELD_BYTE_OFFSET, "kc_task", "prio");
  EXPECT_OUTCOME(offset, CoreOutcome::kResolved);
  EXPECT_EQ(offset.local_value, 4u);
  EXPECT_EQ(offset.target_value, 12u);
  CoreResult size = Field(BPF_CORE_FIELD_BYTE_SIZE, "kc_task", "prio");
  EXPECT_EQ(size.local_value, 4u);
  EXPECT_EQ(size.target_value, 4u);
  CoreResult lshift = Field(BPF_CORE_FIELD_LSHIFT_U64, "kc_task", "prio");
  EXPECT_OUTCOME(lshift, CoreOutcome::kResolved);
  EXPECT_EQ(lshift.local_value, 64u - 5u);
  EXPECT_EQ(lshift.target_value, 64u - 8u);
  CoreResult rshift = Field(BPF_CORE_FIELD_RSHIFT_U64, "kc_task", "prio");
  EXPECT_EQ(rshift.local_value, 59u);
  EXPECT_EQ(rshift.target_value, 59u);
}

TEST_F(CoreMatcherTest, AMissingMemberPoisonsAnAccessButIsZeroForAnExistenceCheck) {
  CoreResult offset = Field(BPF_CORE_FIELD_BYTE_OFFSET, "kc_task", "gone");
  EXPECT_OUTCOME(offset, CoreOutcome::kPoisoned);
  EXPECT_EQ(offset.reason, "no member 'gone' in the kernel's struct kc_task");
  CoreResult exists = Field(BPF_CORE_FIELD_EXISTS, "kc_task", "gone");
  EXPECT_OUTCOME(exists, CoreOutcome::kAbsent);
  EXPECT_EQ(exists.local_value, 1u);
  EXPECT_EQ(exists.target_value, 0u);
  EXPECT_EQ(exists.reason, "no member 'gone' in the kernel's struct kc_task");
  CoreResult present = Field(BPF_CORE_FIELD_EXISTS, "kc_task", "pid");
  EXPECT_OUTCOME(present, CoreOutcome::kResolved);
  EXPECT_EQ(present.target_value, 1u);
}

TEST_F(CoreMatcherTest, AMemberOfAnotherKindIsMissingAndSaysWhatItIs) {
  CoreResult offset = Field(BPF_CORE_FIELD_BYTE_OFFSET, "kc_task", "wrong_kind");
  EXPECT_OUTCOME(offset, CoreOutcome::kPoisoned);
  EXPECT_EQ(offset.reason, "member 'wrong_kind' is 'struct kc_mm *' in the kernel, not 'int'");
  CoreResult exists = Field(BPF_CORE_FIELD_EXISTS, "kc_task", "wrong_kind");
  EXPECT_OUTCOME(exists, CoreOutcome::kAbsent);
  EXPECT_EQ(exists.target_value, 0u);
}

TEST_F(CoreMatcherTest, AnOffsetBeyondALoadsReachFailsTheLoad) {
  CoreResult load = Field(BPF_CORE_FIELD_BYTE_OFFSET, "kc_far", "far");
  EXPECT_OUTCOME(load, CoreOutcome::kFailed);
  EXPECT_EQ(load.reason, "field offset 40000 does not fit a load/store instruction");
  CoreResult move = Field(BPF_CORE_FIELD_BYTE_OFFSET, "kc_far", "far", "", kMove);
  EXPECT_OUTCOME(move, CoreOutcome::kResolved);
  EXPECT_EQ(move.target_value, 40000u);
}

// --- types -------------------------------------------------------------------

TEST_F(CoreMatcherTest, TypeExistsSizeAndIdOfAKernelType) {
  const TypeId kernel_mm = TypeNamed(*kernel_->vmlinux, "kc_mm", BTF_KIND_STRUCT);
  CoreResult exists = Resolve(BPF_CORE_TYPE_EXISTS, Local("kc_mm"), "0");
  EXPECT_OUTCOME(exists, CoreOutcome::kResolved);
  EXPECT_EQ(exists.local_value, 1u);
  EXPECT_EQ(exists.target_value, 1u);
  EXPECT_EQ(exists.target_path, "") << "type relocations name no path";
  CoreResult size = Resolve(BPF_CORE_TYPE_SIZE, Local("kc_mm"), "0");
  EXPECT_EQ(size.local_value, 8u);
  EXPECT_EQ(size.target_value, 16u);
  CoreResult id = Resolve(BPF_CORE_TYPE_ID_TARGET, Local("kc_mm"), "0");
  EXPECT_OUTCOME(id, CoreOutcome::kResolved);
  EXPECT_EQ(id.local_value, Local("kc_mm").value);
  EXPECT_EQ(id.target_value, kernel_mm.value);
  CoreResult local_id = Resolve(BPF_CORE_TYPE_ID_LOCAL, Local("kc_mm"), "0");
  EXPECT_EQ(local_id.local_value, Local("kc_mm").value);
  EXPECT_EQ(local_id.target_value, Local("kc_mm").value);
  CoreResult matches = Resolve(BPF_CORE_TYPE_MATCHES, Local("kc_mm"), "0");
  EXPECT_OUTCOME(matches, CoreOutcome::kResolved);
  EXPECT_EQ(matches.target_value, 1u);
}

TEST_F(CoreMatcherTest, ATypeTheKernelLacksIsZeroNotAnError) {
  CoreResult exists = Resolve(BPF_CORE_TYPE_EXISTS, Local("kc_nowhere"), "0");
  EXPECT_OUTCOME(exists, CoreOutcome::kAbsent);
  EXPECT_EQ(exists.target_value, 0u);
  EXPECT_EQ(exists.reason, "the kernel has no STRUCT kc_nowhere");
  CoreResult size = Resolve(BPF_CORE_TYPE_SIZE, Local("kc_nowhere"), "0");
  EXPECT_OUTCOME(size, CoreOutcome::kAbsent);
  EXPECT_EQ(size.target_value, 0u);
}

TEST_F(CoreMatcherTest, ATypedefOfAnotherTypeIsAbsent) {
  CoreResult exists = Resolve(BPF_CORE_TYPE_EXISTS, Local("kc_pid_t", BTF_KIND_TYPEDEF), "0");
  EXPECT_OUTCOME(exists, CoreOutcome::kAbsent);
  EXPECT_EQ(exists.target_value, 0u);
  EXPECT_NE(exists.reason.find("kc_pid_t differs"), std::string::npos) << exists.reason;
}

// --- enum values -------------------------------------------------------------

TEST_F(CoreMatcherTest, EnumValueIsTheKernelsValueOfTheSameName) {
  const TypeId state = Local("kc_state", BTF_KIND_ENUM);
  CoreResult value = Resolve(BPF_CORE_ENUMVAL_VALUE, state, "1");  // KC_SLEEPING
  EXPECT_OUTCOME(value, CoreOutcome::kResolved);
  EXPECT_EQ(value.local_value, 1u);
  EXPECT_EQ(value.target_value, 5u);
  EXPECT_EQ(value.target_path, "kc_state.KC_SLEEPING");
  CoreResult exists = Resolve(BPF_CORE_ENUMVAL_EXISTS, state, "1");
  EXPECT_OUTCOME(exists, CoreOutcome::kResolved);
  EXPECT_EQ(exists.target_value, 1u);
}

TEST_F(CoreMatcherTest, AMissingEnumeratorIsZeroForExistsAndPoisonsItsValue) {
  const TypeId state = Local("kc_state", BTF_KIND_ENUM);
  CoreResult exists = Resolve(BPF_CORE_ENUMVAL_EXISTS, state, "2");  // KC_ZOMBIE
  EXPECT_OUTCOME(exists, CoreOutcome::kAbsent);
  EXPECT_EQ(exists.target_value, 0u);
  EXPECT_EQ(exists.reason, "enumerator KC_ZOMBIE not in the kernel's enum kc_state");
  CoreResult value = Resolve(BPF_CORE_ENUMVAL_VALUE, state, "2");
  EXPECT_OUTCOME(value, CoreOutcome::kPoisoned);
}

// --- candidates --------------------------------------------------------------

TEST_F(CoreMatcherTest, FlavoursAreMatchedByTheirEssentialName) {
  CoreResult old_name = Field(BPF_CORE_FIELD_EXISTS, "kc_inode___old", "i_atime");
  EXPECT_OUTCOME(old_name, CoreOutcome::kAbsent);
  EXPECT_EQ(old_name.target_value, 0u);
  CoreResult new_name = Field(BPF_CORE_FIELD_EXISTS, "kc_inode___new", "__i_atime");
  EXPECT_OUTCOME(new_name, CoreOutcome::kResolved);
  EXPECT_EQ(new_name.target_value, 1u);
  EXPECT_EQ(new_name.target_path, "kc_inode->__i_atime");
}

TEST_F(CoreMatcherTest, CandidatesThatDisagreeOnTheOffsetFailTheLoad) {
  CoreResult dup = Field(BPF_CORE_FIELD_BYTE_OFFSET, "kc_dup", "y");
  EXPECT_OUTCOME(dup, CoreOutcome::kFailed);
  EXPECT_NE(dup.reason.find("field offset ambiguity"), std::string::npos) << dup.reason;
}

TEST_F(CoreMatcherTest, CandidatesThatAgreeResolve) {
  CoreResult same = Field(BPF_CORE_FIELD_BYTE_OFFSET, "kc_same", "y");
  EXPECT_OUTCOME(same, CoreOutcome::kResolved);
  EXPECT_EQ(same.target_value, 8u);
}

TEST_F(CoreMatcherTest, CandidatesThatAgreeOnTheOffsetButNotTheValueFailTheLoad) {
  CoreResult size = Field(BPF_CORE_FIELD_BYTE_SIZE, "kc_dsize", "y");
  EXPECT_OUTCOME(size, CoreOutcome::kFailed);
  EXPECT_EQ(size.reason, "relocation decision ambiguity between candidate types");
}

TEST_F(CoreMatcherTest, ModulesAreSearchedOnlyWhenVmlinuxHasNoCandidate) {
  AddModule("kc_mod_a", *module_a_types_);
  CoreResult only = Field(BPF_CORE_FIELD_BYTE_OFFSET, "kc_mod_only", "a");
  EXPECT_OUTCOME(only, CoreOutcome::kResolved);
  EXPECT_EQ(only.target_value, 4u);
  // The module's kc_task puts pid at 4; vmlinux's, at 8, is the one.
  CoreResult pid = Field(BPF_CORE_FIELD_BYTE_OFFSET, "kc_task", "pid");
  EXPECT_EQ(pid.target_value, 8u);
}

// Makes `index` build itself: one more distinct lookup than it scans for
// (repeated questions are answered from memory and do not count).
void BuildByDistinctLookups(const KernelNameIndex& index) {
  for (int i = 0; i <= KernelNameIndex::kDefaultScannedLookups; ++i) {
    index.CoreCandidates("kc_nowhere_" + std::to_string(i), BTF_KIND_STRUCT);
  }
  ASSERT_TRUE(index.built());
}

// libbpf gathers candidates from every module when vmlinux has none
// (bpf_core_find_cands): two modules whose kc_mod_both puts `a` at 0 and at
// 8 are an ambiguity, once the index is built (after
// KernelNameIndex::kDefaultScannedLookups scans) as before.
TEST_F(CoreMatcherTest, CandidatesOfEveryModuleCountOnceTheIndexIsBuilt) {
  AddModule("kc_mod_a", *module_a_types_);
  AddModule("kc_mod_b", *module_b_types_);
  KernelNameIndex index(*kernel_);
  BuildByDistinctLookups(index);
  CoreResult both = Resolve(BPF_CORE_FIELD_BYTE_OFFSET, Local("kc_mod_both"),
                            Access("kc_mod_both", "a"), kLoad, &index);
  EXPECT_OUTCOME(both, CoreOutcome::kFailed);
}

// Before the index is built the scan must also take every module's
// candidates (an earlier scan stopped at the first module that had one, and
// answered differently before and after the index was built).
TEST_F(CoreMatcherTest, CandidatesOfEveryModuleCountBeforeTheIndexIsBuilt) {
  AddModule("kc_mod_a", *module_a_types_);
  AddModule("kc_mod_b", *module_b_types_);
  CoreResult both = Field(BPF_CORE_FIELD_BYTE_OFFSET, "kc_mod_both", "a");
  EXPECT_OUTCOME(both, CoreOutcome::kFailed);
}

TEST_F(CoreMatcherTest, TheIndexFindsWhatTheScanFinds) {
  AddModule("kc_mod_a", *module_a_types_);
  KernelNameIndex index(*kernel_);
  const std::vector<std::pair<std::string, uint32_t>> queries = {
      {"kc_task", BTF_KIND_STRUCT}, {"kc_dup", BTF_KIND_STRUCT},  {"kc_inode", BTF_KIND_STRUCT},
      {"kc_mod_only", BTF_KIND_STRUCT}, {"kc_state", BTF_KIND_ENUM}, {"kc_pid_t", BTF_KIND_TYPEDEF},
      {"kc_task", BTF_KIND_UNION}, {"kc_nowhere", BTF_KIND_STRUCT}};
  auto ids = [](const std::vector<NamedType>& found) {
    std::vector<std::pair<const Btf*, uint32_t>> out;
    for (const auto& c : found) out.push_back({c.btf, c.id.value});
    return out;
  };
  std::vector<std::vector<std::pair<const Btf*, uint32_t>>> scanned;
  for (const auto& [name, kind] : queries) scanned.push_back(ids(index.CoreCandidates(name, kind)));
  ASSERT_FALSE(index.built());
  // A second index, built before it answers (answers are remembered per
  // index, so the first one would repeat its scans' answers).
  KernelNameIndex indexed(*kernel_);
  BuildByDistinctLookups(indexed);
  for (size_t i = 0; i < queries.size(); ++i) {
    EXPECT_EQ(ids(indexed.CoreCandidates(queries[i].first, queries[i].second)), scanned[i])
        << queries[i].first;
  }
  EXPECT_EQ(scanned[1].size(), 2u) << "kc_dup___a and kc_dup___b";
  EXPECT_EQ(scanned[3].size(), 1u) << "kc_mod_only, from the module";
  EXPECT_TRUE(scanned[6].empty()) << "no union kc_task";
}

// --- what libbpf refuses -----------------------------------------------------

TEST_F(CoreMatcherTest, AnAnonymousRootTypeFails) {
  CoreResult anon = Resolve(BPF_CORE_FIELD_BYTE_OFFSET, VarType(*local_, "kc_anonymous"), "0:0");
  EXPECT_OUTCOME(anon, CoreOutcome::kFailed);
  EXPECT_EQ(anon.reason, "CO-RE relocations of anonymous types are not supported");
}

TEST_F(CoreMatcherTest, AMalformedAccessStringFails) {
  CoreResult beyond = Resolve(BPF_CORE_FIELD_BYTE_OFFSET, Local("kc_task"), "0:99");
  EXPECT_OUTCOME(beyond, CoreOutcome::kFailed);
  EXPECT_EQ(beyond.reason, "cannot parse the relocation: member index out of range");
  CoreResult garbage = Resolve(BPF_CORE_FIELD_BYTE_OFFSET, Local("kc_task"), "0:x");
  EXPECT_OUTCOME(garbage, CoreOutcome::kFailed);
  CoreResult type_with_path = Resolve(BPF_CORE_TYPE_EXISTS, Local("kc_mm"), "0:1");
  EXPECT_OUTCOME(type_with_path, CoreOutcome::kFailed);
  CoreResult root = Resolve(BPF_CORE_FIELD_BYTE_OFFSET, local_->end_id(), "0:0");
  EXPECT_OUTCOME(root, CoreOutcome::kFailed);
  EXPECT_EQ(root.reason, "root type id out of range");
}

}  // namespace
}  // namespace kcontract
