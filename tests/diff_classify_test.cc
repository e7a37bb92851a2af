// diff_classify rule by rule, on BTF that clang builds from the C model pair
// tests/diff/classify/rules.{0,1}.c: each kfunc, callback, struct and enum
// there is one change, asked about directly (not through a diff report),
// and the reasons are checked to the byte, since reports print them.
#include "btfdiff/diff/diff_classify.h"

#include <bpf/btf.h>

#include <filesystem>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

#include "btfdiff/base/elf_image.h"
#include "btfdiff/diff/caller_memory.h"
#include "btfdiff/diff/type_comparison.h"
#include "btfdiff/model/btf.h"
#include "gtest/gtest.h"
#include "tests/test_support.h"

namespace kcontract {
namespace {

std::unique_ptr<Btf> LoadModel(int side) {
  const std::string name = "rules." + std::to_string(side);
  Bytes object = testing::ReadFileOrDie(std::filesystem::path(KC_CLASSIFY_MODEL_DIR) /
                                        (name + ".o"));
  auto elf = ElfImage::Open(object, name);
  if (!elf.ok()) throw std::runtime_error(std::string(elf.status().message()));
  auto section = (*elf)->Section(".BTF");
  if (!section.ok() || !section->has_value()) throw std::runtime_error(name + ": no .BTF");
  auto btf = Btf::Parse((*section)->data, name);
  if (!btf.ok()) throw std::runtime_error(std::string(btf.status().message()));
  return std::move(*btf);
}

constexpr int kReturn = -1;

class DiffClassify : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    old_ = LoadModel(0).release();
    new_ = LoadModel(1).release();
    cmp_ = new TypeComparison(*old_, *new_);
  }
  static void TearDownTestSuite() {
    delete cmp_;
    delete new_;
    delete old_;
  }

  static TypeId Find(const Btf& btf, std::string_view name, uint32_t kind) {
    int id = btf__find_by_name_kind(btf.libbpf(), std::string(name).c_str(), kind);
    EXPECT_GT(id, 0) << name;
    return TypeId{static_cast<uint32_t>(id > 0 ? id : 0)};
  }

  // Argument `index` of a prototype, or its return type (kReturn).
  static TypeId Part(const Btf& btf, TypeId proto, int index) {
    const btf_type* t = btf.Type(proto);
    EXPECT_NE(t, nullptr);
    if (t == nullptr) return TypeId{};
    return index == kReturn ? TypeId{t->type} : TypeId{btf_params(t)[index].type};
  }

  static ChangedRef Ref(TypeId old_id, TypeId new_id) {
    return ChangedRef{*old_, old_id, *new_, new_id, cmp_->CompareRefs(old_id, new_id)};
  }

  // A kfunc's argument or return type on both sides.
  static ChangedRef KfuncRef(std::string_view kfunc, int index) {
    auto proto = [&](const Btf& btf) {
      return Part(btf, TypeId{btf.Type(Find(btf, kfunc, BTF_KIND_FUNC))->type}, index);
    };
    return Ref(proto(*old_), proto(*new_));
  }

  // An argument or the return type of a struct kc_ops callback on both sides.
  static ChangedRef CallbackRef(std::string_view member, int index) {
    auto proto = [&](const Btf& btf) {
      for (const FlatMember& m : FlattenMembers(btf, Find(btf, "kc_ops", BTF_KIND_STRUCT))) {
        if (m.name != member) continue;
        TypeId pointer = btf.SkipModsAndTypedefs(m.type);
        return Part(btf, btf.SkipModsAndTypedefs(TypeId{btf.Type(pointer)->type}), index);
      }
      ADD_FAILURE() << "no callback " << member;
      return TypeId{};
    };
    return Ref(proto(*old_), proto(*new_));
  }

  static const NamedTypeDiff& Named(std::string_view name, uint32_t kind) {
    return cmp_->DiffNamed(Find(*old_, name, kind), Find(*new_, name, kind));
  }

