// Each row of libbpf's rule table (abi/libbpf/libbpf_version.h) on an object
// made for it (tests/libbpf_versions/*.bpf.c) against a model kernel
// (tests/libbpf_versions/kernel.c): the verdict the check gives under every
// release from 1.1 to 1.7, and the finding that says which rule decided it.
#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "abi/libbpf/libbpf_check.h"
#include "abi/libbpf/libbpf_version.h"
#include "abi/libbpf/section_rules.h"
#include "abi/policy/finding_policy.h"
#include "absl/strings/str_format.h"
#include "btfdiff/source/kernel_source.h"
#include "tests/test_support.h"

namespace kcontract {
namespace {

std::string DataPath(const std::string& name) {
  return std::string(KC_LIBBPF_VERSIONS_DIR) + "/" + name;
}

std::unique_ptr<BpfObject> Object(const std::string& name) {
  auto objects = ReadBpfObjects(DataPath(name + ".bpf.o"));
  EXPECT_TRUE(objects.ok()) << objects.status();
  if (!objects.ok() || objects->size() != 1) return nullptr;
  return std::move(objects->front());
}

std::unique_ptr<KernelBtf> Kernel(const std::string& release) {
  absl::StatusOr<std::unique_ptr<KernelBtf>> kernel = LoadKernel(DataPath("kernel.btf"));
  EXPECT_TRUE(kernel.ok()) << kernel.status();
  if (!kernel.ok()) return nullptr;
  (*kernel)->release = release;
  return std::move(*kernel);
}

LibbpfVersion V(std::string_view text) { return ParseLibbpfVersion(text).value(); }

constexpr std::string_view kReleases[] = {"1.1", "1.2", "1.3", "1.4", "1.5", "1.6", "1.7"};

ObjectCheck Check(const BpfObject& object, const KernelBtf& kernel, std::string_view release) {
  CheckTarget target(kernel);
  CheckOptions options;
  options.libbpf = OptionLibbpf(V(release));
  ObjectCheck check = CheckObject(object, target, options);
  JudgeCheck(CheckPolicy{}, &check);
  return check;
}

std::string Verdict(const ObjectCheck& check) {
  return check.verdict == LoadStage::kNone ? "loads" : std::string(LoadStageName(check.verdict));
}

std::string Findings(const ObjectCheck& check) {
  std::string text;
  for (const Finding& f : check.findings) {
    text += absl::StrFormat("  [%s] %s: %s\n", f.code, f.subject, f.message);
  }
  return text;
}

const Finding* FindingWith(const ObjectCheck& check, std::string_view code) {
  for (const Finding& f : check.findings) {
    if (f.code == code) return &f;
  }
  return nullptr;
}

// One object on one kernel: the verdict under each release, 1.1 to 1.7.
struct Row {
  std::string object;
  std::string release;  // the kernel's
  std::vector<std::string> verdicts;
};

class LibbpfRulesTest : public ::testing::TestWithParam<Row> {};

TEST_P(LibbpfRulesTest, VerdictPerRelease) {
  const Row& row = GetParam();
  std::unique_ptr<BpfObject> object = Object(row.object);
  std::unique_ptr<KernelBtf> kernel = Kernel(row.release);
  ASSERT_TRUE(object && kernel);
  ASSERT_EQ(row.verdicts.size(), std::size(kReleases));
  for (size_t i = 0; i < std::size(kReleases); ++i) {
    ObjectCheck check = Check(*object, *kernel, kReleases[i]);
    EXPECT_EQ(Verdict(check), row.verdicts[i])
        << row.object << " on " << row.release << " with libbpf " << kReleases[i] << ":\n"
        << Findings(check);
    EXPECT_EQ(check.libbpf.Describe(), std::string(kReleases[i]) + " (--libbpf)");
  }
}

const std::string L = "loads";
INSTANTIATE_TEST_SUITE_P(
    EveryRule, LibbpfRulesTest,
    ::testing::Values(
        //                                              1.1  1.2  1.3  1.4  1.5  1.6  1.7
        Row{"kfunc_flavour", "6.12.0", {"extern", "extern", L, L, L, L, L}},
        Row{"kfunc_weak_flavours", "6.12.0", {"verifier", "verifier", L, L, L, L, L}},
        Row{"kfunc_weak_incompatible", "6.12.0", {"extern", "extern", L, L, L, L, L}},
        Row{"kfunc_weak_absent", "6.1.0", {"verifier", L, L, L, L, L, L}},
        Row{"kfunc_weak_absent", "6.12.0", {L, L, L, L, L, L, L}},
        Row{"struct_ops_link", "6.12.0", {"verifier", L, L, L, L, L, L}},
        Row{"struct_ops_link", "6.1.0",
            {"verifier", "struct_ops", "struct_ops", "struct_ops", "struct_ops", "struct_ops",
             "struct_ops"}},
        Row{"struct_ops_sleepable", "6.12.0", {"open", L, L, L, L, L, L}},
        Row{"struct_ops_zero_member", "6.12.0",
            {"struct_ops", "struct_ops", "struct_ops", L, L, L, L}},
        Row{"struct_ops_flavour", "6.12.0", {"struct_ops", "struct_ops", "struct_ops", L, L, L, L}},
        Row{"struct_ops_optional", "6.12.0", {"verifier", "verifier", "verifier", L, L, L, L}},
        Row{"struct_ops_shared", "6.12.0", {"open", "open", "open", L, L, L, L}},
        Row{"struct_ops_unreferenced", "6.12.0",
            {"verifier", "verifier", "verifier", "verifier", "attach", "attach", "attach"}},
        Row{"tcx_program", "6.12.0", {"attach", "attach", L, L, L, L, L}},
        Row{"session_programs", "6.12.0", {"attach", "attach", "attach", "attach", L, L, L}}),
    [](const ::testing::TestParamInfo<Row>& info) {
      std::string name = info.param.object + "_on_" + info.param.release;
      for (char& c : name) {
        if (c == '.') c = '_';
      }
      return name;
    });

// The finding that decides a version-dependent verdict names its rule.
TEST(LibbpfRules, FindingsNameTheRuleThatDecides) {
  std::unique_ptr<KernelBtf> k612 = Kernel("6.12.0");
  std::unique_ptr<KernelBtf> k61 = Kernel("6.1.0");
  ASSERT_TRUE(k612 && k61);
  struct Case {
    std::string object;
    const KernelBtf* kernel;
    std::string release;
    std::string code;
    LibbpfFeature rule;
  };
  const Case cases[] = {
      {"kfunc_flavour", k612.get(), "1.2", "kfunc-missing", LibbpfFeature::kKfuncFlavour},
      {"kfunc_weak_incompatible", k612.get(), "1.1", "kfunc-proto",
       LibbpfFeature::kWeakKfuncIncompatibleUnresolved},
      {"kfunc_weak_incompatible", k612.get(), "1.3", "kfunc-weak-incompatible",
       LibbpfFeature::kWeakKfuncIncompatibleUnresolved},
      {"kfunc_weak_absent", k61.get(), "1.1", "kfunc-weak-absent",
       LibbpfFeature::kWeakKfuncCallPoisoned},
      {"struct_ops_link", k612.get(), "1.1", "struct-ops-unbound",
       LibbpfFeature::kStructOpsLinkSection},
      {"struct_ops_sleepable", k612.get(), "1.1", "struct-ops-program-type",
       LibbpfFeature::kSleepableStructOpsSection},
      {"struct_ops_sleepable", k612.get(), "1.1", "no-prog-type",
       LibbpfFeature::kSleepableStructOpsSection},
      {"struct_ops_zero_member", k612.get(), "1.3", "struct-ops-member",
       LibbpfFeature::kStructOpsZeroMemberSkipped},
      {"struct_ops_zero_member", k612.get(), "1.4", "struct-ops-member",
       LibbpfFeature::kStructOpsZeroMemberSkipped},
      {"struct_ops_flavour", k612.get(), "1.3", "struct-ops-missing",
       LibbpfFeature::kStructOpsTypeFlavour},
      {"struct_ops_optional", k612.get(), "1.3", "struct-ops-unbound",
       LibbpfFeature::kOptionalStructOpsSection},
      {"struct_ops_shared", k612.get(), "1.3", "struct-ops-shared-program",
       LibbpfFeature::kStructOpsProgramShared},
      {"struct_ops_unreferenced", k612.get(), "1.4", "struct-ops-unbound",
       LibbpfFeature::kUnreferencedStructOpsRefused},
  };
  for (const Case& c : cases) {
    std::unique_ptr<BpfObject> object = Object(c.object);
    ASSERT_NE(object, nullptr);
    ObjectCheck check = Check(*object, *c.kernel, c.release);
    const Finding* f = FindingWith(check, c.code);
    ASSERT_NE(f, nullptr) << c.object << " with " << c.release << ":\n" << Findings(check);
    EXPECT_NE(f->message.find(RuleOf(c.rule).name), std::string::npos)
        << c.object << " with " << c.release << ": " << f->message;
  }
}

// A section's program type is each release's, whatever the libbpf the
// object reader asked (the linked one).
TEST(LibbpfRules, ProgramSectionsAreTypedByTheReleaseThatKnowsThem) {
  BpfProgram tcx;
  tcx.section = "tcx/ingress";  // as the linked 1.1.2 leaves it: no type
  EXPECT_EQ(ProgTypeFor(tcx, V("1.2")), "");
  EXPECT_EQ(ProgTypeFor(tcx, V("1.3")), "sched_cls");
  BpfProgram sleepable;
  sleepable.section = "struct_ops.s/init";
  sleepable.prog_type = "struct_ops";  // as a newer linked libbpf would type it
  EXPECT_EQ(ProgTypeFor(sleepable, V("1.1")), "");
  EXPECT_EQ(ProgTypeFor(sleepable, V("1.2")), "struct_ops");
  BpfProgram verdict;
  verdict.section = "sk_skb/verdict";
  EXPECT_EQ(ProgTypeFor(verdict, V("1.3")), "");
  EXPECT_EQ(ProgTypeFor(verdict, V("1.4")), "sk_skb");
  BpfProgram multi;
  multi.section = "uretprobe.multi.s/usr/bin/foo:bar";
  EXPECT_EQ(ProgTypeFor(multi, V("1.3")), "kprobe");
  BpfProgram plain;
  plain.section = "kprobe/do_exit";
  plain.prog_type = "kprobe";
  EXPECT_EQ(ProgTypeFor(plain, V("1.1")), "kprobe");
  EXPECT_EQ(SectionFeature(plain), std::nullopt);
}

// The explanation the issue asks for, word for word where it matters.
TEST(LibbpfRules, StructOpsLinkOnLibbpf11SaysTheKernelRefusesItsPrograms) {
  std::unique_ptr<BpfObject> object = Object("struct_ops_link");
  std::unique_ptr<KernelBtf> kernel = Kernel("6.12.0");
  ASSERT_TRUE(object && kernel);
  ObjectCheck check = Check(*object, *kernel, "1.1");
  const Finding* f = FindingWith(check, "struct-ops-unbound");
  ASSERT_NE(f, nullptr) << Findings(check);
  EXPECT_EQ(f->subject, "kc_link_init");
  EXPECT_NE(f->message.find("libbpf 1.1 skips section .struct_ops.link"), std::string::npos)
      << f->message;
  EXPECT_NE(f->message.find("-524"), std::string::npos) << f->message;
  EXPECT_NE(f->message.find("libbpf >= 1.2 reads it"), std::string::npos) << f->message;
  // From 1.2 the map is read and its type checked: nothing to say.
  EXPECT_EQ(Findings(Check(*object, *kernel, "1.2")), "");
}

// A weak flavour's call the guard rules out is dead once libbpf resolves
// the flavour; before 1.3 the fallback's call is what the verifier reaches.
TEST(LibbpfRules, WeakFlavoursAreJudgedByTheGuardLibbpfResolves) {
  std::unique_ptr<BpfObject> object = Object("kfunc_weak_flavours");
  std::unique_ptr<KernelBtf> kernel = Kernel("6.12.0");
  ASSERT_TRUE(object && kernel);
  ObjectCheck old = Check(*object, *kernel, "1.2");
  ObjectCheck now = Check(*object, *kernel, "1.3");
  std::map<std::string, Reach> old_reach;
  for (const Finding& f : old.findings) old_reach[f.subject] = f.reach;
  EXPECT_EQ(old_reach["bpf_kc_bar___old"], Reach::kReachable) << Findings(old);
  EXPECT_EQ(old_reach["bpf_kc_bar___new"], Reach::kUnreachable) << Findings(old);
  const Finding* incompatible = FindingWith(now, "kfunc-weak-incompatible");
  ASSERT_NE(incompatible, nullptr) << Findings(now);
  EXPECT_EQ(incompatible->subject, "bpf_kc_bar___old");
  EXPECT_EQ(incompatible->reach, Reach::kUnreachable) << incompatible->message;
  EXPECT_NE(incompatible->message.find("bpf_kc_bar (the essential name of bpf_kc_bar___old)"),
            std::string::npos)
      << incompatible->message;
}

// The address of a module's kfunc (the shared Debian 6.1 kernel's
// nf_conntrack): libbpf 1.1 relocates it against vmlinux's BTF.
TEST(LibbpfRules, ModuleKfuncAddressBefore12) {
  std::filesystem::path dir = testing::SharedKernelDir("debian-6.1.0-50-amd64");
  KC_REQUIRE_PATH(dir);
  std::string error;
  const testing::CachedKernel* kernel = testing::LoadKernelOnce(dir.string(), &error);
  ASSERT_NE(kernel, nullptr) << error;
  std::unique_ptr<BpfObject> object = Object("kfunc_module_address");
  ASSERT_NE(object, nullptr);
  const ObjectCheck check = Check(*object, *kernel->kernel, "1.1");
  const Finding* f = FindingWith(check, "kfunc-address-module");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->subject, "bpf_ct_release");
  EXPECT_NE(f->message.find("module nf_conntrack"), std::string::npos) << f->message;
  EXPECT_NE(f->message.find(RuleOf(LibbpfFeature::kKfuncAddressInModule).name),
            std::string::npos);
  EXPECT_EQ(FindingWith(Check(*object, *kernel->kernel, "1.2"), "kfunc-address-module"),
            nullptr);
}

// A big-endian object loads with no release; which step refuses it moved.
TEST(LibbpfRules, BigEndianIsRefusedAtOpenBefore15AndAtLoadAfter) {
  auto objects = ReadBpfObjects(std::string(KC_CORPUS_DIR) + "/open_big_endian.bpf.o");
  ASSERT_TRUE(objects.ok()) << objects.status();
  std::unique_ptr<KernelBtf> kernel = Kernel("6.12.0");
  ASSERT_NE(kernel, nullptr);
  for (std::string_view release : kReleases) {
    ObjectCheck check = Check(*objects->front(), *kernel, release);
    EXPECT_EQ(Verdict(check), "open") << release;
    const Finding* f = FindingWith(check, "byte-order");
    ASSERT_NE(f, nullptr) << release;
    bool opens = Has(V(release), LibbpfFeature::kNonNativeEndianOpen);
    EXPECT_EQ(f->message.find("refuses to load it; libbpf: \"object") != std::string::npos,
              opens)
        << release << ": " << f->message;
  }
}

}  // namespace
}  // namespace kcontract
