// The kfunc inventory of real kernels, checked against methods that do not
// use kcontract's own readers:
//  - bpftool's raw dump of the BTF (the `bpf_kfunc` DECL_TAGs, FUNC names
//    and FUNC_PROTO parameters);
//  - the CLI's JSON against the library's inventory.
// The .BTF_ids set8 records (kernels before pahole 1.27, and every kernel's
// KF_* flags) are checked by kfunc_btf_ids_test.cc.
#include <cstdio>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "abi/report/inventory_report.h"
#include "btfdiff/inventory/kfunc_inventory.h"
#include "btfdiff/model/kernel_btf.h"
#include "btfdiff/source/kernel_source.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "tests/kfunc_test_support.h"
#include "tests/test_support.h"

namespace kcontract {
namespace {

namespace fs = std::filesystem;
using ::kcontract::testing::BtfDump;
using ::kcontract::testing::CommandResult;
using ::kcontract::testing::ExpectIdsAndPrototypesMatchDump;
using ::kcontract::testing::Join;
using ::kcontract::testing::LoadedKernel;
using ::kcontract::testing::Minus;
using ::kcontract::testing::RunCli;
using ::kcontract::testing::SharedKernelDir;
using ::kcontract::testing::ShellQuote;
using ::kcontract::testing::kDebian61;
using ::kcontract::testing::kHost618;

// --- 1. decl-tag kernels: kcontract == bpftool's bpf_kfunc DECL_TAGs -------

void ExpectDeclTaggedKfuncsEqualBpftool(const LoadedKernel& loaded, const BtfDump& dump,
                                        const std::optional<std::string>& module) {
  std::map<uint32_t, std::string> tagged = dump.KfuncDeclTags();
  std::map<uint32_t, std::string> reported;
  for (const Kfunc* kfunc : loaded.ModuleKfuncs(module)) {
    if (kfunc->methods & static_cast<uint8_t>(KfuncMethod::kDeclTag)) {
      reported[kfunc->id.value] = kfunc->name;
    }
  }
  // Compare names as sets (the dump may repeat a name) and ids exactly.
  std::set<std::string> tagged_names, reported_names;
  for (const auto& [id, name] : tagged) tagged_names.insert(name);
  for (const auto& [id, name] : reported) reported_names.insert(name);
  EXPECT_EQ(reported_names, tagged_names)
      << "missed: " << Join(Minus(tagged_names, reported_names))
      << "\nextra: " << Join(Minus(reported_names, tagged_names));
  EXPECT_EQ(reported, tagged);
}

TEST(KfuncDeclTagTest, Host618VmlinuxKfuncsAreExactlyTheFuncsBpftoolShowsTaggedBpfKfunc) {
  const fs::path dir = SharedKernelDir(kHost618);
  KC_REQUIRE_PATH(dir);
  REQUIRE_BPFTOOL();
  LOAD_OR_FAIL(loaded, dir.string());
  DUMP_OR_FAIL(dump, dir / "vmlinux.btf", fs::path());

  const size_t tags = dump->KfuncDeclTags().size();
  std::printf("host 6.18.44: %zu bpf_kfunc decl tags in bpftool's dump, %zu kfuncs reported\n",
              tags, loaded->kfuncs.kfuncs.size());
  EXPECT_EQ(tags, 203u) << "the README documents 203 tags";
  EXPECT_EQ(dump->count, loaded->kernel->vmlinux->own_type_count());
  ExpectDeclTaggedKfuncsEqualBpftool(*loaded, *dump, std::nullopt);
  // Raw BTF has no .BTF_ids: every kfunc is found by its tag alone, and no
  // flags are invented.
  EXPECT_EQ(loaded->kfuncs.methods_used, static_cast<uint8_t>(KfuncMethod::kDeclTag));
  for (const Kfunc& kfunc : loaded->kfuncs.kfuncs) {
    EXPECT_EQ(kfunc.methods, static_cast<uint8_t>(KfuncMethod::kDeclTag)) << kfunc.name;
    EXPECT_FALSE(kfunc.flags.has_value()) << kfunc.name;
    EXPECT_FALSE(kfunc.module.has_value()) << kfunc.name;
  }
  ExpectIdsAndPrototypesMatchDump(loaded->ModuleKfuncs(std::nullopt), *dump, "6.18");
}

TEST(KfuncDeclTagTest, RunningKernelKfuncsAreExactlyTheFuncsBpftoolShowsTaggedBpfKfunc) {
  const fs::path sysfs = "/sys/kernel/btf";
  KC_REQUIRE_PATH(sysfs / "vmlinux");
  REQUIRE_BPFTOOL();
  LOAD_OR_FAIL(loaded, std::string(kRunningKernel));
  DUMP_OR_FAIL(dump, sysfs / "vmlinux", fs::path());
  std::printf("running kernel %s: %zu bpf_kfunc decl tags in vmlinux\n",
              loaded->kernel->release.c_str(), dump->KfuncDeclTags().size());
  ExpectDeclTaggedKfuncsEqualBpftool(*loaded, *dump, std::nullopt);
  ExpectIdsAndPrototypesMatchDump(loaded->ModuleKfuncs(std::nullopt), *dump, "running");
  for (const ModuleBtf& module : loaded->kernel->modules) {
    SCOPED_TRACE("module " + module.name);
    DUMP_OR_FAIL(module_dump, sysfs / module.name, sysfs / "vmlinux");
    ExpectDeclTaggedKfuncsEqualBpftool(*loaded, *module_dump, module.name);
  }
}

// --- 4. the CLI's JSON ------------------------------------------------------

// Runs `kcontract kernel kfuncs --json` and checks the documented shape: the
// envelope ("format_version", "tool", "version"), then "kfuncs", an array of
// {"name", "proto", "flags": [KF_*], "module": null|string, "found_by":
// [method]}, listing what the library finds. *out gets that array.
void CheckKfuncsJson(const std::string& source, const LoadedKernel& loaded,
                     nlohmann::json* out) {
  CommandResult result = RunCli("kernel kfuncs --kernel " + ShellQuote(source) + " --json");
  ASSERT_EQ(result.exit_code, 0) << result.err;
  nlohmann::ordered_json document =
      nlohmann::ordered_json::parse(result.out, nullptr, /*allow_exceptions=*/false);
  ASSERT_FALSE(document.is_discarded()) << result.out.substr(0, 500);
  ASSERT_TRUE(document.is_object());
  std::vector<std::string> keys;
  for (const auto& [key, value] : document.items()) keys.push_back(key);
  EXPECT_EQ(keys, (std::vector<std::string>{"format_version", "tool", "version", "kfuncs"}));
  EXPECT_EQ(document["format_version"], kInventoryJsonVersion);
  EXPECT_EQ(document["tool"], "kcontract");
  EXPECT_TRUE(document["version"].is_string());  // its value: json_envelope_test
  ASSERT_TRUE(document.contains("kfuncs"));
  nlohmann::json json = document["kfuncs"];
  ASSERT_TRUE(json.is_array());
  *out = json;
  ASSERT_EQ(json.size(), loaded.kfuncs.kfuncs.size());
  std::set<std::pair<std::string, std::string>> from_json, from_library;
  for (const nlohmann::json& item : json) {
    ASSERT_TRUE(item.is_object());
    ASSERT_TRUE(item.contains("name") && item["name"].is_string()) << item.dump();
    const std::string name = item["name"].get<std::string>();
    SCOPED_TRACE(name);
    ASSERT_TRUE(item.contains("proto") && item["proto"].is_string());
    EXPECT_NE(item["proto"].get<std::string>().find(name + "("), std::string::npos);
    ASSERT_TRUE(item.contains("flags") && item["flags"].is_array());
    for (const nlohmann::json& flag : item["flags"]) {
      ASSERT_TRUE(flag.is_string());
      EXPECT_TRUE(flag.get<std::string>().starts_with("KF_")) << flag;
    }
    ASSERT_TRUE(item.contains("module"));
    EXPECT_TRUE(item["module"].is_null() || item["module"].is_string());
    ASSERT_TRUE(item.contains("found_by") && item["found_by"].is_array());
    EXPECT_FALSE(item["found_by"].empty());
    for (const nlohmann::json& method : item["found_by"]) {
      ASSERT_TRUE(method.is_string());
      EXPECT_TRUE(method == "decl_tag" || method == "btf_ids") << method;
    }
    from_json.insert({item["module"].is_null() ? "" : item["module"].get<std::string>(), name});
  }
  for (const Kfunc& kfunc : loaded.kfuncs.kfuncs) {
    from_library.insert({kfunc.module.value_or(""), kfunc.name});
  }
  EXPECT_EQ(from_json, from_library);
}

TEST(KfuncJsonTest, Debian61JsonListsKfuncObjectsWithFlagsAndModules) {
  KC_REQUIRE_PATH(SharedKernelDir(kDebian61));
  const std::string source = SharedKernelDir(kDebian61).string();
  LOAD_OR_FAIL(loaded, source);
  nlohmann::json json;
  CheckKfuncsJson(source, *loaded, &json);
  ASSERT_FALSE(HasFailure());
  size_t with_module = 0, with_flags = 0;
  for (const nlohmann::json& item : json) {
    with_module += item["module"].is_string();
    with_flags += !item["flags"].empty();
  }
  std::printf("6.1 JSON: %zu kfuncs, %zu in modules, %zu with flags\n", json.size(),
              with_module, with_flags);
  EXPECT_GT(with_module, 0u);
  EXPECT_GT(with_flags, 0u);
}

TEST(KfuncJsonTest, Host618JsonListsDeclTagKfuncObjects) {
  KC_REQUIRE_PATH(SharedKernelDir(kHost618));
  const std::string source = (SharedKernelDir(kHost618) / "vmlinux.btf").string();
  LOAD_OR_FAIL(loaded, source);
  nlohmann::json json;
  CheckKfuncsJson(source, *loaded, &json);
  ASSERT_FALSE(HasFailure());
  for (const nlohmann::json& item : json) {
    EXPECT_TRUE(item["flags"].empty()) << item.dump();
    EXPECT_TRUE(item["module"].is_null()) << item.dump();
    EXPECT_EQ(item["found_by"], nlohmann::json::array({"decl_tag"})) << item.dump();
  }
}
}  // namespace
}  // namespace kcontract