  // The classification of the change of `kind` to `member` of struct `type`.
  static std::optional<Classification> Member(std::string_view type, std::string_view member,
                                              MemberChangeKind kind) {
    const NamedTypeDiff& diff = Named(type, BTF_KIND_STRUCT);
    for (const MemberChange& change : diff.members) {
      const FlatMember& any = change.old_member ? *change.old_member : *change.new_member;
      if (change.kind != kind || any.name != member) continue;
      return ClassifyMemberChange("struct " + std::string(type), change, *cmp_, diff.old_size);
    }
    ADD_FAILURE() << "no such change to " << type << "." << member;
    return std::nullopt;
  }

  static const Btf* old_;
  static const Btf* new_;
  static TypeComparison* cmp_;
};

const Btf* DiffClassify::old_ = nullptr;
const Btf* DiffClassify::new_ = nullptr;
TypeComparison* DiffClassify::cmp_ = nullptr;

constexpr Compatibility kCompatible = Compatibility::kCompatible;
constexpr Compatibility kNeedsReview = Compatibility::kNeedsReview;
constexpr Compatibility kBreaking = Compatibility::kBreaking;

void ExpectClassified(const Classification& got, Compatibility compatibility,
                      std::string_view reason) {
  EXPECT_EQ(got.compatibility, compatibility) << got.reason;
  EXPECT_EQ(got.reason, reason);
}

constexpr TypeUse kEveryUse[] = {TypeUse::kKfuncArgument,    TypeUse::kKfuncReturn,
                                 TypeUse::kCallbackArgument, TypeUse::kCallbackReturn,
                                 TypeUse::kTypeMember,       TypeUse::kStructOpsData};

TEST_F(DiffClassify, TypedefOnlyRenamesAreCompatibleWhereverTheTypeIs) {
  ChangedRef ref = KfuncRef("kc_typedef_only", 0);
  ASSERT_TRUE(ref.comparison.TypedefOnly());
  for (TypeUse use : kEveryUse) {
    SCOPED_TRACE(static_cast<int>(use));
    ExpectClassified(ClassifyTypeChange(use, "argument 1 'flags'", ref), kCompatible,
                     "argument 1 'flags': typedef-only rename (u32 -> __u32), both are "
                     "unsigned int");
  }
}

TEST_F(DiffClassify, KfuncArgumentsAreWrittenByCallers) {
  auto classify = [](std::string_view kfunc) {
    return ClassifyTypeChange(TypeUse::kKfuncArgument, "argument 1", KfuncRef(kfunc, 0));
  };
  ExpectClassified(classify("kc_widened"), kBreaking,
                   "argument 1 widened from u32 (32 bits) to u64 (64 bits): callers compiled "
                   "against the old prototype pass a 32-bit value, and the upper bits the "
                   "kernel now reads are not theirs");
  ExpectClassified(classify("kc_narrowed"), kBreaking,
                   "argument 1 narrowed from u64 to u32: the kernel now reads only the low 32 "
                   "bits, so values callers pass above that range are truncated");
  ExpectClassified(classify("kc_sign"), kNeedsReview,
                   "argument 1 changed signedness (u32 -> s32): the same bits now mean another "
                   "range, negative values become large ones or the reverse");
  ExpectClassified(classify("kc_retarget"), kBreaking,
                   "argument 1 now is struct file *, not struct task *: the verifier checks "
                   "what a pointer argument points to and rejects callers passing the old type");
  ExpectClassified(classify("kc_kind"), kBreaking,
                   "argument 1 changed kind (struct task * -> u64): libbpf rejects a kfunc "
                   "extern whose prototype differs in kind (func_proto incompatible with "
                   "kernel)");
}

TEST_F(DiffClassify, KfuncResultsAreReadByCallers) {
  auto classify = [](std::string_view kfunc) {
    return ClassifyTypeChange(TypeUse::kKfuncReturn, "return type", KfuncRef(kfunc, kReturn));
  };
  ExpectClassified(classify("kc_ret_widened"), kBreaking,
                   "return type widened from u32 to u64: callers built for u32 read only the "
                   "low 32 bits of the result");
  ExpectClassified(classify("kc_ret_narrowed"), kNeedsReview,
                   "return type narrowed from u64 to u32: the verifier zero-extends the 32 bits "
                   "result, so callers reading u64 see negative values as large ones");
  ExpectClassified(classify("kc_ret_void_to_value"), kCompatible,
                   "return type: the kfunc returns int now; callers built for void ignore it");
  ExpectClassified(classify("kc_ret_value_to_void"), kBreaking,
                   "return type: the kfunc returns nothing now; the verifier rejects callers "
                   "that read R0 after the call");
}

