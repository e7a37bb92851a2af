// `kcontract check --load-profile` and `kcontract object show` on
// tests/profiles/profile_tp.bpf.c (a tool with a program on a tracepoint no
// kernel has, one whose section names no target, and const volatile
// rodata) against the running kernel, with the profiles of tests/profiles/;
// bad profile files through the CLI. load_profile_oracle_test proves the
// verdicts with real libbpf.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>

#include "tests/test_support.h"

namespace kcontract {
namespace {

namespace fs = std::filesystem;
using testing::RunCli;
using testing::ShellQuote;

std::string Object() { return std::string(KC_PROFILE_DIR) + "/profile_tp.o"; }
std::string ProfilePath(const std::string& name) {
  return std::string(KC_PROFILE_SOURCE_DIR) + "/" + name + ".toml";
}

class LoadProfileCli : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!fs::exists("/sys/kernel/btf/vmlinux")) {
      GTEST_SKIP() << "the running kernel has no /sys/kernel/btf/vmlinux";
    }
  }

  // check of profile_tp.o on the running kernel with the given profiles.
  testing::CommandResult Check(const std::vector<std::string>& profiles, bool json = false) {
    std::string args = "check --no-default-manifests ";
    if (json) args += "--json ";
    args += ShellQuote(Object());
    for (const std::string& p : profiles) args += " --load-profile " + ShellQuote(p);
    return RunCli(args);
  }

  // The summary line: "<object> on <kernel>: <verdict> (counts)".
  static std::string Summary(const std::string& out) {
    size_t start = out.rfind(Object() + " on ");
    if (start == std::string::npos) return "";
    std::string line = out.substr(start, out.find('\n', start) - start);
    return line.substr(line.find(": ") + 2);
  }

  fs::path Write(const std::string& name, const std::string& text) {
    fs::path path = testing::ProcessScratch("load_profile_cli_test") / name;
    testing::WriteFileOrDie(path, ByteView(reinterpret_cast<const uint8_t*>(text.data()),
                                           text.size()));
    return path;
  }
};

TEST_F(LoadProfileCli, WithoutAProfileTheToolFailsAtAttach) {
  auto result = Check({});
  EXPECT_EQ(result.exit_code, 8) << result.err;
  EXPECT_EQ(Summary(result.out), "fails at attach (2 errors, 0 warnings, 0 notes)") << result.out;
  EXPECT_NE(result.out.find("error: [attach-target] kc_no_such_tracepoint: program on_missing "
                            "attaches to 'kc_no_such_tracepoint'"),
            std::string::npos)
      << result.out;
  EXPECT_NE(result.out.find("error: [attach-target] on_bare: program on_bare in section tp_btf "
                            "names no attach target and the loader sets none"),
            std::string::npos)
      << result.out;
}

TEST_F(LoadProfileCli, TurningOffTheProgramsWithoutATargetMakesItLoad) {
  auto result = Check({ProfilePath("tp_off")});
  EXPECT_EQ(result.exit_code, 0) << result.err << result.out;
  EXPECT_EQ(Summary(result.out), "loads (0 errors, 0 warnings, 1 notes)") << result.out;
  EXPECT_NE(result.out.find(": note: [load-profile] " + ProfilePath("tp_off") +
                            ":5:1: checked as the loader prepares it: before load it turns off "
                            "on_missing, on_bare\n"),
            std::string::npos)
      << result.out;
  // One turned off, the other not: still fails, at the other.
  auto half = Check({ProfilePath("tp_off_missing_only")});
  EXPECT_EQ(half.exit_code, 8);
  EXPECT_EQ(Summary(half.out), "fails at attach (1 errors, 0 warnings, 1 notes)") << half.out;
}

TEST_F(LoadProfileCli, RetargetingToTracepointsTheKernelHasMakesItLoad) {
  auto result = Check({ProfilePath("tp_retarget")});
  EXPECT_EQ(result.exit_code, 0) << result.err << result.out;
  EXPECT_EQ(Summary(result.out), "loads (0 errors, 0 warnings, 1 notes)") << result.out;
  auto missing = Check({ProfilePath("tp_retarget_missing")});
  EXPECT_EQ(missing.exit_code, 8);
  EXPECT_EQ(Summary(missing.out), "fails at attach (1 errors, 0 warnings, 1 notes)");
  EXPECT_NE(missing.out.find("error: [attach-target] kc_still_missing: the loader sets the attach "
                             "target of program on_missing to 'kc_still_missing', which is not in "),
            std::string::npos)
      << missing.out;
}

