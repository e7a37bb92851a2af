#include "btfdiff/model/c_decl.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "btfdiff/base/elf_image.h"
#include "btfdiff/inventory/struct_ops_inventory.h"
#include "btfdiff/model/btf.h"
#include "tests/test_support.h"

namespace kcontract {
namespace {

using testing::ReadFileOrDie;

std::unique_ptr<Btf> LoadModelBtf(const std::string& name) {
  static std::vector<Bytes> keep_alive;
  keep_alive.push_back(ReadFileOrDie(std::string(KCONTRACT_MODEL_DIR) + "/" + name + ".o"));
  auto elf = ElfImage::Open(keep_alive.back(), name);
  EXPECT_TRUE(elf.ok()) << elf.status();
  auto section = (*elf)->Section(".BTF");
  EXPECT_TRUE(section.ok() && section->has_value());
  auto btf = Btf::Parse((*section)->data, name);
  EXPECT_TRUE(btf.ok()) << btf.status();
  return std::move(*btf);
}

TEST(CRender, MatchesGoldenDeclarations) {
  std::unique_ptr<Btf> btf = LoadModelBtf("c_decl");
  std::string rendered;
  for (TypeId id : btf->IdsOfKind(BTF_KIND_FUNC)) {
    rendered += CFunctionDeclaration(*btf, id) + "\n";
  }
  for (TypeId id : btf->IdsOfKind(BTF_KIND_STRUCT)) {
    if (btf->Name(id) != "ops") continue;
    for (const StructOpsMember& member : DescribeStructOps(*btf, id).members) {
      rendered += member.declaration + "\n";
    }
  }
  std::ifstream golden(std::string(KCONTRACT_GOLDEN_DIR) + "/c_decl.txt");
  std::stringstream expected;
  expected << golden.rdbuf();
  EXPECT_EQ(rendered, expected.str());
}

TEST(CRender, MarksOnlyFunctionPointersAsCallbacks) {
  std::unique_ptr<Btf> btf = LoadModelBtf("c_decl");
  for (TypeId id : btf->IdsOfKind(BTF_KIND_STRUCT)) {
    if (btf->Name(id) != "ops") continue;
    StructOpsType ops = DescribeStructOps(*btf, id);
    std::vector<std::string> callbacks;
    for (const auto& m : ops.members) {
      if (m.is_callback) callbacks.push_back(m.name);
    }
    EXPECT_EQ(callbacks, (std::vector<std::string>{"init", "ssthresh", "cb_with_cb", "get_name"}));
    return;
  }
  FAIL() << "struct ops not found in model BTF";
}

TEST(CRender, InvalidIdRendersAsCommentNotCrash) {
  std::unique_ptr<Btf> btf = LoadModelBtf("c_decl");
  EXPECT_EQ(CTypeName(*btf, TypeId{btf->end_id().value + 5}),
            "/* bad type [" + std::to_string(btf->end_id().value + 5) + "] */");
}

}  // namespace
}  // namespace kcontract
