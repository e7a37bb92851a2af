// LazyInventory: each inventory is the one CollectKfuncs / CollectStructOps
// gives, collected once however many ask, threads included (gate -jN).
#include "btfdiff/inventory/lazy_inventory.h"

#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

#include "btfdiff/source/kernel_source.h"
#include "tests/test_support.h"

namespace kcontract {
namespace {

using ::kcontract::testing::ModelKernelPath;

std::vector<std::string> KfuncNames(const KfuncSet& set) {
  std::vector<std::string> names;
  for (const Kfunc& kfunc : set.kfuncs) names.push_back(kfunc.name + " " + kfunc.proto);
  return names;
}

std::vector<std::string> TableNames(const std::vector<StructOpsType>& tables) {
  std::vector<std::string> names;
  for (const StructOpsType& table : tables) {
    names.push_back(table.name + " " + std::to_string(table.members.size()));
  }
  return names;
}

// thp_rfc_v4: a model kernel with both kfuncs and a struct_ops table.
TEST(LazyInventoryTest, GivesWhatCollectingGivesOnceToEveryThread) {
  absl::StatusOr<std::unique_ptr<KernelBtf>> kernel =
      LoadKernel(ModelKernelPath("thp_rfc_v4"));
  ASSERT_TRUE(kernel.ok()) << kernel.status();
  LazyInventory inventory(**kernel);
  constexpr int kThreads = 4;
  std::vector<const KfuncSet*> kfuncs(kThreads);
  std::vector<const std::vector<StructOpsType>*> tables(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      kfuncs[t] = &inventory.kfuncs();
      tables[t] = &inventory.struct_ops();
    });
  }
  for (std::thread& thread : threads) thread.join();
  for (int t = 1; t < kThreads; ++t) {
    EXPECT_EQ(kfuncs[t], kfuncs[0]);
    EXPECT_EQ(tables[t], tables[0]);
  }
  const std::vector<std::string> expected_kfuncs = KfuncNames(CollectKfuncs(**kernel));
  const std::vector<std::string> expected_tables = TableNames(CollectStructOps(**kernel));
  ASSERT_FALSE(expected_kfuncs.empty());
  ASSERT_FALSE(expected_tables.empty());
  EXPECT_EQ(KfuncNames(*kfuncs[0]), expected_kfuncs);
  EXPECT_EQ(TableNames(*tables[0]), expected_tables);
  EXPECT_EQ(&inventory.kernel(), kernel->get());
}

}  // namespace
}  // namespace kcontract