TEST_F(LoadProfileCli, UnknownTargetsAndRodataAreNotesAndTheJsonNamesTheProfile) {
  auto result = Check({ProfilePath("tp_unknown")}, /*json=*/true);
  ASSERT_EQ(result.exit_code, 0) << result.err << result.out;
  auto json = nlohmann::json::parse(result.out);
  ASSERT_EQ(json["results"].size(), 1u);
  const auto& r = json["results"][0];
  EXPECT_EQ(r["verdict"], "loads");
  EXPECT_EQ(r["load_profile"], ProfilePath("tp_unknown") + ":4:1");
  std::vector<std::string> codes;
  for (const auto& f : r["findings"]) {
    codes.push_back(f["code"]);
    EXPECT_EQ(f["severity"], "note") << f.dump();
  }
  EXPECT_EQ(codes, (std::vector<std::string>{"load-profile", "attach-unchecked",
                                             "attach-unchecked"}));
  EXPECT_EQ(r["findings"][0]["message"],
            "checked as the loader prepares it: before load it sets the attach target of on_bare "
            "to one it chooses at run time; sets the attach target of on_missing to one it "
            "chooses at run time; sets rodata targ_pid (unknown), verbose = 1; resizes counts to "
            "4096 entries");
  EXPECT_EQ(r["findings"][1]["program"], "on_bare");
  // Without a profile the key is there, null.
  auto plain = Check({}, /*json=*/true);
  EXPECT_TRUE(nlohmann::json::parse(plain.out)["results"][0]["load_profile"].is_null());
}

TEST_F(LoadProfileCli, AnEntryMatchedBySha256sumsDigest) {
  auto digest = testing::RunCommand("sha256sum " + ShellQuote(Object()));
  ASSERT_EQ(digest.exit_code, 0) << digest.err;
  fs::path profile = Write("by_sha.toml", "format_version = 1\n[[object]]\nname = \"nothing*\"\n"
                                          "[[object]]\nsha256 = \"" + digest.out.substr(0, 64) +
                                          "\"\nautoload_off = [\"on_missing\", \"on_bare\"]\n");
  auto result = Check({profile.string()});
  EXPECT_EQ(result.exit_code, 0) << result.out;
  EXPECT_EQ(Summary(result.out), "loads (0 errors, 0 warnings, 1 notes)") << result.out;
  EXPECT_NE(result.out.find("[load-profile] " + profile.string() + ":4:1"), std::string::npos);
}

TEST_F(LoadProfileCli, NamesTheObjectLacksAreWarningsNamingTheClosest) {
  fs::path profile = Write("typo.toml", "format_version = 1\n[[object]]\nname = \"profile_tp.o\"\n"
                                        "autoload_off = [\"on_mising\", \"on_bare\"]\n"
                                        "rodata = { targ_pdi = 3 }\n");
  auto result = Check({profile.string()});
  EXPECT_EQ(result.exit_code, 12) << result.out;  // the typo warns, on_missing still fails
  EXPECT_NE(result.out.find("warning: [profile-unknown-name] on_mising: load profile " +
                            profile.string() + ":4:16 names program 'on_mising', which " +
                            Object() + " does not have (did you mean 'on_missing'?); the "
                            "setting is not applied\n"),
            std::string::npos)
      << result.out;
  EXPECT_NE(result.out.find("(did you mean 'targ_pid'?)"), std::string::npos) << result.out;
  EXPECT_EQ(Summary(result.out), "fails at attach (1 errors, 2 warnings, 1 notes)") << result.out;
}

// In the gate a cell that loads shows none of its findings, so a setting
// the profile names wrongly is the run's warning: printed once, exit bit 4
// (it was hidden, exit 0).
TEST_F(LoadProfileCli, TheGateRaisesAProfilesUnknownNameAsAWarningOfTheRun) {
  fs::path profile = Write("gate_typo.toml",
                           "format_version = 1\n[[object]]\nname = \"profile_tp.o\"\n"
                           "autoload_off = [\"on_missing\", \"on_switch\", \"on_bare\", "
                           "\"on_mising\"]\n");
  auto gate = RunCli("gate --no-default-manifests --progress never " + ShellQuote(Object()) +
                     " --kernel " + ShellQuote(std::string(KC_PROFILE_DIR) + "/profile_kernel.btf") +
                     " --load-profile " + ShellQuote(profile.string()));
  EXPECT_EQ(gate.exit_code, 4) << gate.out << gate.err;
  EXPECT_NE(gate.out.find("profile_tp.o  ok\n"), std::string::npos) << gate.out;
  const std::string warning = profile.string() + ":4:16: warning: load profile " +
                              profile.string() + ":4:16 names program 'on_mising'";
  EXPECT_NE(gate.out.find(warning), std::string::npos) << gate.out;
  EXPECT_EQ(gate.out.find(warning), gate.out.rfind(warning)) << gate.out;
}

