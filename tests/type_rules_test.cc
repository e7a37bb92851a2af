// libbpf's type rules (abi/libbpf/type_rules.h) on two C models compiled by
// clang: tests/models/rules_local.c, the object's side, and rules_kernel.c,
// the kernel's (built with -funsigned-char, as kernels are). Each case is a
// global variable or function of one name in both, whose two types the rule
// compares; the models' comments say what each pair differs in.
#include "abi/libbpf/type_rules.h"

#include <bpf/btf.h>

#include <memory>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "tests/test_support.h"

namespace kcontract {
namespace {

using ::kcontract::testing::FuncProto;
using ::kcontract::testing::ModelBtf;
using ::kcontract::testing::TypeNamed;
using ::kcontract::testing::VarType;

std::string_view CompatName(Compat compat) {
  switch (compat) {
    case Compat::kYes: return "yes";
    case Compat::kNo: return "no";
    case Compat::kError: return "error";
  }
  return "?";
}

class TypeRulesTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    local_ = ModelBtf("rules_local").release();
    kernel_ = ModelBtf("rules_kernel").release();
  }
  static void TearDownTestSuite() {
    delete local_;
    delete kernel_;
  }

  // The rule applied to the two types of the variable `name`.
  std::string_view AreCompat(std::string_view name) {
    return CompatName(TypesAreCompat(*local_, VarType(*local_, name), *kernel_,
                                     VarType(*kernel_, name)));
  }
  std::string_view FieldsCompat(std::string_view name) {
    return CompatName(FieldsAreCompat(*local_, VarType(*local_, name), *kernel_,
                                      VarType(*kernel_, name)));
  }
  std::string_view Match(std::string_view name) {
    return CompatName(TypesMatch(*local_, VarType(*local_, name), *kernel_,
                                 VarType(*kernel_, name)));
  }
  std::vector<ProtoDifference> Diff(std::string_view function) {
    return DiffFuncProtos(*local_, FuncProto(*local_, function), *kernel_,
                          FuncProto(*kernel_, function));
  }

  static const Btf* local_;
  static const Btf* kernel_;
};

const Btf* TypeRulesTest::local_ = nullptr;
const Btf* TypeRulesTest::kernel_ = nullptr;

// --- KindsCoreCompatible ---------------------------------------------------

TEST(KindsCoreCompatible, SameKindsAndTheTwoEnumKindsOnly) {
  EXPECT_TRUE(KindsCoreCompatible(BTF_KIND_STRUCT, BTF_KIND_STRUCT));
  EXPECT_TRUE(KindsCoreCompatible(BTF_KIND_INT, BTF_KIND_INT));
  EXPECT_TRUE(KindsCoreCompatible(BTF_KIND_ENUM, BTF_KIND_ENUM64));
  EXPECT_TRUE(KindsCoreCompatible(BTF_KIND_ENUM64, BTF_KIND_ENUM));
  EXPECT_FALSE(KindsCoreCompatible(BTF_KIND_STRUCT, BTF_KIND_UNION));
  EXPECT_FALSE(KindsCoreCompatible(BTF_KIND_FWD, BTF_KIND_STRUCT));
  EXPECT_FALSE(KindsCoreCompatible(BTF_KIND_INT, BTF_KIND_ENUM));
  EXPECT_FALSE(KindsCoreCompatible(BTF_KIND_TYPEDEF, BTF_KIND_INT));
}

// --- TypesAreCompat ----------------------------------------------------------

TEST_F(TypeRulesTest, AreCompatTakesAnyTwoIntegers) { EXPECT_EQ(AreCompat("tac_int_long"), "yes"); }

TEST_F(TypeRulesTest, AreCompatMatchesStructsByKindAloneNotMembersOrName) {
  EXPECT_EQ(AreCompat("tac_struct_kinds"), "yes");  // struct kc_one vs struct kc_other
  EXPECT_EQ(AreCompat("tac_struct_union"), "no");
  EXPECT_EQ(AreCompat("tac_enum"), "yes");  // enum kc_e1 vs enum kc_e2
}

TEST_F(TypeRulesTest, AreCompatFollowsPointersPastModifiersAndTypedefs) {
  EXPECT_EQ(AreCompat("tac_ptr_mods"), "yes");        // const s32 * vs int *
  EXPECT_EQ(AreCompat("tac_ptr_ptr_struct"), "no");   // struct ** vs int **
  EXPECT_EQ(AreCompat("tac_void_ptr"), "no");         // void * vs int *
  EXPECT_EQ(AreCompat("tac_void_void"), "yes");
}

TEST_F(TypeRulesTest, AreCompatComparesArrayElementsNotLengths) {
  EXPECT_EQ(AreCompat("tac_array_len"), "yes");   // int[4] vs long[8]
  EXPECT_EQ(AreCompat("tac_array_elem"), "no");   // int[4] vs struct kc_one[4]
}

TEST_F(TypeRulesTest, AreCompatRefusesAForwardDeclarationWhereTheKernelHasTheStruct) {
  EXPECT_EQ(AreCompat("tac_fwd_struct_ptr"), "no");
}