TEST_F(DiffClassify, CallbacksAreTheOtherWayRound) {
  auto argument = [](std::string_view member) {
    return ClassifyTypeChange(TypeUse::kCallbackArgument, "argument 1", CallbackRef(member, 0));
  };
  auto result = [](std::string_view member) {
    return ClassifyTypeChange(TypeUse::kCallbackReturn, "return type",
                              CallbackRef(member, kReturn));
  };
  ExpectClassified(argument("widened"), kBreaking,
                   "argument 1 widened from u32 to u64: implementations built for u32 read only "
                   "the low 32 bits, so larger values the kernel passes are truncated");
  ExpectClassified(argument("narrowed"), kNeedsReview,
                   "argument 1 narrowed from u64 to u32: implementations read a wider value "
                   "than the kernel passes now, zero-extended in its 64-bit context slot");
  ExpectClassified(result("ret_widened"), kNeedsReview,
                   "return type changed size (u32 -> u64): the kernel reads 64 bits of what "
                   "implementations built for 32 bits return");
  ExpectClassified(result("ret_void_to_value"), kBreaking,
                   "return type: the kernel now uses the callback's int result; "
                   "implementations built for void return whatever R0 holds");
  ExpectClassified(result("ret_value_to_void"), kCompatible,
                   "return type: the kernel ignores the result now");
}

// One change, u32 widened to u64, is as bad as who reads it makes it.
TEST_F(DiffClassify, TheSameChangeDependsOnItsSide) {
  ChangedRef ref = KfuncRef("kc_widened", 0);
  auto compatibility = [&](TypeUse use) { return ClassifyTypeChange(use, "x", ref).compatibility; };
  EXPECT_EQ(compatibility(TypeUse::kKfuncArgument), kBreaking);
  EXPECT_EQ(compatibility(TypeUse::kKfuncReturn), kBreaking);
  EXPECT_EQ(compatibility(TypeUse::kCallbackArgument), kBreaking);
  EXPECT_EQ(compatibility(TypeUse::kCallbackReturn), kNeedsReview);
  EXPECT_EQ(compatibility(TypeUse::kTypeMember), kCompatible);  // unsigned: CO-RE resizes
  ExpectClassified(ClassifyTypeChange(TypeUse::kStructOpsData, "member x", ref), kBreaking,
                   "member x changed size (4 -> 8 bytes): libbpf 1.1 refuses a struct_ops "
                   "member whose size differs from the kernel's");
  // Narrowing reverses the kfunc sides' verdicts on results.
  ChangedRef narrowed = KfuncRef("kc_narrowed", 0);
  EXPECT_EQ(ClassifyTypeChange(TypeUse::kKfuncArgument, "x", narrowed).compatibility, kBreaking);
  EXPECT_EQ(ClassifyTypeChange(TypeUse::kKfuncReturn, "x", narrowed).compatibility,
            kNeedsReview);
}

TEST_F(DiffClassify, QualifiersMatterByDirection) {
  ChangedRef const_removed = KfuncRef("kc_const_removed", 0);
  ChangedRef const_added = KfuncRef("kc_const_added", 0);
  ASSERT_TRUE(const_removed.comparison.same_shape);
  ASSERT_TRUE(const_removed.comparison.qualifiers_differ);
  ExpectClassified(ClassifyTypeChange(TypeUse::kKfuncArgument, "argument 1", const_removed),
                   kNeedsReview,
                   "argument 1 lost const on its pointee: the kernel may now write through it, "
                   "which callers passing read-only memory did not expect");
  ExpectClassified(ClassifyTypeChange(TypeUse::kKfuncArgument, "argument 1", const_added),
                   kCompatible,
                   "argument 1: only qualifiers changed; libbpf skips them when it matches a "
                   "kfunc prototype");
  ExpectClassified(ClassifyTypeChange(TypeUse::kKfuncReturn, "return type",
                                      KfuncRef("kc_ret_const_added", kReturn)),
                   kNeedsReview,
                   "return type now points to const: callers that write through the result "
                   "may be refused");
  ExpectClassified(ClassifyTypeChange(TypeUse::kTypeMember, "member buf", const_removed),
                   kCompatible,
                   "member buf: only qualifiers changed; CO-RE and the verifier look through "
                   "them");
  // Type tags tell the verifier how a pointer may be used, on every side.
  ChangedRef tagged = KfuncRef("kc_tagged", 0);
  for (TypeUse use : kEveryUse) {
    ExpectClassified(ClassifyTypeChange(use, "argument 1", tagged), kNeedsReview,
                     "argument 1: its type tags changed (struct task * -> struct task * /* "
                     "tags: rcu */); tags such as rcu, user, percpu and address_space tell the "
                     "verifier how a pointer may be used");
  }
}