TEST_F(LoadProfileCli, ABadProfileIsItsLocatedErrorsAndNothingChecked) {
  struct Case {
    std::string text;
    std::string line;  // after "<file>:"
  };
  const Case cases[] = {
      {"format_version = 1\n[[object]\nname = \"a\"\n",
       "2:10: error: Error while parsing table header: expected ']', saw '\\n'"},
      {"format_version = 1\n[[object]]\nname = \"a\"\nautolaod_off = []\n",
       "4:1: error: unknown key 'autolaod_off' in [[object]] (did you mean 'autoload_off'?)"},
      {"format_version = 1\n[[object]]\nsha256 = \"abc\"\n",
       "3:10: error: 'sha256' is 64 lowercase hexadecimal digits (sha256sum's output)"},
      {"format_version = 1\n[[object]]\nname = \"a\"\nrodata = { targ_pid = 1.5 }\n",
       "4:23: error: the value of targ_pid must be an integer, a boolean or \"unknown\" (set by "
       "user space at run time), not a number"},
      {"format_version = 2\n[[object]]\nname = \"a\"\n", "1:18: error: unsupported format_version (this kcontract reads 1)"},
  };
  int i = 0;
  for (const Case& c : cases) {
    fs::path bad = Write("bad" + std::to_string(i++) + ".toml", c.text);
    // A good profile beside it does not help: nothing is checked.
    auto result = Check({ProfilePath("tp_off"), bad.string()});
    EXPECT_EQ(result.exit_code, 1) << c.text;
    EXPECT_EQ(result.out, "") << c.text;
    EXPECT_EQ(result.err, bad.string() + ":" + c.line + "\n") << c.text;
  }
  fs::path missing = testing::ProcessScratch("load_profile_cli_test") / "missing.toml";
  auto result = Check({missing.string()});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_EQ(result.out, "");
  EXPECT_EQ(result.err, missing.string() + ": error: cannot open: No such file or directory\n");
}

TEST_F(LoadProfileCli, ObjectShowSaysWhatAProfileWouldNeedToSay) {
  auto result = RunCli("object show " + ShellQuote(Object()));
  EXPECT_EQ(result.exit_code, 0) << result.err;
  for (const std::string& expected : std::vector<std::string>{
           "placeholder on_missing  section tp_btf/kc_no_such_tracepoint  target "
           "kc_no_such_tracepoint  not in ",
           "(no TYPEDEF 'btf_trace_kc_no_such_tracepoint'): the loader turns the program off or "
           "sets a target the kernel has\n",
           "placeholder on_bare  section tp_btf  target -  the section names no target: libbpf "
           "refuses to load the program unless the loader sets one "
           "(bpf_program__set_attach_target)\n",
           "rodata targ_pid  const volatile int targ_pid  size 4  initial 0  read by on_switch\n",
           "rodata verbose  const volatile _Bool verbose  size 1  initial false  read by on_bare\n",
       }) {
    EXPECT_NE(result.out.find(expected), std::string::npos) << expected << "\nin:\n" << result.out;
  }
  // on_switch's sched_switch is in every kernel: no placeholder.
  EXPECT_EQ(result.out.find("placeholder on_switch"), std::string::npos) << result.out;

  auto json_result = RunCli("object show --json " + ShellQuote(Object()));
  ASSERT_EQ(json_result.exit_code, 0) << json_result.err;
  auto object = nlohmann::json::parse(json_result.out)["objects"][0];
  auto digest = testing::RunCommand("sha256sum " + ShellQuote(Object()));
  EXPECT_EQ(object["sha256"], digest.out.substr(0, 64));
  ASSERT_EQ(object["attach_placeholders"].size(), 2u);
  EXPECT_EQ(object["attach_placeholders"][0]["program"], "on_missing");
  EXPECT_EQ(object["attach_placeholders"][0]["target"], "kc_no_such_tracepoint");
  EXPECT_TRUE(object["attach_placeholders"][1]["target"].is_null());
  ASSERT_EQ(object["loader_rodata"].size(), 2u);
  EXPECT_EQ(object["loader_rodata"][0]["name"], "targ_pid");
  EXPECT_EQ(object["loader_rodata"][0]["size"], 4);
  EXPECT_EQ(object["loader_rodata"][0]["initial"], 0);
  EXPECT_EQ(object["loader_rodata"][0]["read_by"], nlohmann::json::array({"on_switch"}));
  EXPECT_EQ(object["loader_rodata"][1]["initial_text"], "false");
}

