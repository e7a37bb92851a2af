// Stability tags in a kernel's own BTF: the grammar of one tag, and reading
// every tag of a kernel built by clang from C (tests/models/stability_tags.c),
// checked against bpftool's view of the same BTF; then how tags merge with
// manifests in a ContractSet.
#include "abi/contract/stability_tags.h"

#include <bpf/btf.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <memory>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include "abi/contract/contract.h"
#include "btfdiff/inventory/kfunc_inventory.h"
#include "btfdiff/inventory/struct_ops_inventory.h"
#include "btfdiff/source/kernel_source.h"
#include "tests/test_support.h"

namespace kcontract {
namespace {

using ::kcontract::testing::BpftoolDumpCommand;
using ::kcontract::testing::RunToText;

// --- the grammar ------------------------------------------------------------

TEST(ParseStabilityTag, EveryLevelParsesByItsName) {
  for (Stability level : {Stability::kStable, Stability::kExperimental, Stability::kDeprecated,
                          Stability::kWithdrawn}) {
    std::string text = "kcontract:" + std::string(StabilityName(level));
    absl::StatusOr<StabilityTag> tag = ParseStabilityTag(text);
    ASSERT_TRUE(tag.ok()) << text << ": " << tag.status();
    EXPECT_EQ(tag->level, level) << text;
    EXPECT_TRUE(tag->since.empty() && tag->remove.empty() && tag->use.empty() &&
                tag->opt_in.empty())
        << text;
  }
}

TEST(ParseStabilityTag, EachKeyFillsItsOwnField) {
  struct Case {
    const char* text;
    std::string StabilityTag::*field;
    const char* value;
  };
  const Case cases[] = {
      {"kcontract:stable:since=6.1", &StabilityTag::since, "6.1"},
      {"kcontract:deprecated:remove=7.2", &StabilityTag::remove, "7.2"},
      {"kcontract:deprecated:use=scx_bpf_dsq_insert", &StabilityTag::use, "scx_bpf_dsq_insert"},
      {"kcontract:experimental:optin=bpf_thp", &StabilityTag::opt_in, "bpf_thp"},
  };
  const std::string StabilityTag::*all[] = {&StabilityTag::since, &StabilityTag::remove,
                                            &StabilityTag::use, &StabilityTag::opt_in};
  for (const Case& c : cases) {
    absl::StatusOr<StabilityTag> tag = ParseStabilityTag(c.text);
    ASSERT_TRUE(tag.ok()) << c.text << ": " << tag.status();
    for (auto field : all) {
      EXPECT_EQ((*tag).*field, field == c.field ? c.value : "") << c.text;
    }
  }
}

TEST(ParseStabilityTag, KeysCombineInAnyOrder) {
  absl::StatusOr<StabilityTag> tag =
      ParseStabilityTag("kcontract:deprecated:use=bpf_new_thing:since=6.9:optin=x:remove=7.2");
  ASSERT_TRUE(tag.ok()) << tag.status();
  EXPECT_EQ(tag->level, Stability::kDeprecated);
  EXPECT_EQ(tag->since, "6.9");
  EXPECT_EQ(tag->remove, "7.2");
  EXPECT_EQ(tag->use, "bpf_new_thing");
  EXPECT_EQ(tag->opt_in, "x");
}

TEST(ParseStabilityTag, TextWithoutThePrefixIsNoStabilityTag) {
  for (const char* text : {"bpf_kfunc", "", "kcontract", "kcontractx:stable", "KCONTRACT:stable",
                           " kcontract:stable"}) {
    absl::StatusOr<StabilityTag> tag = ParseStabilityTag(text);
    EXPECT_TRUE(absl::IsNotFound(tag.status())) << "'" << text << "': " << tag.status();
  }
}

TEST(ParseStabilityTag, EachMistakeIsNamedExactly) {
  struct Case {
    const char* text;
    const char* message;
  };
  const Case cases[] = {
      {"kcontract:", "no level after 'kcontract:' (expected stable, experimental, deprecated or "
                     "withdrawn)"},
      {"kcontract:beta",
       "unknown level 'beta' (expected stable, experimental, deprecated or withdrawn)"},
      {"kcontract:Stable",
       "unknown level 'Stable' (expected stable, experimental, deprecated or withdrawn)"},
      {"kcontract:stable:until=7.0",
       "unknown key 'until' (expected since, remove, use or optin)"},
      {"kcontract:deprecated:remove=7.2:remove=7.3", "key 'remove' given twice"},
      {"kcontract:stable:since=", "key 'since' has an empty value"},
      {"kcontract:stable:since", "key 'since' has no value (expected since=<value>)"},
      {"kcontract:deprecated:use=a:b",
       "value of 'use' contains ':' ('a:b'); values may not contain ':'"},
      {"kcontract:stable::since=6.1", "empty field (two ':' in a row, or a trailing ':')"},
      {"kcontract:stable:", "empty field (two ':' in a row, or a trailing ':')"},
      {"kcontract:stable:=6.1", "'=6.1' has no key before '='"},
      {"kcontract:stable:soon", "'soon' is not <key>=<value>"},
  };
  for (const Case& c : cases) {
    absl::StatusOr<StabilityTag> tag = ParseStabilityTag(c.text);
    ASSERT_FALSE(tag.ok()) << c.text;
    EXPECT_TRUE(absl::IsInvalidArgument(tag.status())) << c.text;
    EXPECT_EQ(tag.status().message(), c.message) << c.text;
  }
}

// --- tags read from BTF built by clang ---------------------------------------

std::unique_ptr<KernelBtf> LoadModel() {
  absl::StatusOr<std::unique_ptr<KernelBtf>> kernel = LoadKernel(KC_STABILITY_TAGS_BTF);
  EXPECT_TRUE(kernel.ok()) << kernel.status();
  return kernel.ok() ? std::move(*kernel) : nullptr;
}

struct ReadTags {
  Contract contract;
  std::vector<std::string> warnings;
};

ReadTags ReadModelTags(const KernelBtf& kernel) {
  ReadTags read;
  read.contract = ReadStabilityTags(kernel, &read.warnings);
  return read;
}

const Interface* FindIn(const Contract& contract, InterfaceKind kind, const std::string& name) {
  for (const Interface& interface : contract.interfaces) {
    if (interface.kind == kind && interface.name == name) return &interface;
  }
  return nullptr;
}

class ModelTagsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    kernel_ = LoadModel();
    ASSERT_NE(kernel_, nullptr);
    read_ = ReadModelTags(*kernel_);
    label_ = KernelLabel(*kernel_);
  }
  const Interface& Get(InterfaceKind kind, const std::string& name) {
    const Interface* found = FindIn(read_.contract, kind, name);
    static const Interface kMissing;
    EXPECT_NE(found, nullptr) << InterfaceKindName(kind) << " " << name;
    return found ? *found : kMissing;
  }
  bool Warned(const std::string& text) {
    return std::find(read_.warnings.begin(), read_.warnings.end(), text) != read_.warnings.end();
  }

