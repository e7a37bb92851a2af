// Load profiles applied (abi/profile/apply_profile.h, profile_needs.h) and
// the check of an object as the loader prepares it with one
// (CheckPrepared): tests/profiles/profile_model.bpf.c against the model
// kernel tests/profiles/profile_kernel.c (raw BTF), both built by clang.
#include "abi/profile/apply_profile.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "abi/contract/contract.h"
#include "abi/libbpf/libbpf_check.h"
#include "abi/policy/finding_policy.h"
#include "abi/prepared/prepared_check.h"
#include "abi/profile/profile_needs.h"
#include "btfdiff/base/sha256.h"
#include "btfdiff/source/kernel_source.h"
#include "tests/test_support.h"

namespace kcontract {
namespace {

std::string DataPath(const std::string& file) { return std::string(KC_PROFILE_DIR) + "/" + file; }

std::unique_ptr<BpfObject> ReadObject(const std::string& name) {
  auto objects = ReadBpfObjects(DataPath(name + ".o"));
  if (!objects.ok() || objects->size() != 1) throw std::runtime_error("cannot read " + name);
  return std::move(objects->front());
}

const KernelBtf& ModelKernel() {
  static const std::unique_ptr<KernelBtf> kernel = [] {
    auto loaded = LoadKernel(DataPath("profile_kernel.btf"));
    if (!loaded.ok()) throw std::runtime_error(std::string(loaded.status().message()));
    return *std::move(loaded);
  }();
  return *kernel;
}

LoadProfile Profile(const std::string& text) {
  LoadProfileReadResult read = ParseLoadProfile("format_version = 1\n" + text, "p.toml");
  if (!read.profile) throw std::runtime_error("bad profile: " + text);
  return *read.profile;
}

// The check `kcontract check --load-profile` makes: applied, then judged.
ObjectCheck Check(const BpfObject& object, const std::vector<LoadProfile>& profiles) {
  CheckTarget target(ModelKernel());
  AppliedProfile applied = MatchProfile(profiles, object);
  ObjectCheck check = CheckPrepared(object, target, ContractSet{}, applied).check;
  JudgeCheck(CheckPolicy{}, &check);
  return check;
}

std::vector<std::string> Lines(const ObjectCheck& check) {
  std::vector<std::string> lines;
  for (const Finding& f : check.findings) {
    lines.push_back(std::string(SeverityName(f.severity)) + " [" + f.code + "] " + f.subject +
                    " (" + f.program + "): " + f.message);
  }
  return lines;
}

bool Has(const ObjectCheck& check, std::string_view code, std::string_view subject) {
  return std::any_of(check.findings.begin(), check.findings.end(), [&](const Finding& f) {
    return f.code == code && f.subject == subject;
  });
}

const Finding* FindProgramFinding(const ObjectCheck& check, std::string_view code,
                                  std::string_view program) {
  for (const Finding& f : check.findings) {
    if (f.code == code && f.program == program) return &f;
  }
  return nullptr;
}

// ---- what the object reader adds for profiles ---------------------------------------

TEST(ObjectRodata, VariablesWithOffsetsInitialBytesAndReaders) {
  auto object = ReadObject("profile_model");
  auto find = [&](std::string_view name) -> const RodataVariable& {
    for (const RodataVariable& v : object->rodata) {
      if (v.name == name) return v;
    }
    throw std::runtime_error("no rodata variable " + std::string(name));
  };
  const RodataVariable& targ_pid = find("targ_pid");
  EXPECT_EQ(targ_pid.section, ".rodata");
  EXPECT_EQ(targ_pid.size, 4u);
  EXPECT_TRUE(targ_pid.const_volatile);
  EXPECT_EQ(targ_pid.declaration, "const volatile int targ_pid");
  // Read in skip_pid, a subprogram on_switch calls.
  EXPECT_EQ(targ_pid.read_by, std::vector<std::string>{"on_switch"});
  const RodataVariable& level = find("level");
  EXPECT_EQ(level.initial, std::vector<uint8_t>{0xfd});  // -3
  const RodataVariable& comm = find("comm");
  EXPECT_EQ(comm.size, 16u);
  EXPECT_TRUE(comm.const_volatile);  // clang puts an array's qualifiers on its elements
  EXPECT_EQ(comm.initial[0], 'k');
  EXPECT_EQ(comm.read_by, std::vector<std::string>{"on_placeholder"});
  EXPECT_FALSE(find("folded").const_volatile);
  EXPECT_TRUE(find("unread").read_by.empty());
}

TEST(ObjectSha256, IsTheDigestOfTheObjectsBytes) {
  auto object = ReadObject("profile_model");
  EXPECT_EQ(object->sha256, Sha256Hex(testing::ReadFileOrDie(DataPath("profile_model.o"))));
}

// ---- matching and checking a profile against the object ----------------------------

TEST(MatchProfile, NamesTheObjectLacksAreWarningsWithTheClosestName) {
  auto object = ReadObject("profile_model");
  std::vector<LoadProfile> profiles = {Profile(R"([[object]]
name = "profile_model.o"
autoload_off = ["on_mising"]
attach = { on_swich = "kc_wakeup" }
rodata = { targ_pdi = 1 }
map_max_entries = { evnets = 8 }
)")};
  ObjectCheck check = Check(*object, profiles);
  std::vector<std::string> unknown;
  for (const Finding& f : check.findings) {
    if (f.code == kProfileUnknownName) {
      EXPECT_EQ(f.severity, Severity::kWarning);
      unknown.push_back(f.message);
    }
  }
  std::string path = DataPath("profile_model.o");
  EXPECT_EQ(unknown,
            (std::vector<std::string>{
                "load profile p.toml:4:16 names program 'on_mising', which " + path +
                    " does not have (did you mean 'on_missing'?); the setting is not applied",
                "load profile p.toml:5:12 names program 'on_swich', which " + path +
                    " does not have (did you mean 'on_switch'?); the setting is not applied",
                "load profile p.toml:6:12 names rodata variable 'targ_pdi', which " + path +
                    " does not have (did you mean 'targ_pid'?); the setting is not applied",
                "load profile p.toml:7:21 names map 'evnets', which " + path +
                    " does not have (did you mean 'events'?); the setting is not applied"}))
      << ::testing::PrintToString(Lines(check));
  // Nothing was applied: on_missing still fails at attach.
  EXPECT_EQ(check.verdict, LoadStage::kExterns);
  EXPECT_TRUE(Has(check, "attach-target", "kc_missing"));
}

TEST(MatchProfile, SettingsThatCannotWorkAreWarnings) {
  auto object = ReadObject("profile_model");
  std::vector<LoadProfile> profiles = {Profile(R"([[object]]
name = "profile_model.o"
attach = { on_kprobe = "kc_do_open" }
rodata = { folded = 1, level = 300, comm = 1, enabled = "unknown" }
)")};
  ObjectCheck check = Check(*object, profiles);
  std::vector<std::string> subjects;
  for (const Finding& f : check.findings) {
    if (f.code != kProfileIneffective) continue;
    EXPECT_EQ(f.severity, Severity::kWarning);
    subjects.push_back(f.subject);
  }
  // A kprobe takes no target at load; `folded` is const but not volatile;
  // 300 does not fit a signed char; comm is no integer. enabled = "unknown"
  // is fine.
  EXPECT_EQ(subjects, (std::vector<std::string>{"on_kprobe", "comm", "folded", "level"}))
      << ::testing::PrintToString(Lines(check));
}

TEST(MatchProfile, BySha256BeforeAnyName) {
  auto object = ReadObject("profile_model");
  std::vector<LoadProfile> profiles = {Profile(R"([[object]]
name = "profile_*.o"
[[object]]
sha256 = ")" + object->sha256 + R"("
autoload_off = ["on_missing"]
)")};
  AppliedProfile applied = MatchProfile(profiles, *object);
  ASSERT_NE(applied.entry, nullptr);
  EXPECT_EQ(applied.label, "p.toml:4:1");
  EXPECT_TRUE(applied.entry->AutoloadOff("on_missing"));
  std::vector<LoadProfile> other = {Profile("[[object]]\nname = \"other*.o\"\n")};
  EXPECT_EQ(MatchProfile(other, *object).entry, nullptr);
}

TEST(CheckWithProfile, WithoutOneTheObjectFailsWhereItsProgramsDo) {
  auto object = ReadObject("profile_model");
  ObjectCheck check = Check(*object, {});
  EXPECT_EQ(check.load_profile, "");
  EXPECT_EQ(check.verdict, LoadStage::kExterns);  // bpf_kc_absent
  EXPECT_TRUE(Has(check, "kfunc-missing", "bpf_kc_absent"));
  EXPECT_NE(FindProgramFinding(check, "core-poisoned", "on_missing"), nullptr)
      << ::testing::PrintToString(Lines(check));
  EXPECT_TRUE(Has(check, "attach-target", "kc_missing"));
  EXPECT_TRUE(Has(check, "attach-target", "dummy_fentry"));
  EXPECT_TRUE(Has(check, "attach-target", "on_bare"));  // names no target
  EXPECT_FALSE(Has(check, "attach-target", "dummy_handler"));  // the kernel has it
}

TEST(CheckWithProfile, ProgramsOffLeaveOutRelocationAndAttachButNotExterns) {
  auto object = ReadObject("profile_model");
  std::vector<LoadProfile> profiles = {Profile(R"([[object]]
name = "profile_model.o"
autoload_off = ["on_missing", "on_placeholder", "on_bare"]
)")};
  ObjectCheck check = Check(*object, profiles);
  EXPECT_EQ(check.load_profile, "p.toml:2:1");
  EXPECT_EQ(FindProgramFinding(check, "core-poisoned", "on_missing"), nullptr);
  EXPECT_FALSE(Has(check, "attach-target", "kc_missing"));
  EXPECT_FALSE(Has(check, "attach-target", "dummy_fentry"));
  EXPECT_FALSE(Has(check, "attach-target", "on_bare"));
  // libbpf 1.1.2 resolves every extern, even one only a program with
  // autoload off calls.
  EXPECT_TRUE(Has(check, "kfunc-missing", "bpf_kc_absent"));
  EXPECT_EQ(check.verdict, LoadStage::kExterns) << ::testing::PrintToString(Lines(check));
  ASSERT_FALSE(check.findings.empty());
  EXPECT_EQ(check.findings[0].code, kLoadProfileApplied);
  EXPECT_EQ(check.findings[0].severity, Severity::kNote);
  EXPECT_EQ(check.findings[0].message,
            "checked as the loader prepares it: before load it turns off on_missing, "
            "on_placeholder, on_bare");
}

TEST(CheckWithProfile, RunTimeTargetsReplaceTheSectionsForTheAttachCheck) {
  auto object = ReadObject("profile_model");
  std::vector<LoadProfile> profiles = {Profile(R"([[object]]
name = "profile_model.o"
attach = { on_missing = "kc_wakeup", on_placeholder = "kc_do_open", on_bare = "kc_nope" }
)")};
  ObjectCheck check = Check(*object, profiles);
  EXPECT_FALSE(Has(check, "attach-target", "kc_missing"));
  EXPECT_FALSE(Has(check, "attach-target", "kc_wakeup"));
  EXPECT_FALSE(Has(check, "attach-target", "dummy_fentry"));
  EXPECT_FALSE(Has(check, "attach-target", "kc_do_open"));
  const Finding* nope = FindProgramFinding(check, "attach-target", "on_bare");
  ASSERT_NE(nope, nullptr) << ::testing::PrintToString(Lines(check));
  EXPECT_EQ(nope->subject, "kc_nope");
  EXPECT_EQ(nope->severity, Severity::kError);
  EXPECT_EQ(nope->message,
            "the loader sets the attach target of program on_bare to 'kc_nope', which is not in " +
                DataPath("profile_kernel.btf") +
            " (no FUNC 'kc_nope'); bpf_program__set_attach_target fails to find its BTF type id");
  // Retargeting does not turn a program off: on_missing still reads a
  // member the kernel lacks.
  EXPECT_NE(FindProgramFinding(check, "core-poisoned", "on_missing"), nullptr);
}

TEST(CheckWithProfile, UnknownTargetsAreNotCheckedAndSaySo) {
  auto object = ReadObject("profile_model");
  std::vector<LoadProfile> profiles = {Profile(R"([[object]]
name = "profile_model.o"
autoload_off = ["on_missing"]
attach = { on_placeholder = "unknown", on_bare = "unknown", on_replace = "unknown" }
)")};
  ObjectCheck check = Check(*object, profiles);
  EXPECT_FALSE(Has(check, "attach-target", "dummy_fentry"));
  EXPECT_FALSE(Has(check, "attach-target", "on_bare"));
  for (std::string_view program : {"on_placeholder", "on_bare", "on_replace"}) {
    const Finding* note = FindProgramFinding(check, kAttachUnchecked, program);
    ASSERT_NE(note, nullptr) << program << ::testing::PrintToString(Lines(check));
    EXPECT_EQ(note->severity, Severity::kNote);
    EXPECT_NE(note->message.find(std::string("program ") + std::string(program)),
              std::string::npos);
  }
}

// ---- the object as the loader prepares it ------------------------------------------

TEST(ApplyProfile, LeavesProgramsOutAndRecordsWhatTheLoaderSets) {
  auto object = ReadObject("profile_model");
  std::vector<LoadProfile> profiles = {Profile(R"([[object]]
name = "profile_model.o"
autoload_off = ["on_missing"]
attach = { on_bare = "kc_do_open", on_placeholder = "unknown", on_kprobe = "kc_do_open" }
rodata = { targ_pid = "unknown", level = -1, enabled = false, nothere = 1, comm = 5 }
map_max_entries = { events = 4096, nomap = 1 }
)")};
  AppliedProfile applied = MatchProfile(profiles, *object);
  auto prepared = ReadObject("profile_model");
  ApplyProfile(applied, prepared.get());
  EXPECT_EQ(prepared->loader.profile, "p.toml:2:1");
  std::vector<std::string> programs;
  for (const BpfProgram& p : prepared->programs) programs.push_back(p.name);
  EXPECT_EQ(std::count(programs.begin(), programs.end(), "on_missing"), 0);
  EXPECT_EQ(programs.size(), object->programs.size() - 1);
  for (const CoreRelocation& r : prepared->core_relocations) EXPECT_NE(r.program, "on_missing");
  for (const BpfProgram& p : prepared->programs) {
    if (p.name == "on_bare") {
      EXPECT_TRUE(p.attach_target_set_by_loader);
      EXPECT_EQ(p.attach_target, "kc_do_open");
    } else if (p.name == "on_placeholder") {
      EXPECT_TRUE(p.attach_target_set_by_loader);
      EXPECT_EQ(p.attach_target, "");
    } else {
      // on_kprobe takes no target at load: nothing is set.
      EXPECT_FALSE(p.attach_target_set_by_loader) << p.name;
    }
  }
  EXPECT_EQ(prepared->externs.size(), object->externs.size());
  // What the reach analysis reads: each variable the loader sets, with its
  // value or "unknown"; settings that cannot apply are left out.
  ASSERT_EQ(prepared->loader.rodata.size(), 3u);
  const LoaderRodataValue* targ_pid = prepared->loader.FindRodata("targ_pid");
  ASSERT_NE(targ_pid, nullptr);
  EXPECT_EQ(targ_pid->value, std::nullopt);
  EXPECT_EQ(prepared->loader.FindRodata("level")->value, ~uint64_t{0});
  EXPECT_EQ(prepared->loader.FindRodata("enabled")->value, 0u);
  EXPECT_EQ(prepared->loader.FindRodata("nothere"), nullptr);
  EXPECT_EQ(prepared->loader.FindRodata("comm"), nullptr);
  ASSERT_EQ(prepared->loader.map_max_entries.size(), 1u);
  EXPECT_EQ(prepared->loader.map_max_entries[0].map, "events");
  EXPECT_EQ(prepared->loader.map_max_entries[0].max_entries, 4096u);
}

TEST(ApplyProfile, NoEntryChangesNothing) {
  auto object = ReadObject("profile_model");
  auto prepared = ReadObject("profile_model");
  ApplyProfile(AppliedProfile{}, prepared.get());
  EXPECT_EQ(prepared->programs.size(), object->programs.size());
  EXPECT_EQ(prepared->loader.profile, "");
  EXPECT_TRUE(prepared->loader.rodata.empty());
}

// ---- what a profile would need to say ----------------------------------------------

TEST(ProfileNeeds, PlaceholdersAndTheRodataProgramsRead) {
  auto object = ReadObject("profile_model");
  ProfileNeeds needs = FindProfileNeeds(*object, &ModelKernel().names(), "model");
  std::vector<std::string> placeholders;
  for (const AttachPlaceholder& p : needs.placeholders) {
    placeholders.push_back(p.program + " " + p.target + ": " + p.reason);
  }
  EXPECT_EQ(placeholders,
            (std::vector<std::string>{
                "on_missing kc_missing: not in model (no TYPEDEF 'btf_trace_kc_missing'): the "
                "loader turns the program off or sets a target the kernel has",
                "on_placeholder dummy_fentry: named like a placeholder and not in model (no FUNC "
                "'dummy_fentry'): the loader sets the real target at run time, or turns the "
                "program off",
                "on_named_dummy dummy_handler: named like a placeholder: the loader sets the real "
                "target at run time, or turns the program off",
                "on_bare : the section names no target: libbpf refuses to load the program unless "
                "the loader sets one (bpf_program__set_attach_target)",
                "on_replace : freplace replaces a function of another BPF program, which only the "
                "loader can give (bpf_program__set_attach_target with that program's fd); libbpf "
                "refuses to load it otherwise"}));
  std::vector<std::string> rodata;
  for (const LoaderRodata& r : needs.rodata) {
    rodata.push_back(r.variable->name + "=" + r.initial_text);
  }
  // Not `folded` (not volatile) nor `unread` (no program reads it).
  EXPECT_EQ(rodata, (std::vector<std::string>{"targ_pid=0", "level=-3", "comm=\"kc\"",
                                              "enabled=true"}));
  EXPECT_EQ(needs.rodata[1].initial_signed, -3);
  // Without a kernel, targets are judged by their names alone.
  ProfileNeeds by_name = FindProfileNeeds(*object, nullptr, "");
  EXPECT_EQ(by_name.placeholders.size(), 4u);
}

TEST(ProfileNeeds, PlaceholderNames) {
  for (std::string_view name : {"dummy", "dummy_fentry", "placeholder", "placeholder_tp"}) {
    EXPECT_TRUE(IsPlaceholderName(name)) << name;
  }
  for (std::string_view name : {"dummyfn", "do_dummy", "bpf_dummy_reg", "sched_switch", ""}) {
    EXPECT_FALSE(IsPlaceholderName(name)) << name;
  }
}

}  // namespace
}  // namespace kcontract