TEST_F(TypeRulesTest, AreCompatRecursesIntoPrototypes) {
  EXPECT_EQ(AreCompat("tac_fnptr_ints"), "yes");     // int (int, long) vs long (unsigned, int)
  EXPECT_EQ(AreCompat("tac_fnptr_count"), "no");     // one argument vs two
  EXPECT_EQ(AreCompat("tac_fnptr_argkind"), "no");   // int * vs int
}

TEST_F(TypeRulesTest, AreCompatGivesUpPastLibbpfsDepthOf32) {
  EXPECT_EQ(AreCompat("tac_ptr_depth_31"), "yes");
  EXPECT_EQ(AreCompat("tac_ptr_depth_32"), "error");
}

TEST_F(TypeRulesTest, AnIdOutOfRangeIsMalformed) {
  const TypeId beyond = kernel_->end_id();
  const TypeId some = VarType(*local_, "tac_int_long");
  EXPECT_EQ(TypesAreCompat(*local_, some, *kernel_, beyond), Compat::kError);
  EXPECT_EQ(FieldsAreCompat(*local_, some, *kernel_, beyond), Compat::kError);
  EXPECT_EQ(TypesMatch(*local_, some, *kernel_, beyond), Compat::kError);
}

// --- FieldsAreCompat ---------------------------------------------------------

TEST_F(TypeRulesTest, FieldsAreCompatTakesAnyCompositeForAnyComposite) {
  EXPECT_EQ(FieldsCompat("fac_struct_union"), "yes");
}

TEST_F(TypeRulesTest, FieldsAreCompatTakesAnyIntegerAnyPointerAnyFloat) {
  EXPECT_EQ(FieldsCompat("fac_int_sizes"), "yes");     // char vs long long
  EXPECT_EQ(FieldsCompat("fac_ptr_any"), "yes");       // struct kc_one * vs int *
  EXPECT_EQ(FieldsCompat("fac_float"), "yes");         // float vs double
  EXPECT_EQ(FieldsCompat("fac_typedef_mods"), "yes");  // const volatile u32 vs unsigned int
}

TEST_F(TypeRulesTest, FieldsAreCompatRefusesAnotherKind) {
  EXPECT_EQ(FieldsCompat("fac_int_ptr"), "no");
  EXPECT_EQ(FieldsCompat("fac_float_int"), "no");
}

TEST_F(TypeRulesTest, FieldsAreCompatNamesEnumsUnlessOneIsAnonymous) {
  EXPECT_EQ(FieldsCompat("fac_enum_same_name"), "yes");   // kc_e1, other enumerators
  EXPECT_EQ(FieldsCompat("fac_enum_other_name"), "no");   // kc_e1 vs kc_e2
  EXPECT_EQ(FieldsCompat("fac_enum_anon"), "yes");        // anonymous vs kc_e2
}

TEST_F(TypeRulesTest, FieldsAreCompatComparesArrayElements) {
  EXPECT_EQ(FieldsCompat("fac_array_elem_int"), "yes");   // int[2] vs long[3]
  EXPECT_EQ(FieldsCompat("fac_array_elem_kind"), "no");   // int[2] vs struct[2]
}

// --- TypesMatch --------------------------------------------------------------

TEST_F(TypeRulesTest, MatchFindsEveryLocalMemberByNameInAnyOrder) {
  EXPECT_EQ(Match("tm_struct_subset"), "yes");
  EXPECT_EQ(Match("tm_struct_missing"), "no");
}

TEST_F(TypeRulesTest, MatchComparesIntegerSizeAndSignedness) {
  EXPECT_EQ(Match("tm_int_size"), "no");  // int vs long
  EXPECT_EQ(Match("tm_int_sign"), "no");  // int vs unsigned int
}

TEST_F(TypeRulesTest, MatchComparesEssentialNames) {
  EXPECT_EQ(Match("tm_name_flavour"), "yes");  // kc_m_flav___local vs kc_m_flav
  EXPECT_EQ(Match("tm_name_other"), "no");     // kc_m_name vs kc_m_other
}

TEST_F(TypeRulesTest, MatchBehindAPointerComparesOnlyTheKind) {
  EXPECT_EQ(Match("tm_behind_ptr"), "yes");      // struct kc_m_ptr differs in members
  EXPECT_EQ(Match("tm_fwd_behind_ptr"), "yes");  // FWD vs STRUCT behind a pointer
}

TEST_F(TypeRulesTest, MatchRefusesAForwardDeclarationNotBehindAPointer) {
  EXPECT_EQ(TypesMatch(*local_, TypeNamed(*local_, "kc_m_fwd", BTF_KIND_FWD), *kernel_,
                       TypeNamed(*kernel_, "kc_m_fwd", BTF_KIND_STRUCT)),
            Compat::kNo);
}

TEST_F(TypeRulesTest, MatchWantsEveryLocalEnumeratorInTheKernelsEnum) {
  EXPECT_EQ(Match("tm_enum_subset"), "yes");
  EXPECT_EQ(Match("tm_enum_extra"), "no");
}