  std::unique_ptr<KernelBtf> kernel_;
  ReadTags read_;
  std::string label_;
};

TEST_F(ModelTagsTest, TheContractComesFromTheKernelsBtf) {
  EXPECT_EQ(read_.contract.origin, ContractOrigin::kKernelBtf);
  EXPECT_EQ(read_.contract.path, "btf:" + label_);
  for (const Interface& interface : read_.contract.interfaces) {
    EXPECT_EQ(interface.location.file, "btf:" + label_) << interface.name;
    EXPECT_EQ(interface.location.line, 0) << interface.name;
    EXPECT_TRUE(interface.revisions.empty()) << interface.name << ": a tag states no revision";
    EXPECT_TRUE(interface.module.empty()) << interface.name << ": everything is in vmlinux";
    EXPECT_TRUE(interface.stability.has_value()) << interface.name;
  }
}

TEST_F(ModelTagsTest, KfuncTagsGiveKfuncInterfaces) {
  const Interface& stable = Get(InterfaceKind::kKfunc, "bpf_kc_stable");
  EXPECT_EQ(stable.stability, Stability::kStable);
  EXPECT_EQ(stable.since, "6.1");
  const Interface& old = Get(InterfaceKind::kKfunc, "bpf_kc_old");
  EXPECT_EQ(old.stability, Stability::kDeprecated);
  EXPECT_EQ(old.remove, "7.2");
  EXPECT_EQ(old.replacement, "bpf_kc_new");
  const Interface& experimental = Get(InterfaceKind::kKfunc, "bpf_kc_experimental");
  EXPECT_EQ(experimental.stability, Stability::kExperimental);
  EXPECT_EQ(experimental.OptInToken(), "kc_demo");
}