// guard_rodata_on.bpf.o (tests/corpus) reads mm_struct.lru_gen behind
// `const volatile bool use_lru_gen = true`; this machine's kernel has no
// lru_gen. The profile's rodata value reaches the verifier-reach analysis.
TEST(LoadProfileRodataCli, TheValueTheLoaderWritesDecidesWhetherTheGuardedReadIsReached) {
  if (!fs::exists("/sys/kernel/btf/vmlinux")) GTEST_SKIP() << "no /sys/kernel/btf/vmlinux";
  const std::string object = std::string(KC_CORPUS_DIR) + "/guard_rodata_on.bpf.o";
  auto check = [&](const std::string& profile) {
    std::string args = "check --no-default-manifests " + ShellQuote(object);
    if (!profile.empty()) args += " --load-profile " + ShellQuote(ProfilePath(profile));
    return RunCli(args);
  };
  auto summary = [&](const std::string& out) {
    size_t at = out.rfind(object + " on ");
    if (at == std::string::npos) return std::string();
    std::string line = out.substr(at, out.find('\n', at) - at);
    return line.substr(line.find(": ") + 2);
  };
  auto kernel = testing::RunCommand("grep -c lru_gen /proc/kallsyms");
  if (kernel.out.substr(0, 1) != "0") GTEST_SKIP() << "the running kernel has lru_gen";

  // As shipped the flag is true: the verifier reads it from frozen .rodata.
  auto shipped = check("");
  EXPECT_EQ(shipped.exit_code, 8) << shipped.out;
  EXPECT_EQ(summary(shipped.out), "fails at verifier (1 errors, 0 warnings, 0 notes)")
      << shipped.out;
  EXPECT_NE(shipped.out.find("the verifier reaches it at"), std::string::npos) << shipped.out;

  // The tool writes false before load: the read is never reached.
  auto off = check("guard_rodata_off");
  EXPECT_EQ(off.exit_code, 0) << off.out;
  EXPECT_EQ(summary(off.out), "loads (0 errors, 0 warnings, 2 notes)") << off.out;
  EXPECT_NE(off.out.find("before load it sets rodata use_lru_gen = 0\n"), std::string::npos)
      << off.out;
  EXPECT_NE(off.out.find("libbpf poisons the instruction; the verifier never reaches it\n"),
            std::string::npos)
      << off.out;

  // A value only user space knows: a warning naming the variable and values.
  auto unknown = check("guard_rodata_unknown");
  EXPECT_EQ(unknown.exit_code, 4) << unknown.out;
  EXPECT_EQ(summary(unknown.out), "loads (0 errors, 1 warnings, 1 notes)") << unknown.out;
  EXPECT_NE(unknown.out.find("warning: [core-poisoned] mm_struct->lru_gen.bitmap: "),
            std::string::npos)
      << unknown.out;
  EXPECT_NE(unknown.out.find("the verifier reaches it only when use_lru_gen in [1, 255], "
                             "variables user space sets before load\n"),
            std::string::npos)
      << unknown.out;

  // object show names the variable a profile may set, and who reads it.
  auto show = RunCli("object show " + ShellQuote(object));
  EXPECT_EQ(show.exit_code, 0) << show.err;
  EXPECT_NE(show.out.find("rodata use_lru_gen  const volatile bool use_lru_gen  size 1  initial "
                          "true  read by rodata_on\n"),
            std::string::npos)
      << show.out;
}

