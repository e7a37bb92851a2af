#include "btfdiff/model/name_index.h"

#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <gtest/gtest.h>

#include <climits>
#include <memory>
#include <string>
#include <vector>

#include "abi/libbpf/libbpf_check.h"
#include "btfdiff/model/kernel_btf.h"
#include "btfdiff/model/type_name.h"

namespace kcontract {
namespace {

// libbpf's BTF of a model object built by tests/CMakeLists.txt.
struct btf* ParseModel(const std::string& name, struct btf* base = nullptr) {
  std::string path = std::string(KCONTRACT_MODEL_DIR) + "/" + name + ".o";
  struct btf* btf = btf__parse_elf(path.c_str(), nullptr);
  EXPECT_EQ(libbpf_get_error(btf), 0) << path;
  if (base == nullptr) return btf;
  // A module's BTF is split over vmlinux's: its ids follow vmlinux's.
  struct btf* split = btf__new_empty_split(base);
  EXPECT_GT(btf__add_btf(split, btf), 0) << path;
  btf__free(btf);
  return split;
}

std::unique_ptr<Btf> ToModel(struct btf* btf, const std::string& what, const Btf* base) {
  uint32_t size = 0;
  const void* raw = btf__raw_data(btf, &size);
  auto parsed = Btf::Parse(ByteView(static_cast<const uint8_t*>(raw), size), what, base);
  EXPECT_TRUE(parsed.ok()) << parsed.status();
  return std::move(*parsed);
}

// The model kernel: vmlinux from tests/models/name_index_vmlinux{,_dup}.c,
// modules mod_a and mod_b from name_index_module_{a,b}.c.
std::unique_ptr<KernelBtf> LoadModelKernel() {
  auto kernel = std::make_unique<KernelBtf>();
  kernel->source = "name_index model";
  struct btf* vmlinux = ParseModel("name_index_vmlinux_linked");
  // clang 14 writes no ENUM64: add one, and a flavour of it, as libbpf would
  // read them from a kernel built by a newer compiler.
  EXPECT_GT(btf__add_enum64(vmlinux, "wide", 8, false), 0);
  EXPECT_EQ(btf__add_enum64_value(vmlinux, "WIDE_BIG", 1ULL << 40), 0);
  EXPECT_GT(btf__add_enum64(vmlinux, "wide___v2", 8, false), 0);
  EXPECT_EQ(btf__add_enum64_value(vmlinux, "WIDE_BIGGER", 1ULL << 41), 0);
  kernel->vmlinux = ToModel(vmlinux, "vmlinux", nullptr);
  for (const char* module : {"mod_a", "mod_b"}) {
    std::string source = std::string("name_index_module_") + (module + 4);
    struct btf* split = ParseModel(source, vmlinux);
    ModuleBtf loaded;
    loaded.name = module;
    loaded.btf = ToModel(split, module, kernel->vmlinux.get());
    kernel->modules.push_back(std::move(loaded));
    btf__free(split);
  }
  btf__free(vmlinux);
  return kernel;
}

// Ids of `kind` named `name` in `btf`'s own types, in id order.
std::vector<TypeId> IdsNamed(const Btf& btf, uint32_t kind, std::string_view name) {
  std::vector<TypeId> ids;
  for (TypeId id : btf.IdsOfKind(kind)) {
    if (btf.Name(id) == name) ids.push_back(id);
  }
  return ids;
}

std::string Describe(const std::optional<NamedType>& found) {
  if (!found) return "absent";
  return std::string(found->module ? *found->module : "vmlinux") + ":" +
         std::string(KindName(found->btf->Kind(found->id))) + " " +
         std::string(found->btf->Name(found->id));
}

std::vector<std::string> Describe(const std::vector<NamedType>& found) {
  std::vector<std::string> out;
  for (const NamedType& type : found) out.push_back(Describe(type));
  return out;
}

// Every test runs twice: answered by scans (before the index is built) and
// by the index; both must give libbpf's answers.
class NameIndexTest : public ::testing::TestWithParam<int> {
 protected:
  void SetUp() override {
    kernel_ = LoadModelKernel();
    ASSERT_NE(kernel_->vmlinux, nullptr);
    ASSERT_EQ(kernel_->modules.size(), 2u);
    index_ = std::make_unique<KernelNameIndex>(*kernel_, GetParam());
  }
  void TearDown() override {
    EXPECT_EQ(index_->built(), GetParam() == 0) << "the lookups took the other path";
  }

