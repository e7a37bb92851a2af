// Differences the two kernels' configs explain (btfdiff/diff/config_cause.h):
// rule by rule on made-up configs, then on the shared kernels, where
// Debian's 6.12 (NR_CPUS=8192, tcp_bbr a module) meets the host's 6.18
// (NR_CPUS=256, BBR built in).
#include "btfdiff/diff/config_cause.h"

#include <string>
#include <vector>

#include "btfdiff/diff/kernel_diff.h"
#include "btfdiff/source/kernel_source.h"
#include "gtest/gtest.h"
#include "tests/test_support.h"

namespace kcontract {
namespace {

AbiChange Resized(std::string old_text, std::string new_text) {
  AbiChange change;
  change.kind = ChangeKind::kTypeMemberResized;
  change.subject_kind = SubjectKind::kType;
  change.subject = "struct cpumask";
  change.item = "member bits";
  change.old_text = std::move(old_text);
  change.new_text = std::move(new_text);
  return change;
}

const KernelConfig kOld = {{"CONFIG_NR_CPUS", "8192"}, {"CONFIG_NR_CPUS_DEFAULT", "8192"},
                           {"CONFIG_TCP_CONG_BBR", "m"}, {"CONFIG_NF_CONNTRACK", "m"},
                           {"CONFIG_NF_NAT", "m"},      {"CONFIG_HZ", "250"}};
const KernelConfig kNew = {{"CONFIG_NR_CPUS", "256"},  {"CONFIG_NR_CPUS_DEFAULT", "256"},
                           {"CONFIG_TCP_CONG_BBR", "y"}, {"CONFIG_NF_NAT", "m"},
                           {"CONFIG_HZ", "1000"}};

TEST(ConfigCause, ArraysSizedByANumericOption) {
  // bits[NR_CPUS / 64], and the 1024 bytes of a bitmap of 8192 bits.
  EXPECT_EQ(ConfigCause(Resized("long unsigned int bits[128]", "long unsigned int bits[4]"),
                        kOld, kNew),
            "CONFIG_NR_CPUS 8192 -> 256");
  EXPECT_EQ(ConfigCause(Resized("1024 bytes", "32 bytes"), kOld, kNew),
            "CONFIG_NR_CPUS 8192 -> 256");
  AbiChange size = Resized("8192 bytes", "256 bytes");
  size.kind = ChangeKind::kTypeSizeChanged;
  EXPECT_EQ(ConfigCause(size, kOld, kNew), "CONFIG_NR_CPUS 8192 -> 256");
}

TEST(ConfigCause, SizesNoOptionExplainsAreNotLabelled) {
  EXPECT_EQ(ConfigCause(Resized("int a[14]", "int a[12]"), kOld, kNew), "");
  // Only one side matching is a coincidence, not a cause.
  EXPECT_EQ(ConfigCause(Resized("int a[128]", "int a[5]"), kOld, kNew), "");
  // Bitfield widths are not sizes of arrays.
  EXPECT_EQ(ConfigCause(Resized("32 bits", "8 bits"), kOld, kNew), "");
  // An option both kernels set alike explains nothing.
  KernelConfig same = kOld;
  EXPECT_EQ(ConfigCause(Resized("long unsigned int bits[128]", "long unsigned int bits[4]"),
                        kOld, same),
            "");
}

TEST(ConfigCause, ModulesBuiltInOrNotBuilt) {
  AbiChange moved;
  moved.kind = ChangeKind::kKfuncModuleChanged;
  moved.subject = "bbr_main";
  moved.old_text = "tcp_bbr";
  moved.new_text = "vmlinux";
  EXPECT_EQ(ConfigCause(moved, kOld, kNew), "CONFIG_TCP_CONG_BBR m -> y");

  AbiChange removed;
  removed.kind = ChangeKind::kKfuncRemoved;
  removed.subject = "bpf_ct_release";
  removed.module = "nf_conntrack";
  EXPECT_EQ(ConfigCause(removed, kOld, kNew), "CONFIG_NF_CONNTRACK m -> n");
  // nf_nat is built in both: its kfunc's removal is the source's doing.
  removed.module = "nf_nat";
  EXPECT_EQ(ConfigCause(removed, kOld, kNew), "");
  // A vmlinux kfunc removed is never the config's doing here.
  removed.module.reset();
  EXPECT_EQ(ConfigCause(removed, kOld, kNew), "");
}

TEST(ConfigCause, ModuleOptionByNameOnlyWhenUnambiguous) {
  EXPECT_EQ(ModuleOption("nf_conntrack", {"CONFIG_NF_CONNTRACK", "CONFIG_TCP_CONG_BBR"}),
            "CONFIG_NF_CONNTRACK");
  EXPECT_EQ(ModuleOption("tcp_bbr", {"CONFIG_NF_CONNTRACK", "CONFIG_TCP_CONG_BBR"}),
            "CONFIG_TCP_CONG_BBR");
  EXPECT_EQ(ModuleOption("tcp_bbr", {"CONFIG_TCP_CONG_BBR", "CONFIG_X_BBR"}), "");
  EXPECT_EQ(ModuleOption("tcp_bbr", {"CONFIG_NF_CONNTRACK"}), "");
}

TEST(ConfigCause, NothingWithoutBothConfigs) {
  KernelBtf old_kernel, new_kernel;
  old_kernel.config = kOld;
  KernelDiff diff;
  diff.changes = {Resized("long unsigned int bits[128]", "long unsigned int bits[4]")};
  LabelConfigCauses(old_kernel, new_kernel, &diff);
  EXPECT_EQ(diff.changes[0].config_cause, "");
  new_kernel.config = kNew;
  LabelConfigCauses(old_kernel, new_kernel, &diff);
  EXPECT_EQ(diff.changes[0].config_cause, "CONFIG_NR_CPUS 8192 -> 256");
}

TEST(ConfigCause, DebianSixTwelveAgainstTheHostsSixEighteen) {
  std::filesystem::path old_dir = testing::SharedKernelDir("debian-6.12.111-amd64");
  std::filesystem::path new_dir = testing::SharedKernelDir("host-6.18.44");
  KC_REQUIRE_PATH(old_dir);
  KC_REQUIRE_PATH(new_dir);
  absl::StatusOr<std::unique_ptr<KernelBtf>> old_kernel = LoadKernel(old_dir.string());
  absl::StatusOr<std::unique_ptr<KernelBtf>> new_kernel = LoadKernel(new_dir.string());
  ASSERT_TRUE(old_kernel.ok()) << old_kernel.status();
  ASSERT_TRUE(new_kernel.ok()) << new_kernel.status();
  ASSERT_TRUE((*old_kernel)->config && (*new_kernel)->config);
  KernelDiff diff = DiffKernels(**old_kernel, **new_kernel);
  auto cause = [&](std::string_view subject, std::string_view item) {
    for (const AbiChange& change : diff.changes) {
      if (change.subject == subject && change.item == item) return change.config_cause;
    }
    return std::string("(no such change)");
  };
  EXPECT_EQ(cause("struct cpumask", "member bits"), "CONFIG_NR_CPUS 8192 -> 256");
  EXPECT_EQ(cause("bbr_main", "module"), "CONFIG_TCP_CONG_BBR m -> y");
  // bbr_main's prototype is the same in both: only the module moved. A
  // change the source made is not labelled.
  size_t labelled = 0;
  for (const AbiChange& change : diff.changes) {
    if (change.config_cause.empty()) continue;
    ++labelled;
    EXPECT_TRUE(change.kind == ChangeKind::kKfuncModuleChanged ||
                change.kind == ChangeKind::kTypeMemberResized ||
                change.kind == ChangeKind::kTypeSizeChanged ||
                change.kind == ChangeKind::kKfuncAdded || change.kind == ChangeKind::kKfuncRemoved)
        << change.subject << " " << change.item;
  }
  EXPECT_GE(labelled, 10u);
  EXPECT_LT(labelled, diff.changes.size() / 4);
}

}  // namespace
}  // namespace kcontract