TEST_F(DiffClassify, MembersAppendedAtTheEndMoveNothing) {
  ExpectClassified(*Member("kc_appended", "b", MemberChangeKind::kAdded), kCompatible,
                   "appended after the old end (offset 4 >= old size 4): no existing member "
                   "moves");
  ExpectClassified(*Member("kc_inserted", "b", MemberChangeKind::kAdded), kCompatible,
                   "CO-RE finds the existing members by name; only programs built without "
                   "CO-RE read members that moved at their old offsets");
  ExpectClassified(*Member("kc_inserted", "c", MemberChangeKind::kMoved), kCompatible,
                   "CO-RE relocates the offset by name; only programs built without CO-RE read "
                   "the old offset");
  ExpectClassified(*Member("kc_removed", "gone", MemberChangeKind::kRemoved), kBreaking,
                   "CO-RE relocations of struct kc_removed.gone find no such member now: "
                   "libbpf poisons the access and the verifier rejects the program unless "
                   "bpf_core_field_exists() guards it");
}

TEST_F(DiffClassify, CoReResizesUnsignedLoadsOnly) {
  ExpectClassified(*Member("kc_unsigned", "len", MemberChangeKind::kRetyped), kCompatible,
                   "member len changed size (u32 -> u64): libbpf resizes CO-RE loads of an "
                   "unsigned integer field");
  ExpectClassified(*Member("kc_signed", "delta", MemberChangeKind::kRetyped), kBreaking,
                   "member delta changed size (s32 -> s64): libbpf cannot resize a CO-RE load "
                   "of a signed integer field (no sign extension), so relocating the old load "
                   "fails");
  ExpectClassified(*Member("kc_pointer", "owner", MemberChangeKind::kRetyped), kBreaking,
                   "member owner now is struct file *, not struct task *: programs follow it as "
                   "the old type, and the verifier types direct reads by the new one");
}

TEST_F(DiffClassify, ArraysAndBitfieldsResize) {
  ExpectClassified(*Member("kc_arrays", "comm", MemberChangeKind::kResized), kCompatible,
                   "the array grew: existing elements keep their offsets");
  ExpectClassified(*Member("kc_arrays", "tail", MemberChangeKind::kResized), kBreaking,
                   "the array shrank: CO-RE relocations of elements beyond the new length fail");
  ExpectClassified(*Member("kc_bits", "flags", MemberChangeKind::kResized), kNeedsReview,
                   "bitfield width 3 -> 5 bits: BPF_CORE_READ_BITFIELD() relocates it, plain "
                   "loads of the containing word do not");
}

TEST_F(DiffClassify, EnumeratorsKeepTheirValuesOrBreak) {
  const NamedTypeDiff& diff = Named("kc_values", BTF_KIND_ENUM);
  ASSERT_EQ(diff.enumerators.size(), 3u);
  for (const EnumeratorChange& change : diff.enumerators) {
    SCOPED_TRACE(std::string(change.name));
    Classification got = ClassifyEnumeratorChange(change);
    if (change.name == "KC_MOVED") {
      ExpectClassified(got, kBreaking,
                       "programs compile the old value (2) in unless they read it with "
                       "bpf_core_enum_value(); the kernel now means 5");
    } else if (change.name == "KC_GONE") {
      ExpectClassified(got, kBreaking,
                       "programs using KC_GONE keep the old value compiled in, or fail a "
                       "bpf_core_enum_value() relocation");
    } else {
      EXPECT_EQ(change.name, "KC_ADDED");
      ExpectClassified(got, kCompatible, "a new value: existing values keep their meaning");
    }
  }
}