  const Btf& vmlinux() const { return *kernel_->vmlinux; }

  std::unique_ptr<KernelBtf> kernel_;
  std::unique_ptr<KernelNameIndex> index_;
};

INSTANTIATE_TEST_SUITE_P(ScannedAndIndexed, NameIndexTest, ::testing::Values(INT_MAX, 0),
                         [](const ::testing::TestParamInfo<int>& info) {
                           return info.param == 0 ? std::string("Indexed")
                                                  : std::string("Scanned");
                         });

TEST_P(NameIndexTest, ExactLookupTakesVmlinuxFirstThenModulesInOrder) {
  // struct shared is in vmlinux and in both modules.
  std::optional<NamedType> shared = index_->Find("shared", BTF_KIND_STRUCT);
  ASSERT_TRUE(shared.has_value());
  EXPECT_EQ(shared->btf, &vmlinux());
  EXPECT_EQ(shared->module, nullptr);
  EXPECT_EQ(shared->id, IdsNamed(vmlinux(), BTF_KIND_STRUCT, "shared").at(0));
  // struct mod_twice is in both modules only: the first module's.
  std::optional<NamedType> twice = index_->Find("mod_twice", BTF_KIND_STRUCT);
  ASSERT_TRUE(twice.has_value());
  ASSERT_NE(twice->module, nullptr);
  EXPECT_EQ(*twice->module, "mod_a");
  EXPECT_EQ(twice->btf, kernel_->modules[0].btf.get());
  // The kind must be the one asked for.
  EXPECT_FALSE(index_->Find("shared", BTF_KIND_UNION).has_value());
  EXPECT_FALSE(index_->Find("shared_var", BTF_KIND_STRUCT).has_value());
  EXPECT_EQ(Describe(index_->Find("shared_var", BTF_KIND_VAR)), "vmlinux:VAR shared_var");
  EXPECT_EQ(Describe(index_->Find("mod_func", BTF_KIND_FUNC)), "mod_a:FUNC mod_func");
  EXPECT_FALSE(index_->Find("no_such_type", BTF_KIND_STRUCT).has_value());
  EXPECT_FALSE(index_->Find("", BTF_KIND_STRUCT).has_value());
}

TEST_P(NameIndexTest, RepeatedNamesFindTheLowestId) {
  std::vector<TypeId> dups = IdsNamed(vmlinux(), BTF_KIND_FUNC, "dup");
  ASSERT_EQ(dups.size(), 2u) << "the model vmlinux repeats the static function dup";
  std::optional<NamedType> found = index_->Find("dup", BTF_KIND_FUNC);
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->id, dups[0]);
  // The first is name_index_vmlinux.c's, with one parameter.
  EXPECT_EQ(btf_vlen(vmlinux().Type(TypeId{vmlinux().Type(found->id)->type})), 1);
}

TEST_P(NameIndexTest, FlavouredNamesAreExactNamesAndCoreCandidates) {
  EXPECT_EQ(Describe(index_->Find("task", BTF_KIND_STRUCT)), "vmlinux:STRUCT task");
  EXPECT_EQ(Describe(index_->Find("task___v2", BTF_KIND_STRUCT)), "vmlinux:STRUCT task___v2");
  EXPECT_FALSE(index_->Find("task___v3", BTF_KIND_STRUCT).has_value());
  // CO-RE: both are candidates for the essential name, in id order.
  EXPECT_EQ(Describe(index_->CoreCandidates("task", BTF_KIND_STRUCT)),
            (std::vector<std::string>{"vmlinux:STRUCT task", "vmlinux:STRUCT task___v2"}));
  EXPECT_TRUE(index_->CoreCandidates("task", BTF_KIND_UNION).empty());
  EXPECT_TRUE(index_->CoreCandidates("tas", BTF_KIND_STRUCT).empty());
}

TEST_P(NameIndexTest, CoreCandidatesComeFromModulesOnlyWhenVmlinuxHasNone) {
  EXPECT_EQ(Describe(index_->CoreCandidates("shared", BTF_KIND_STRUCT)),
            (std::vector<std::string>{"vmlinux:STRUCT shared"}));
  // libbpf's bpf_core_find_cands: every module, not only the first.
  EXPECT_EQ(Describe(index_->CoreCandidates("mod_twice", BTF_KIND_STRUCT)),
            (std::vector<std::string>{"mod_a:STRUCT mod_twice", "mod_b:STRUCT mod_twice"}));
  EXPECT_EQ(Describe(index_->CoreCandidates("mod_only", BTF_KIND_STRUCT)),
            (std::vector<std::string>{"mod_a:STRUCT mod_only"}));
}

TEST_P(NameIndexTest, EnumAndEnum64AreOneKindForCoreOnly) {
  EXPECT_EQ(Describe(index_->CoreCandidates("wide", BTF_KIND_ENUM)),
            (std::vector<std::string>{"vmlinux:ENUM64 wide", "vmlinux:ENUM64 wide___v2"}));
  EXPECT_EQ(Describe(index_->CoreCandidates("small", BTF_KIND_ENUM64)),
            (std::vector<std::string>{"vmlinux:ENUM small"}));
  EXPECT_EQ(Describe(index_->Find("wide", BTF_KIND_ENUM64)), "vmlinux:ENUM64 wide");
  EXPECT_FALSE(index_->Find("wide", BTF_KIND_ENUM).has_value());
  EXPECT_FALSE(index_->Find("small", BTF_KIND_ENUM64).has_value());
  // A contract's "enum x" names either.
  EXPECT_EQ(Describe(index_->FindKernelType("enum wide")), "vmlinux:ENUM64 wide");
  EXPECT_EQ(Describe(index_->FindKernelType("enum small")), "vmlinux:ENUM small");
  EXPECT_EQ(Describe(index_->FindKernelType("enum wide___v2")), "vmlinux:ENUM64 wide___v2");
}

TEST_P(NameIndexTest, ContractNamesWithAndWithoutKeyword) {
  EXPECT_EQ(Describe(index_->FindKernelType("struct task")), "vmlinux:STRUCT task");
  EXPECT_EQ(Describe(index_->FindKernelType("struct task___v2")), "vmlinux:STRUCT task___v2");
  EXPECT_EQ(Describe(index_->FindKernelType("union onion")), "vmlinux:UNION onion");
  EXPECT_EQ(Describe(index_->FindKernelType("u64")), "vmlinux:TYPEDEF u64");
  // A bare name: the typedef, else the struct, union or enum of that name.
  EXPECT_EQ(Describe(index_->FindKernelType("both")), "vmlinux:TYPEDEF both");
  EXPECT_EQ(Describe(index_->FindKernelType("struct both")), "vmlinux:STRUCT both");
  EXPECT_EQ(Describe(index_->FindKernelType("task")), "vmlinux:STRUCT task");
  EXPECT_EQ(Describe(index_->FindKernelType("onion")), "vmlinux:UNION onion");
  EXPECT_EQ(Describe(index_->FindKernelType("small")), "vmlinux:ENUM small");
  EXPECT_EQ(Describe(index_->FindKernelType("shared")), "vmlinux:STRUCT shared");
  // The keyword must name the kind; only kinds a contract can name count.
  EXPECT_EQ(Describe(index_->FindKernelType("struct onion")), "absent");
  EXPECT_EQ(Describe(index_->FindKernelType("struct u64")), "absent");
  EXPECT_EQ(Describe(index_->FindKernelType("union task")), "absent");
  EXPECT_EQ(Describe(index_->FindKernelType("dup")), "absent");
  EXPECT_EQ(Describe(index_->FindKernelType("shared_var")), "absent");
  // Not names a contract writes.
  EXPECT_EQ(Describe(index_->FindKernelType("typedef u64")), "absent");
  EXPECT_EQ(Describe(index_->FindKernelType("struct  task")), "absent");
  EXPECT_EQ(Describe(index_->FindKernelType("struct ")), "absent");
  EXPECT_EQ(Describe(index_->FindKernelType("")), "absent");
}

TEST_P(NameIndexTest, ModuleOnlyTypes) {
  EXPECT_EQ(Describe(index_->Find("mod_only", BTF_KIND_STRUCT)), "mod_a:STRUCT mod_only");
  EXPECT_EQ(Describe(index_->FindKernelType("struct mod_only")), "mod_a:STRUCT mod_only");
  EXPECT_EQ(Describe(index_->FindKernelType("mod_typedef")), "mod_a:TYPEDEF mod_typedef");
  EXPECT_EQ(Describe(index_->FindKernelType("struct mod_twice")), "mod_a:STRUCT mod_twice");
  // libbpf 1.1 looks struct_ops types up in vmlinux alone.
  EXPECT_FALSE(index_->FindInVmlinux("mod_only", BTF_KIND_STRUCT).has_value());
  EXPECT_EQ(Describe(index_->FindInVmlinux("shared", BTF_KIND_STRUCT)), "vmlinux:STRUCT shared");
}

TEST(KernelNameIndex, ScansAFewLookupsThenIndexes) {
  std::unique_ptr<KernelBtf> kernel = LoadModelKernel();
  KernelNameIndex index(*kernel);
  for (int i = 0; i < KernelNameIndex::kDefaultScannedLookups; ++i) {
    ASSERT_TRUE(index.Find("shared", BTF_KIND_STRUCT).has_value());
  }
  EXPECT_FALSE(index.built());
  ASSERT_TRUE(index.Find("shared", BTF_KIND_STRUCT).has_value());
  EXPECT_TRUE(index.built());
}

// An object asks for one root type once per relocation: the same answer,
// and only distinct questions count towards building the index.
TEST(KernelNameIndex, RepeatedCoreQuestionsAreAnsweredFromMemory) {
  std::unique_ptr<KernelBtf> kernel = LoadModelKernel();
  KernelNameIndex index(*kernel, /*scanned_lookups=*/2);
  std::vector<NamedType> first = index.CoreCandidates("task", BTF_KIND_STRUCT);
  ASSERT_EQ(first.size(), 2u);
  for (int i = 0; i < 100; ++i) {
    std::vector<NamedType> again = index.CoreCandidates("task", BTF_KIND_STRUCT);
    ASSERT_EQ(again.size(), first.size());
    EXPECT_EQ(again[1].id, first[1].id);
  }
  EXPECT_FALSE(index.built());
  // The same name for another kind is another question.
  EXPECT_TRUE(index.CoreCandidates("task", BTF_KIND_UNION).empty());
  EXPECT_FALSE(index.built());
  index.CoreCandidates("shared", BTF_KIND_STRUCT);
  EXPECT_TRUE(index.built());
}

TEST(KernelNameIndex, OnePerKernelWhoeverAsks) {
  std::unique_ptr<KernelBtf> kernel = LoadModelKernel();
  const KernelNameIndex& names = kernel->names();
  EXPECT_EQ(&kernel->names(), &names);
  CheckTarget target(*kernel);
  EXPECT_EQ(&target.names(), &names);
}

TEST(KernelLabel, IsTheReleaseElseTheSourceAsGiven) {
  KernelBtf kernel;
  kernel.source = "../shared/kernels/host-6.18.44/vmlinux.btf";
  EXPECT_EQ(KernelLabel(kernel), "../shared/kernels/host-6.18.44/vmlinux.btf");
  kernel.release = "6.18.44";
  EXPECT_EQ(KernelLabel(kernel), "6.18.44");
}

}  // namespace
}  // namespace kcontract