TEST_F(ModelTagsTest, ATaggedFunctionIsAKfuncInterfaceEvenWhenNoKfunc) {
  KfuncSet kfuncs = CollectKfuncs(*kernel_);
  ASSERT_NE(kfuncs.Find("bpf_kc_stable"), nullptr) << "the model's kfuncs are kfuncs";
  ASSERT_EQ(kfuncs.Find("kc_not_kfunc"), nullptr) << "kc_not_kfunc carries no bpf_kfunc tag";
  const Interface& tagged = Get(InterfaceKind::kKfunc, "kc_not_kfunc");
  EXPECT_EQ(tagged.stability, Stability::kWithdrawn);
  EXPECT_EQ(tagged.since, "6.9");
}

TEST_F(ModelTagsTest, ARegisteredTableAndItsMembersAreStructOps) {
  std::vector<StructOpsType> tables = CollectStructOps(*kernel_);
  ASSERT_EQ(tables.size(), 1u);
  ASSERT_EQ(tables[0].name, "kc_demo_ops");

  const Interface& table = Get(InterfaceKind::kStructOps, "kc_demo_ops");
  EXPECT_EQ(table.stability, Stability::kExperimental);
  EXPECT_EQ(table.opt_in, "kc_demo");
  const Interface& pick = Get(InterfaceKind::kStructOpsMember, "kc_demo_ops.pick");
  EXPECT_EQ(pick.stability, Stability::kWithdrawn);
  EXPECT_EQ(pick.since, "7.0");
  EXPECT_EQ(pick.replacement, "choose");
  const Interface& choose = Get(InterfaceKind::kStructOpsMember, "kc_demo_ops.choose");
  EXPECT_EQ(choose.stability, Stability::kDeprecated);
  EXPECT_EQ(choose.remove, "7.2");
  EXPECT_EQ(FindIn(read_.contract, InterfaceKind::kKernelType, "struct kc_demo_ops"), nullptr)
      << "a registered table is struct_ops, not a kernel type";
}

TEST_F(ModelTagsTest, OtherNamedTypesAreKernelTypesNamedAsInC) {
  EXPECT_EQ(Get(InterfaceKind::kKernelType, "struct kc_plain").stability, Stability::kStable);
  const Interface& word = Get(InterfaceKind::kKernelType, "union kc_word");
  EXPECT_EQ(word.stability, Stability::kExperimental);
  EXPECT_EQ(word.opt_in, "kc_word");
  const Interface& handle = Get(InterfaceKind::kKernelType, "kc_handle_t");
  EXPECT_EQ(handle.stability, Stability::kDeprecated);
  EXPECT_EQ(handle.replacement, "kc_handle2_t");
  EXPECT_EQ(Get(InterfaceKind::kKernelType, "struct kc_unregistered_ops").stability,
            Stability::kWithdrawn)
      << "a callback table nobody registers is an ordinary type";
  EXPECT_EQ(FindIn(read_.contract, InterfaceKind::kStructOps, "kc_unregistered_ops"), nullptr);
}

TEST_F(ModelTagsTest, ContradictingTagsKeepTheStricterAndWarn) {
  EXPECT_EQ(Get(InterfaceKind::kKfunc, "bpf_kc_contradicted").stability, Stability::kDeprecated);
  EXPECT_TRUE(Warned(label_ +
                     ": BTF decl tag 'kcontract:deprecated:remove=7.3' on kfunc "
                     "bpf_kc_contradicted: contradicts the tag 'kcontract:experimental' on the "
                     "same interface; the stricter one is kept"))
      << ::testing::PrintToString(read_.warnings);
}