TEST_F(TypeRulesTest, MatchComparesArrayLengths) {
  EXPECT_EQ(Match("tm_array_same"), "yes");
  EXPECT_EQ(Match("tm_array_len"), "no");
}

// --- DiffFuncProtos ----------------------------------------------------------

TEST_F(TypeRulesTest, DiffIgnoresTypedefNamesAndTheKernelsUnsignedChar) {
  EXPECT_TRUE(Diff("dfp_same").empty());  // u64 vs unsigned long long
  EXPECT_TRUE(Diff("dfp_char").empty());  // char vs -funsigned-char's char
}

TEST_F(TypeRulesTest, DiffReportsSignednessLibbpfAccepts) {
  std::vector<ProtoDifference> diffs = Diff("dfp_sign");
  ASSERT_EQ(diffs.size(), 1u);
  EXPECT_EQ(diffs[0].argument, 0);
  EXPECT_EQ(diffs[0].argument_name, "serial");
  EXPECT_EQ(diffs[0].local_type, "int");
  EXPECT_EQ(diffs[0].target_type, "unsigned int");
  EXPECT_FALSE(diffs[0].libbpf_rejects);
  EXPECT_NE(diffs[0].why.find("libbpf accepts it"), std::string::npos) << diffs[0].why;
}

TEST_F(TypeRulesTest, DiffReportsSizesAndPointedToStructsLibbpfAccepts) {
  std::vector<ProtoDifference> size = Diff("dfp_size");
  ASSERT_EQ(size.size(), 1u);
  EXPECT_EQ(size[0].target_type, "long");
  EXPECT_FALSE(size[0].libbpf_rejects);
  std::vector<ProtoDifference> pointee = Diff("dfp_struct_ptr");
  ASSERT_EQ(pointee.size(), 1u);
  EXPECT_EQ(pointee[0].local_type, "struct kc_one *");
  EXPECT_EQ(pointee[0].target_type, "struct kc_other *");
  EXPECT_FALSE(pointee[0].libbpf_rejects);
}

TEST_F(TypeRulesTest, DiffReportsTheReturnTypeAsArgumentMinusOne) {
  std::vector<ProtoDifference> diffs = Diff("dfp_ret");
  ASSERT_EQ(diffs.size(), 1u);
  EXPECT_EQ(diffs[0].argument, -1);
  EXPECT_EQ(diffs[0].local_type, "int");
  EXPECT_EQ(diffs[0].target_type, "long");
}

TEST_F(TypeRulesTest, DiffReportsAnArgumentCountAloneAsRejected) {
  std::vector<ProtoDifference> diffs = Diff("dfp_count");
  ASSERT_EQ(diffs.size(), 1u);
  EXPECT_EQ(diffs[0].argument, -2);
  EXPECT_EQ(diffs[0].local_type, "1 arguments");
  EXPECT_EQ(diffs[0].target_type, "2 arguments");
  EXPECT_TRUE(diffs[0].libbpf_rejects);
}

TEST_F(TypeRulesTest, DiffSaysWhyLibbpfRejectsAnotherKind) {
  std::vector<ProtoDifference> diffs = Diff("dfp_kind");
  ASSERT_EQ(diffs.size(), 1u);
  EXPECT_TRUE(diffs[0].libbpf_rejects);
  EXPECT_EQ(diffs[0].why, "a PTR here but a INT in the kernel");
}

TEST_F(TypeRulesTest, DiffSaysToIncludeTheDefinitionForAForwardDeclaration) {
  std::vector<ProtoDifference> diffs = Diff("dfp_fwd");
  ASSERT_EQ(diffs.size(), 1u);
  EXPECT_TRUE(diffs[0].libbpf_rejects);
  EXPECT_NE(diffs[0].why.find("only as a forward declaration"), std::string::npos)
      << diffs[0].why;
  EXPECT_NE(diffs[0].why.find("FWD vs STRUCT"), std::string::npos) << diffs[0].why;
}

TEST_F(TypeRulesTest, DiffNamesAnUnnamedArgumentAfterTheKernels) {
  const TypeId local_proto = TypeId{local_->Type(VarType(*local_, "dfp_unnamed"))->type};
  std::vector<ProtoDifference> diffs =
      DiffFuncProtos(*local_, local_proto, *kernel_, FuncProto(*kernel_, "dfp_unnamed"));
  ASSERT_EQ(diffs.size(), 1u);
  EXPECT_EQ(diffs[0].argument, 0);
  EXPECT_EQ(diffs[0].argument_name, "serial");
}

TEST_F(TypeRulesTest, DiffOfSomethingOtherThanTwoPrototypesIsEmpty) {
  EXPECT_TRUE(DiffFuncProtos(*local_, VarType(*local_, "tac_int_long"), *kernel_,
                             FuncProto(*kernel_, "dfp_sign"))
                  .empty());
}

}  // namespace
}  // namespace kcontract