TEST_F(DiffClassify, SizeMattersOnlyForMemoryProgramsProvide) {
  EXPECT_EQ(ClassifySizeChange("struct kc_appended", false, 4, 8, MemoryOwner::kKernel, "")
                .compatibility,
            kCompatible);
  ExpectClassified(ClassifySizeChange("struct kc_args", false, 16, 24, MemoryOwner::kProgram,
                                      "kc_lookup argument 2"),
                   kBreaking,
                   "callers of kc_lookup argument 2 provide this memory: the verifier now "
                   "requires 24 bytes for it, and programs built for 16 bytes are rejected or "
                   "hand the kernel bytes they never set");
  EXPECT_EQ(ClassifySizeChange("struct kc_args", false, 24, 16, MemoryOwner::kProgram, "k")
                .compatibility,
            kCompatible);
  ExpectClassified(ClassifySizeChange("struct kc_args", false, 16, 24,
                                      MemoryOwner::kProgramSized, "kc_lookup argument 2"),
                   kCompatible,
                   "callers of kc_lookup argument 2 pass its size in a __sz argument, so the "
                   "kernel knows how much memory they provide");
  EXPECT_EQ(ClassifySizeChange("enum kc_values", true, 4, 8, MemoryOwner::kKernel, "")
                .compatibility,
            kNeedsReview);
}

TEST_F(DiffClassify, KfFlagsGainedAndLost) {
  struct Case {
    const char* flag;
    Compatibility added;
    Compatibility removed;
  };
  const Case cases[] = {
      {"KF_ACQUIRE", kBreaking, kBreaking},        {"KF_RELEASE", kBreaking, kBreaking},
      {"KF_RET_NULL", kBreaking, kCompatible},     {"KF_TRUSTED_ARGS", kBreaking, kCompatible},
      {"KF_SLEEPABLE", kBreaking, kCompatible},    {"KF_DESTRUCTIVE", kBreaking, kCompatible},
      {"KF_RCU", kCompatible, kBreaking},          {"KF_RCU_PROTECTED", kBreaking, kCompatible},
      {"KF_ITER_NEW", kBreaking, kBreaking},       {"KF_ITER_NEXT", kBreaking, kBreaking},
      {"KF_ITER_DESTROY", kBreaking, kBreaking},   {"KF_KPTR_GET", kBreaking, kBreaking},
      {"KF_FASTCALL", kCompatible, kCompatible},   {"KF_ARENA_RET", kNeedsReview, kNeedsReview},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.flag);
    EXPECT_EQ(ClassifyFlagChange(c.flag, true).compatibility, c.added);
    EXPECT_EQ(ClassifyFlagChange(c.flag, false).compatibility, c.removed);
    EXPECT_FALSE(ClassifyFlagChange(c.flag, true).reason.empty());
  }
  ExpectClassified(ClassifyFlagChange("KF_RET_NULL", true), kBreaking,
                   "the result may now be NULL: the verifier rejects callers that use it "
                   "without a NULL check");
  ExpectClassified(ClassifyFlagChange("KF_ITER_NEXT", false), kBreaking,
                   "its role in an open-coded iterator changed: the verifier checks "
                   "new/next/destroy pairing");
  ExpectClassified(ClassifyFlagChange("KF_ARENA_RET", false), kNeedsReview,
                   "the verifier treats the kfunc differently without KF_ARENA_RET");
  ExpectClassified(ClassifyUnknownFlagBits(0, 0x40000), kNeedsReview,
                   "KF_* bits without a name in this release changed (0x0 -> 0x40000): the "
                   "verifier's treatment of the kfunc may differ");
}