TEST_F(ModelTagsTest, MalformedAndMisplacedTagsWarnAndAreSkipped) {
  const std::string prefix = label_ + ": BTF decl tag ";
  const std::string expected[] = {
      "'kcontract:beta' on kfunc bpf_kc_bad_level: unknown level 'beta' (expected stable, "
      "experimental, deprecated or withdrawn)",
      "'kcontract:deprecated:use=a:b' on kfunc bpf_kc_bad_colon: value of 'use' contains ':' "
      "('a:b'); values may not contain ':'",
      "'kcontract:deprecated:remove=7.2:remove=7.3' on kfunc bpf_kc_bad_twice: key 'remove' given "
      "twice",
      "'kcontract:stable:since=' on kfunc bpf_kc_bad_empty: key 'since' has an empty value",
      "'kcontract:' on kfunc bpf_kc_bad_nolevel: no level after 'kcontract:' (expected stable, "
      "experimental, deprecated or withdrawn)",
      "'kcontract:stable:until=7.0' on kernel_type struct kc_until: unknown key 'until' (expected "
      "since, remove, use or optin)",
      "'kcontract:stable:since' on struct_ops_member kc_demo_ops.name: key 'since' has no value "
      "(expected since=<value>)",
      "'kcontract:stable' on FUNC bpf_kc_param_tagged: the tag is on parameter 1; a kfunc's "
      "stability tag goes on the function",
      "'kcontract:stable' on VAR kc_tagged_variable: stability tags go on a kfunc, a struct_ops "
      "table or one of its members, or a named struct, union, enum or typedef",
      "'kcontract:stable' on STRUCT kc_not_a_table: the tag is on a member of struct "
      "kc_not_a_table, which is no registered struct_ops table (no struct "
      "bpf_struct_ops_<name> wraps it); members of other types carry no stability",
  };
  for (const std::string& warning : expected) {
    EXPECT_TRUE(Warned(prefix + warning)) << warning << "\nwarnings:\n"
                                          << ::testing::PrintToString(read_.warnings);
  }
  for (const char* skipped : {"bpf_kc_bad_level", "bpf_kc_bad_colon", "bpf_kc_bad_twice",
                              "bpf_kc_bad_empty", "bpf_kc_bad_nolevel", "bpf_kc_param_tagged"}) {
    EXPECT_EQ(FindIn(read_.contract, InterfaceKind::kKfunc, skipped), nullptr) << skipped;
  }
  EXPECT_EQ(FindIn(read_.contract, InterfaceKind::kKernelType, "struct kc_until"), nullptr);
  EXPECT_EQ(FindIn(read_.contract, InterfaceKind::kStructOpsMember, "kc_demo_ops.name"), nullptr);
  // The warnings above, and the contradiction.
  EXPECT_EQ(read_.warnings.size(), std::size(expected) + 1)
      << ::testing::PrintToString(read_.warnings);
}

TEST_F(ModelTagsTest, TagsOfOtherToolsAreIgnored) {
  EXPECT_EQ(FindIn(read_.contract, InterfaceKind::kKfunc, "bpf_kc_untagged"), nullptr);
  for (const std::string& warning : read_.warnings) {
    EXPECT_EQ(warning.find("bpf_kc_untagged"), std::string::npos) << warning;
    EXPECT_EQ(warning.find("'bpf_kfunc'"), std::string::npos) << warning;
  }
}

// bpftool's view of the same BTF: every kcontract decl tag it lists became
// one interface or one warning, and no interface came from elsewhere.
TEST_F(ModelTagsTest, EveryKcontractTagBpftoolSeesIsAccountedFor) {
  std::string dump, error;
  ASSERT_TRUE(RunToText(BpftoolDumpCommand(KC_STABILITY_TAGS_BTF) + " format raw", &dump, &error))
      << error;
  std::regex tag_line(R"(\] DECL_TAG 'kcontract:[^']*' type_id=)");
  size_t tags = std::distance(std::sregex_iterator(dump.begin(), dump.end(), tag_line),
                              std::sregex_iterator());
  ASSERT_GT(tags, 20u) << "the model's tags are in its BTF";
  EXPECT_EQ(read_.contract.interfaces.size() + read_.warnings.size(), tags)
      << ::testing::PrintToString(read_.warnings);
}

TEST_F(ModelTagsTest, WithoutAWarningListTheReadStillSucceeds) {
  Contract contract = ReadStabilityTags(*kernel_, nullptr);
  EXPECT_EQ(contract.interfaces.size(), read_.contract.interfaces.size());
}

