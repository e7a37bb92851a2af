// The libbpf release through the CLI: `check --libbpf`, `gate --libbpf`, a
// load profile's `libbpf = "1.5"` (and --libbpf winning over it), the
// release in the text header and the JSON, `object show`'s oldest libbpf and
// `lint --libbpf-min`; on tests/libbpf_versions/ (its model kernel and the
// objects libbpf_rules_test judges release by release).
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>

#include "abi/libbpf/libbpf_version.h"
#include "tests/test_support.h"

namespace kcontract {
namespace {

namespace fs = std::filesystem;
using testing::RunCli;
using testing::ShellQuote;

std::string Data(const std::string& name) {
  return ShellQuote(std::string(KC_LIBBPF_VERSIONS_DIR) + "/" + name);
}
std::string Object(const std::string& name) { return Data(name + ".bpf.o"); }
const std::string kKernel = " --kernel " + Data("kernel.btf") + " --no-default-manifests";

fs::path WriteProfile(const std::string& name, const std::string& text) {
  fs::path path = testing::ProcessScratch("libbpf_cli_test") / name;
  testing::WriteFileOrDie(path,
                          ByteView(reinterpret_cast<const uint8_t*>(text.data()), text.size()));
  return path;
}

nlohmann::json Json(const testing::CommandResult& r) {
  nlohmann::json j = nlohmann::json::parse(r.out, nullptr, false);
  EXPECT_FALSE(j.is_discarded()) << r.out << r.err;
  return j;
}

std::string Linked() { return LinkedLibbpf().Describe(); }

TEST(LibbpfCli, CheckJudgesByTheReleaseGivenAndSaysWhich) {
  testing::CommandResult linked = RunCli("check " + Object("struct_ops_link") + kKernel);
  // The linked libbpf is Debian 12's 1.1: .struct_ops.link is skipped.
  ASSERT_EQ(LinkedLibbpf().version.minor, 1) << "these expectations are 1.1's";
  EXPECT_EQ(linked.exit_code, 8) << linked.out << linked.err;
  EXPECT_EQ(linked.out.substr(0, linked.out.find('\n')), "libbpf " + Linked());
  EXPECT_NE(linked.out.find("[struct-ops-unbound] kc_link_init"), std::string::npos)
      << linked.out;
  EXPECT_NE(linked.out.find(": fails at verifier (1 errors"), std::string::npos) << linked.out;

  testing::CommandResult newer =
      RunCli("check " + Object("struct_ops_link") + kKernel + " --libbpf 1.5");
  EXPECT_EQ(newer.exit_code, 0) << newer.out << newer.err;
  EXPECT_EQ(newer.out.substr(0, newer.out.find('\n')), "libbpf 1.5 (--libbpf)");
  EXPECT_NE(newer.out.find(": loads (0 errors"), std::string::npos) << newer.out;

  nlohmann::json j = Json(RunCli("--json check " + Object("struct_ops_link") + kKernel +
                                 " --libbpf 1.3.0"));
  EXPECT_EQ(j["libbpf"], "1.3.0 (--libbpf)");
  EXPECT_EQ(j["results"][0]["libbpf"], "1.3.0");
  EXPECT_EQ(j["results"][0]["verdict"], "loads");
}

TEST(LibbpfCli, ABadReleaseIsAUsageErrorSayingWhatIsTaken) {
  for (const char* bad : {"2.0", "1.0", "one", "1.3-rc1"}) {
    testing::CommandResult r =
        RunCli("check " + Object("kfunc_flavour") + kKernel + " --libbpf " + ShellQuote(bad));
    EXPECT_EQ(r.exit_code, 2) << bad << ": " << r.err;
    EXPECT_NE(r.err.find("--libbpf: libbpf version \"" + std::string(bad) + "\""),
              std::string::npos)
        << r.err;
    EXPECT_EQ(r.out, "");
  }
}

TEST(LibbpfCli, ProfileNamesTheReleaseAndTheOptionWins) {
  fs::path profile = WriteProfile("libbpf.toml",
                                  "format_version = 1\n"
                                  "[[object]]\n"
                                  "name = \"kfunc_flavour.bpf.o\"\n"
                                  "libbpf = \"1.5\"\n");
  std::string check = "check " + Object("kfunc_flavour") + kKernel + " --load-profile " +
                      ShellQuote(profile.string());
  testing::CommandResult r = RunCli(check);
  EXPECT_EQ(r.exit_code & 8, 0) << r.out << r.err;
  // The header is the command's release; the result says the profile's.
  EXPECT_EQ(r.out.substr(0, r.out.find('\n')), "libbpf " + Linked());
  EXPECT_NE(r.out.find(" with libbpf 1.5: loads ("), std::string::npos) << r.out;
  nlohmann::json j = Json(RunCli("--json " + check));
  EXPECT_EQ(j["libbpf"], Linked());
  EXPECT_EQ(j["results"][0]["libbpf"], "1.5");

  // --libbpf wins over the profile: 1.2 looks the flavour up by its name.
  testing::CommandResult forced = RunCli(check + " --libbpf 1.2");
  EXPECT_EQ(forced.exit_code & 8, 8) << forced.out;
  EXPECT_EQ(forced.out.substr(0, forced.out.find('\n')), "libbpf 1.2 (--libbpf)");
  EXPECT_NE(forced.out.find(": fails at extern ("), std::string::npos) << forced.out;
  EXPECT_EQ(forced.out.find(" with libbpf "), std::string::npos) << forced.out;
}

TEST(LibbpfCli, AProfileReleaseOutsideTheModelledOnesIsALocatedError) {
  fs::path profile = WriteProfile("bad_libbpf.toml",
                                  "format_version = 1\n"
                                  "[[object]]\n"
                                  "name = \"kfunc_flavour.bpf.o\"\n"
                                  "libbpf = \"1.9\"\n");
  testing::CommandResult r = RunCli("check " + Object("kfunc_flavour") + kKernel +
                                    " --load-profile " + ShellQuote(profile.string()));
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.err.find(profile.string() + ":4:"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("kcontract models the rules of libbpf 1.1 to 1.7"), std::string::npos)
      << r.err;
  EXPECT_EQ(r.out, "");
}

TEST(LibbpfCli, GateJudgesEveryCellByTheRelease) {
  std::string gate = "gate " + Object("struct_ops_optional") + kKernel;
  testing::CommandResult linked = RunCli(gate);
  EXPECT_EQ(linked.exit_code & 8, 8) << linked.out;
  EXPECT_NE(linked.out.find(", libbpf " + Linked() + "\n"), std::string::npos) << linked.out;
  testing::CommandResult newer = RunCli(gate + " --libbpf 1.4");
  EXPECT_EQ(newer.exit_code & 8, 0) << newer.out;
  EXPECT_NE(newer.out.find(", libbpf 1.4 (--libbpf)\n"), std::string::npos) << newer.out;
  nlohmann::json j = Json(RunCli("--json " + gate + " --libbpf 1.4"));
  EXPECT_EQ(j["libbpf"], "1.4 (--libbpf)");
}

TEST(LibbpfCli, ObjectShowSaysTheOldestLibbpfAndWhy) {
  testing::CommandResult r = RunCli("object show " + Object("kfunc_flavour"));
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("\nneeds libbpf >= 1.3: kfunc bpf_kc_foo___v2 is a flavour of bpf_kc_foo "
                       "(kfunc-flavour)\n"),
            std::string::npos)
      << r.out;
  nlohmann::json j = Json(RunCli("--json object show " + Object("struct_ops_shared")));
  const nlohmann::json& min = j["objects"][0]["libbpf_min"];
  EXPECT_EQ(min["version"], "1.4");
  ASSERT_EQ(min["needs"].size(), 2u) << min;
  EXPECT_EQ(min["needs"][0]["rule"], "struct-ops-type-flavour");
  EXPECT_EQ(min["needs"][1]["rule"], "struct-ops-program-shared");
  EXPECT_EQ(min["needs"][1]["subject"], "kc_shared_init");
  EXPECT_TRUE(min["none"].is_null());
  // An object every release loads, and one none does.
  EXPECT_NE(RunCli("object show " + Object("kfunc_weak_absent")).out.find("\nneeds libbpf >= 1.1\n"),
            std::string::npos);
  nlohmann::json none = Json(RunCli(
      "--json object show " + ShellQuote(std::string(KC_CORPUS_DIR) + "/open_static_program.bpf.o")));
  EXPECT_TRUE(none["objects"][0]["libbpf_min"]["version"].is_null());
  EXPECT_NE(none["objects"][0]["libbpf_min"]["none"].get<std::string>().find("[static-program]"),
            std::string::npos);
}

TEST(LibbpfCli, LintFailsAnObjectNeedingANewerLibbpfThanTheMinimum) {
  std::string lint = "lint " + Object("struct_ops_link") + " " + Object("kfunc_flavour") +
                     " --no-default-manifests";
  testing::CommandResult old = RunCli(lint + " --libbpf-min 1.2");
  EXPECT_EQ(old.exit_code & 8, 8) << old.out;
  EXPECT_NE(old.out.find("error: [libbpf-too-old] bpf_kc_foo___v2: needs libbpf >= 1.3, newer "
                         "than 1.2: kfunc bpf_kc_foo___v2 is a flavour of bpf_kc_foo"),
            std::string::npos)
      << old.out;
  // .struct_ops.link is 1.2's: within the minimum.
  EXPECT_EQ(old.out.find("libbpf-too-old] kc_link"), std::string::npos) << old.out;
  // The summary names the kind of error: no contract is involved here.
  EXPECT_NE(old.out.find(": contracts kept; needs a newer libbpf ("), std::string::npos)
      << old.out;
  EXPECT_EQ(old.out.find("contracts violated"), std::string::npos) << old.out;
  testing::CommandResult oldest = RunCli(lint + " --libbpf-min 1.1");
  EXPECT_NE(oldest.out.find("error: [libbpf-too-old] kc_link: needs libbpf >= 1.2"),
            std::string::npos)
      << oldest.out;
  EXPECT_EQ(RunCli(lint + " --libbpf-min 1.3").exit_code & 8, 0);
  // Without the option nothing is said of libbpf.
  EXPECT_EQ(RunCli(lint).out.find("libbpf-too-old"), std::string::npos);
  EXPECT_EQ(RunCli(lint + " --libbpf-min 0.9").exit_code, 2);
}

// A kernel whose BTF an old pahole made, given as raw BTF: kernel show and
// check say that no kfunc can be told from other functions there.
TEST(LibbpfCli, AKernelWithoutKfuncTagsOrBtfIdsIsNamedWithWhatCannotBeKnown) {
  std::string old = Data("kernel_old_pahole.btf");
  testing::CommandResult show = RunCli("kernel show --kernel " + old);
  EXPECT_EQ(show.exit_code, 0) << show.err;
  EXPECT_NE(show.out.find("kfuncs:      0 (0 in modules): none can be found in this source"),
            std::string::npos)
      << show.out;
  EXPECT_NE(show.out.find("no bpf_kfunc decl tags (BTF from pahole < 1.27)"), std::string::npos);
  nlohmann::json j = Json(RunCli("--json kernel show --kernel " + old));
  EXPECT_NE(j["kfuncs_unknowable"].get<std::string>().find("pahole < 1.27"), std::string::npos);
  EXPECT_TRUE(Json(RunCli("--json kernel show --kernel " + Data("kernel.btf")))["kfuncs_unknowable"]
                  .is_null());

  testing::CommandResult check =
      RunCli("check " + Object("kfunc_flavour") + " --kernel " + old +
             " --no-default-manifests --libbpf 1.3");
  EXPECT_EQ(check.exit_code, 4) << check.out << check.err;
  EXPECT_NE(check.err.find("kcontract: warning: " + std::string(KC_LIBBPF_VERSIONS_DIR) +
                           "/kernel_old_pahole.btf: its BTF has no bpf_kfunc decl tags (made by "
                           "pahole < 1.27)"),
            std::string::npos)
      << check.err;
  EXPECT_NE(check.err.find("KF_* flags, cannot be known"), std::string::npos) << check.err;
  // An object calling no kfunc is told nothing of it.
  testing::CommandResult plain = RunCli("check " + Object("struct_ops_link") + " --kernel " +
                                        old + " --no-default-manifests --libbpf 1.3");
  EXPECT_EQ(plain.err.find("pahole"), std::string::npos) << plain.err;
}

}  // namespace
}  // namespace kcontract