TEST_F(DiffClassify, VerifierParameterSuffixes) {
  auto rename = [](std::string_view from, std::string_view to) {
    return ClassifyParameterRename("argument 2", from, to);
  };
  EXPECT_EQ(rename("len", "size"), std::nullopt);  // names alone are no ABI
  EXPECT_EQ(rename("a__k", "b__k"), std::nullopt);
  EXPECT_EQ(rename("len", "__sz"), std::nullopt);  // a suffix needs a name before it
  ExpectClassified(*rename("len", "len__sz"), kBreaking,
                   "argument 2 renamed 'len' -> 'len__sz': the verifier now requires the size "
                   "of the previous argument's memory, which callers built before may not "
                   "pass");
  ExpectClassified(*rename("len", "len__szk"), kBreaking,
                   "argument 2 renamed 'len' -> 'len__szk': the verifier now requires a "
                   "constant size of the previous argument, which callers built before may "
                   "not pass");
  EXPECT_EQ(rename("flags", "flags__k")->compatibility, kBreaking);
  ExpectClassified(*rename("flags__k", "flags"), kCompatible,
                   "argument 2 renamed 'flags__k' -> 'flags': the verifier no longer requires "
                   "a constant known to the verifier");
  ExpectClassified(*rename("aux", "aux__ign"), kCompatible,
                   "argument 2 renamed 'aux' -> 'aux__ign': the verifier now accepts anything: "
                   "the verifier ignores it");
  ExpectClassified(*rename("aux__ign", "aux"), kNeedsReview,
                   "argument 2 renamed 'aux__ign' -> 'aux': the verifier now checks the value "
                   "callers pass, which it ignored before");
  ExpectClassified(*rename("t__nullable", "t"), kBreaking,
                   "argument 2 renamed 't__nullable' -> 't': the verifier no longer accepts "
                   "NULL there, so callers passing NULL are rejected");
  EXPECT_EQ(rename("buf__opt", "buf")->compatibility, kBreaking);
  EXPECT_EQ(rename("aux__ign", "aux__prog")->compatibility, kCompatible);
}

TEST_F(DiffClassify, ArgumentCounts) {
  ExpectClassified(ClassifyArgumentCount(/*callback=*/false, 2, 3, true), kBreaking,
                   "callers pass 2 arguments; the kernel's prototype has 3 now, and libbpf "
                   "rejects a kfunc extern whose argument count differs (func_proto "
                   "incompatible with kernel)");
  ExpectClassified(ClassifyArgumentCount(/*callback=*/true, 2, 3, true), kCompatible,
                   "arguments appended after the old 2: implementations built for them never "
                   "read the new ones");
  EXPECT_EQ(ClassifyArgumentCount(true, 2, 3, false).compatibility, kBreaking);
  ExpectClassified(ClassifyArgumentCount(true, 3, 2, false), kBreaking,
                   "the kernel passes 2 arguments, not 3: the verifier rejects implementations "
                   "that read beyond argument 2 of the context");
}

TEST_F(DiffClassify, InterfacesAddedRemovedAndMoved) {
  EXPECT_EQ(ClassifyKfuncAdded().compatibility, kCompatible);
  EXPECT_EQ(ClassifyKfuncRemoved(false).compatibility, kBreaking);
  EXPECT_EQ(ClassifyKfuncRemoved(true).compatibility, kNeedsReview);
  ExpectClassified(ClassifyKfuncModuleChange(std::string("nf_conntrack"), std::nullopt),
                   kCompatible, "moved from module nf_conntrack into vmlinux: always available now");
  EXPECT_EQ(ClassifyKfuncModuleChange(std::nullopt, std::string("nf_conntrack")).compatibility,
            kNeedsReview);
  EXPECT_EQ(ClassifyStructOpsAdded().compatibility, kCompatible);
  EXPECT_EQ(ClassifyStructOpsRemoved().compatibility, kBreaking);
  EXPECT_EQ(ClassifyStructOpsMemberAdded(true).compatibility, kCompatible);
  EXPECT_EQ(ClassifyStructOpsMemberRemoved("init").compatibility, kBreaking);
  EXPECT_EQ(ClassifyStructOpsMemberKindChange(true).compatibility, kBreaking);
}

TEST(CallerMemory, ReservedNamesAreWordsNotSubstrings) {
  for (const char* name : {"reserved", "reserved2", "__pad1", "rsvd", "unused_flags", "PAD"}) {
    EXPECT_TRUE(IsReservedName(name)) << name;
  }
  for (const char* name : {"ipaddr", "spare", "ct_zone_id", "padded_len_x", ""}) {
    EXPECT_FALSE(IsReservedName(name)) << name;
  }
}

}  // namespace
}  // namespace kcontract