TEST(StabilityTags, AKernelWithoutTagsGivesAnEmptyContract) {
  // Its BTF has 203 bpf_kfunc decl tags and no kcontract one; the
  // directory gives the release (from its config).
  std::filesystem::path host = testing::SharedKernelDir("host-6.18.44");
  KC_REQUIRE_PATH(host);
  absl::StatusOr<std::unique_ptr<KernelBtf>> kernel = LoadKernel(host.string());
  ASSERT_TRUE(kernel.ok()) << kernel.status();
  std::vector<std::string> warnings;
  Contract contract = ReadStabilityTags(**kernel, &warnings);
  EXPECT_TRUE(contract.interfaces.empty());
  EXPECT_TRUE(warnings.empty()) << ::testing::PrintToString(warnings);
  EXPECT_EQ(contract.path, "btf:6.18.44");
}

// --- tags in a module's split BTF ------------------------------------------

// A module over the model kernel, written with libbpf's BTF builder: a
// tagged kfunc and a tagged registered table of its own, and a tag on a type
// that vmlinux owns.
Bytes BuildTaggedModule() {
  struct btf* base = btf__parse_raw(KC_STABILITY_TAGS_BTF);
  EXPECT_NE(base, nullptr);
  struct btf* module = btf__new_empty_split(base);
  int int_id = btf__find_by_name_kind(base, "int", BTF_KIND_INT);
  int proto = btf__add_func_proto(module, int_id);
  btf__add_func_param(module, "x", int_id);
  int func = btf__add_func(module, "bpf_mod_thing", BTF_FUNC_GLOBAL, proto);
  btf__add_decl_tag(module, "bpf_kfunc", func, -1);
  btf__add_decl_tag(module, "kcontract:experimental:optin=mod", func, -1);
  int callback = btf__add_ptr(module, proto);
  // A struct's fields must follow it directly.
  int ops = btf__add_struct(module, "mod_ops", 8);
  btf__add_field(module, "run", callback, 0, 0);
  btf__add_decl_tag(module, "kcontract:deprecated:remove=8.0", ops, 0);
  int wrapper = btf__add_struct(module, "bpf_struct_ops_mod_ops", 16);
  btf__add_field(module, "refcnt", int_id, 0, 0);
  btf__add_field(module, "data", ops, 64, 0);
  int not_a_table = btf__find_by_name_kind(base, "kc_not_a_table", BTF_KIND_STRUCT);
  EXPECT_GT(not_a_table, 0);
  btf__add_decl_tag(module, "kcontract:experimental", not_a_table, -1);
  EXPECT_GT(wrapper, 0);
  uint32_t size = 0;
  const auto* raw = static_cast<const uint8_t*>(btf__raw_data(module, &size));
  Bytes bytes(raw, raw + size);
  btf__free(module);
  btf__free(base);
  return bytes;
}

TEST(StabilityTags, ModuleTagsNameTheModuleThatOwnsTheTaggedType) {
  std::unique_ptr<KernelBtf> kernel = LoadModel();
  ASSERT_NE(kernel, nullptr);
  Bytes raw = BuildTaggedModule();
  absl::StatusOr<std::unique_ptr<Btf>> module_btf =
      Btf::Parse(ByteView(raw.data(), raw.size()), "kc_mod", kernel->vmlinux.get());
  ASSERT_TRUE(module_btf.ok()) << module_btf.status();
  ModuleBtf module;
  module.name = "kc_mod";
  module.path = "kc_mod.ko";
  module.btf = std::move(*module_btf);
  kernel->modules.push_back(std::move(module));

  std::vector<std::string> warnings;
  Contract contract = ReadStabilityTags(*kernel, &warnings);
  const Interface* kfunc = FindIn(contract, InterfaceKind::kKfunc, "bpf_mod_thing");
  ASSERT_NE(kfunc, nullptr);
  EXPECT_EQ(kfunc->module, "kc_mod");
  EXPECT_EQ(kfunc->opt_in, "mod");
  const Interface* member = FindIn(contract, InterfaceKind::kStructOpsMember, "mod_ops.run");
  ASSERT_NE(member, nullptr) << ::testing::PrintToString(warnings);
  EXPECT_EQ(member->module, "kc_mod");
  EXPECT_EQ(member->stability, Stability::kDeprecated);
  const Interface* type =
      FindIn(contract, InterfaceKind::kKernelType, "struct kc_not_a_table");
  ASSERT_NE(type, nullptr);
  EXPECT_EQ(type->module, "") << "the module tags a type of vmlinux";
  // vmlinux's own tags are read as before.
  EXPECT_NE(FindIn(contract, InterfaceKind::kKfunc, "bpf_kc_stable"), nullptr);
}