TEST_F(LoadProfileCli, ObjectShowWithAProfileSaysWhatItDoesOfEachNeed) {
  auto show = [&](const std::string& profile, bool json = false) {
    return RunCli(std::string("object show ") + (json ? "--json " : "") + ShellQuote(Object()) +
                  " --load-profile " + ShellQuote(ProfilePath(profile)));
  };
  auto unknown = show("tp_unknown");
  EXPECT_EQ(unknown.exit_code, 0) << unknown.err;
  for (const std::string& expected : std::vector<std::string>{
           "load profile " + ProfilePath("tp_unknown") + ":4:1\n",
           "(bpf_program__set_attach_target)  profile: target set at run time (unknown)\n",
           "read by on_switch  profile: set at run time (unknown)\n",
           "initial false  read by on_bare  profile: set to 1\n",
       }) {
    EXPECT_NE(unknown.out.find(expected), std::string::npos) << expected << "\nin:\n"
                                                             << unknown.out;
  }
  auto off = show("tp_off_missing_only");
  EXPECT_NE(off.out.find("or sets a target the kernel has  profile: turned off\n"),
            std::string::npos)
      << off.out;
  EXPECT_NE(off.out.find("(bpf_program__set_attach_target)  profile: nothing: libbpf loads it "
                         "with the section's target\n"),
            std::string::npos)
      << off.out;
  EXPECT_NE(off.out.find("read by on_switch  profile: nothing: the initial value stays\n"),
            std::string::npos)
      << off.out;

  auto json = nlohmann::json::parse(show("tp_retarget", /*json=*/true).out)["objects"][0];
  EXPECT_EQ(json["load_profile"], ProfilePath("tp_retarget") + ":4:1");
  EXPECT_EQ(json["attach_placeholders"][0]["program"], "on_missing");
  EXPECT_EQ(json["attach_placeholders"][0]["profile"], "target set to 'sched_wakeup'");
  EXPECT_EQ(json["attach_placeholders"][1]["profile"], "target set to 'sched_process_exec'");
  // Without a profile the keys are there, null, and the text says nothing.
  auto plain = RunCli("object show --json " + ShellQuote(Object()));
  auto plain_json = nlohmann::json::parse(plain.out)["objects"][0];
  EXPECT_TRUE(plain_json["load_profile"].is_null());
  EXPECT_TRUE(plain_json["attach_placeholders"][0]["profile"].is_null());
  EXPECT_TRUE(plain_json["loader_rodata"][0]["profile"].is_null());
  EXPECT_EQ(RunCli("object show " + ShellQuote(Object())).out.find("profile:"), std::string::npos);

  // A name the object lacks warns (exit bit 4), as in check; a bad profile
  // is its located error and nothing shown.
  fs::path typo = Write("show_typo.toml", "format_version = 1\n[[object]]\nname = \"profile_tp.o\"\n"
                                          "autoload_off = [\"on_mising\"]\n");
  auto warned = RunCli("object show " + ShellQuote(Object()) + " --load-profile " +
                       ShellQuote(typo.string()));
  EXPECT_EQ(warned.exit_code, 4) << warned.err;
  EXPECT_NE(warned.err.find("names program 'on_mising', which " + Object() +
                            " does not have (did you mean 'on_missing'?)"),
            std::string::npos)
      << warned.err;
  fs::path bad = Write("show_bad.toml", "format_version = 1\n[[object]]\nname = \"a\"\nautolaod_off = []\n");
  auto refused = RunCli("object show " + ShellQuote(Object()) + " --load-profile " +
                        ShellQuote(bad.string()));
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_EQ(refused.out, "");
  EXPECT_EQ(refused.err, bad.string() + ":4:1: error: unknown key 'autolaod_off' in [[object]] "
                                        "(did you mean 'autoload_off'?)\n");
}

TEST(ObjectShowProfileNeeds, LooksUpTargetsInTheKernelGiven) {
  std::string object = std::string(KC_PROFILE_DIR) + "/profile_model.o";
  std::string kernel = std::string(KC_PROFILE_DIR) + "/profile_kernel.btf";
  auto result = RunCli("object show --kernel " + ShellQuote(kernel) + " " + ShellQuote(object));
  EXPECT_EQ(result.exit_code, 0) << result.err;
  for (const std::string& expected : std::vector<std::string>{
           "placeholder on_placeholder  section fentry/dummy_fentry  target dummy_fentry  named "
           "like a placeholder and not in " + kernel + " (no FUNC 'dummy_fentry'): the loader "
           "sets the real target at run time, or turns the program off\n",
           "placeholder on_named_dummy  section fentry/dummy_handler  target dummy_handler  "
           "named like a placeholder: the loader sets the real target at run time, or turns the "
           "program off\n",
           "placeholder on_replace  section freplace/kc_sub  target -  freplace replaces a "
           "function of another BPF program",
           "rodata level  const volatile signed char level  size 1  initial -3  read by "
           "on_switch\n",
           "rodata comm  const volatile char comm[16]  size 16  initial \"kc\"  read by "
           "on_placeholder\n",
       }) {
    EXPECT_NE(result.out.find(expected), std::string::npos) << expected << "\nin:\n" << result.out;
  }
  EXPECT_EQ(result.out.find("rodata folded"), std::string::npos);
  EXPECT_EQ(result.out.find("rodata unread"), std::string::npos);
  EXPECT_EQ(result.out.find("placeholder on_kprobe"), std::string::npos);
  auto bad = RunCli("object show --kernel /nonexistent.btf " + ShellQuote(object));
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_EQ(bad.out, "");
}

}  // namespace
}  // namespace kcontract