// --- precedence in a ContractSet ------------------------------------------

Contract OneEntryContract(ContractOrigin origin, const std::string& path, InterfaceKind kind,
                          const std::string& name, Stability level) {
  Contract contract;
  contract.name = path;
  contract.path = path;
  contract.origin = origin;
  Interface interface;
  interface.name = name;
  interface.kind = kind;
  interface.stability = level;
  interface.location = SourceLocation{path, 3, 1};
  interface.contract = path;
  contract.interfaces.push_back(std::move(interface));
  return contract;
}

class PrecedenceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    kernel_ = LoadModel();
    ASSERT_NE(kernel_, nullptr);
    tags_ = ReadStabilityTags(*kernel_, nullptr);
    const Interface* tagged = FindIn(tags_, InterfaceKind::kKfunc, "bpf_kc_old");
    ASSERT_NE(tagged, nullptr);
    ASSERT_EQ(tagged->stability, Stability::kDeprecated);
  }
  std::unique_ptr<KernelBtf> kernel_;
  Contract tags_;
};

TEST_F(PrecedenceTest, AGivenManifestGovernsOverTagsAndInstalledOnes) {
  ContractSet set;
  set.Add(OneEntryContract(ContractOrigin::kInstalled, "installed.toml", InterfaceKind::kKfunc,
                           "bpf_kc_old", Stability::kWithdrawn));
  set.Add(std::move(tags_));
  set.Add(OneEntryContract(ContractOrigin::kGiven, "given.toml", InterfaceKind::kKfunc,
                           "bpf_kc_old", Stability::kStable));
  const Interface* governing = set.Find(InterfaceKind::kKfunc, "bpf_kc_old");
  ASSERT_NE(governing, nullptr);
  EXPECT_EQ(governing->location.file, "given.toml");
  EXPECT_EQ(governing->stability, Stability::kStable) << "even when less strict";
  std::vector<const Interface*> all = set.FindAll(InterfaceKind::kKfunc, "bpf_kc_old");
  ASSERT_EQ(all.size(), 3u);
  EXPECT_EQ(all[1]->location.file.substr(0, 4), "btf:");
  EXPECT_EQ(all[2]->location.file, "installed.toml");
}

TEST_F(PrecedenceTest, WithoutAGivenManifestTheKernelsTagGovernsOverAnInstalledOne) {
  ContractSet set;
  set.Add(OneEntryContract(ContractOrigin::kInstalled, "installed.toml", InterfaceKind::kKfunc,
                           "bpf_kc_old", Stability::kWithdrawn));
  set.Add(std::move(tags_));
  const Interface* governing = set.Find(InterfaceKind::kKfunc, "bpf_kc_old");
  ASSERT_NE(governing, nullptr);
  EXPECT_EQ(governing->location.file.substr(0, 4), "btf:");
  EXPECT_EQ(governing->stability, Stability::kDeprecated) << "even when less strict";
}

TEST_F(PrecedenceTest, BetweenEntriesOfOneOriginTheStricterGoverns) {
  for (ContractOrigin origin : {ContractOrigin::kInstalled, ContractOrigin::kGiven}) {
    ContractSet set;
    set.Add(OneEntryContract(origin, "a.toml", InterfaceKind::kStructOps, "kc_demo_ops",
                             Stability::kExperimental));
    set.Add(OneEntryContract(origin, "b.toml", InterfaceKind::kStructOps, "kc_demo_ops",
                             Stability::kWithdrawn));
    set.Add(OneEntryContract(origin, "c.toml", InterfaceKind::kStructOps, "kc_demo_ops",
                             Stability::kStable));
    const Interface* governing = set.Find(InterfaceKind::kStructOps, "kc_demo_ops");
    ASSERT_NE(governing, nullptr);
    EXPECT_EQ(governing->location.file, "b.toml") << ContractOriginName(origin);
  }
  // Tags merge the same way with entries of their own origin.
  ContractSet set;
  set.Add(std::move(tags_));
  set.Add(OneEntryContract(ContractOrigin::kKernelBtf, "btf:other", InterfaceKind::kStructOps,
                           "kc_demo_ops", Stability::kWithdrawn));
  EXPECT_EQ(set.Find(InterfaceKind::kStructOps, "kc_demo_ops")->location.file, "btf:other");
}

}  // namespace
}  // namespace kcontract
