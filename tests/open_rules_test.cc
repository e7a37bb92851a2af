// libbpf 1.1.2's refusals of an object itself (abi/libbpf/open_rules.h):
// each rule on the corpus object made for it (tests/corpus/open_*.bpf.c),
// with the libbpf message it quotes checked against what the system's
// libbpf really prints for that object; then each rule's edges on objects
// described directly.
#include "abi/libbpf/open_rules.h"

#include <bpf/libbpf.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdarg>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "abi/libbpf/libbpf_check.h"
#include "abi/policy/finding_policy.h"
#include "btfdiff/source/kernel_source.h"
#include "tests/test_support.h"

namespace kcontract {
namespace {

std::string CorpusPath(const std::string& name) {
  return std::string(KC_CORPUS_DIR) + "/" + name + ".bpf.o";
}

std::unique_ptr<BpfObject> ReadCorpus(const std::string& name) {
  auto objects = ReadBpfObjects(CorpusPath(name));
  EXPECT_TRUE(objects.ok()) << objects.status();
  if (!objects.ok() || objects->size() != 1) return nullptr;
  return std::move(objects->front());
}

// libbpf's warnings for one object: bpf_object__open_file, then, if it
// opened, bpf_object__load (which prepares the programs).
std::vector<std::string>* g_warnings = nullptr;
int CaptureWarning(enum libbpf_print_level level, const char* format, va_list args) {
  if (level != LIBBPF_WARN || g_warnings == nullptr) return 0;
  char line[1024];
  vsnprintf(line, sizeof(line), format, args);
  g_warnings->push_back(line);
  return 0;
}

std::vector<std::string> LibbpfWarnings(const std::string& path, bool load) {
  std::vector<std::string> warnings;
  g_warnings = &warnings;
  libbpf_print_fn_t previous = libbpf_set_print(CaptureWarning);
  bpf_object* obj = bpf_object__open_file(path.c_str(), nullptr);
  if (libbpf_get_error(obj) == 0) {
    if (load) bpf_object__load(obj);
    bpf_object__close(obj);
  }
  libbpf_set_print(previous);
  g_warnings = nullptr;
  return warnings;
}

// The libbpf message a finding quotes: the text of its first `libbpf: "..."`.
std::string QuotedLibbpfMessage(const std::string& message) {
  constexpr std::string_view kMarker = "libbpf: \"";
  size_t from = message.find(kMarker);
  if (from == std::string::npos) return "";
  from += kMarker.size();
  size_t to = message.find('"', from);
  return to == std::string::npos ? "" : message.substr(from, to - from);
}

struct CorpusCase {
  const char* object;
  std::string_view code;
  const char* subject;
  bool libbpf_fails_at_load;  // after opening, when it prepares the program
};

class OpenRulesOnCorpus : public ::testing::TestWithParam<CorpusCase> {};

TEST_P(OpenRulesOnCorpus, OneFindingThatQuotesWhatLibbpfSays) {
  const CorpusCase& c = GetParam();
  auto object = ReadCorpus(c.object);
  ASSERT_NE(object, nullptr);
  std::vector<Finding> findings = CheckOpenRules(*object);
  ASSERT_EQ(findings.size(), 1u);
  const Finding& f = findings[0];
  EXPECT_EQ(f.code, c.code);
  // The byte order is the whole object's fault: it names the file.
  EXPECT_EQ(f.subject, *c.subject ? std::string(c.subject) : object->path);
  // libbpf prepares each program's load after relocation: a program's
  // preparation refusals are at the attach step, the object's at open.
  EXPECT_EQ(f.stage, c.libbpf_fails_at_load ? LoadStage::kAttach : LoadStage::kOpen);
  EXPECT_EQ(f.effect, LoadEffect::kLibbpfRejects);
  std::string quoted = QuotedLibbpfMessage(f.message);
  ASSERT_FALSE(quoted.empty()) << f.message;

  // The system's libbpf says it, at the step the rule says.
  std::vector<std::string> at_open = LibbpfWarnings(CorpusPath(c.object), false);
  if (c.libbpf_fails_at_load) {
    EXPECT_TRUE(at_open.empty()) << at_open.front();
    std::string why_not;
    if (!testing::CanLoadBpfPrograms(&why_not)) GTEST_SKIP() << why_not;
  }
  std::vector<std::string> warnings =
      c.libbpf_fails_at_load ? LibbpfWarnings(CorpusPath(c.object), true) : at_open;
  bool said = false;
  std::string all;
  for (const std::string& w : warnings) {
    said |= w.find(quoted) != std::string::npos;
    all += w;
  }
  EXPECT_TRUE(said) << "kcontract quotes \"" << quoted << "\"; libbpf said:\n" << all;
}

INSTANTIATE_TEST_SUITE_P(
    EachRule, OpenRulesOnCorpus,
    ::testing::Values(
        CorpusCase{"open_big_endian", kOpenByteOrderCode, "", false},
        CorpusCase{"open_legacy_maps", kOpenLegacyMapsCode, "maps", false},
        CorpusCase{"open_static_program", kOpenStaticProgramCode, "static_program", false},
        CorpusCase{"open_no_btf_maps", kOpenBtfRequiredCode, ".maps", false},
        CorpusCase{"open_no_prog_type", kOpenNoProgTypeCode, "no_prog_type", true},
        CorpusCase{"open_freplace_no_target", kOpenAttachProgramUnsetCode,
                   "freplace_no_target", true}),
    [](const ::testing::TestParamInfo<CorpusCase>& info) {
      return std::string(info.param.object);
    });

TEST(OpenRules, BigEndianObjectIsReadAsBpfAndOnlyItsByteOrderJudged) {
  auto object = ReadCorpus("open_big_endian");
  ASSERT_NE(object, nullptr);
  EXPECT_TRUE(object->big_endian);
  EXPECT_EQ(object->btf, nullptr);
  EXPECT_EQ(object->license, "GPL");
  ASSERT_EQ(object->programs.size(), 1u);
  EXPECT_EQ(object->programs[0].name, "big_endian");
  EXPECT_EQ(object->programs[0].prog_type, "kprobe");
  std::vector<Finding> findings = CheckOpenRules(*object);
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].subject, object->path);
  EXPECT_NE(findings[0].message.find("big-endian BPF"), std::string::npos);
  EXPECT_EQ(findings[0].message.find("not an EM_BPF"), std::string::npos);
}

// The verdict over a whole check: the open rules come first, and an
// object refused for want of BTF is not also told it "has no BTF".
TEST(OpenRules, CheckObjectStopsAtOpen) {
  std::filesystem::path btf = testing::SharedKernelDir("host-6.18.44") / "vmlinux.btf";
  KC_REQUIRE_PATH(btf);
  auto kernel = LoadKernel(btf.string());
  ASSERT_TRUE(kernel.ok()) << kernel.status();
  CheckTarget target(**kernel);
  for (const char* name : {"open_big_endian", "open_legacy_maps", "open_static_program",
                           "open_no_btf_maps", "open_no_prog_type",
                           "open_freplace_no_target"}) {
    SCOPED_TRACE(name);
    auto object = ReadCorpus(name);
    ASSERT_NE(object, nullptr);
    ObjectCheck check = CheckObject(*object, target);
    JudgeCheck(CheckPolicy{}, &check);
    // libbpf prepares each program's load after relocation: those two
    // refusals come at the attach step.
    const bool prepared = std::string_view(name) == "open_no_prog_type" ||
                          std::string_view(name) == "open_freplace_no_target";
    EXPECT_EQ(check.verdict, prepared ? LoadStage::kAttach : LoadStage::kOpen);
    ASSERT_EQ(check.findings.size(), 1u);
    EXPECT_EQ(check.findings[0].severity, Severity::kError);
  }
}

// A ksym whose BTF is a forward declaration: an extern-stage refusal, in
// libbpf's words, with the object's and the kernel's type ids.
TEST(OpenRules, KsymOfAForwardDeclaredTypeFailsAtExtern) {
  std::filesystem::path btf = testing::SharedKernelDir("host-6.18.44") / "vmlinux.btf";
  KC_REQUIRE_PATH(btf);
  auto kernel = LoadKernel(btf.string());
  ASSERT_TRUE(kernel.ok()) << kernel.status();
  auto object = ReadCorpus("open_extern_fwd");
  ASSERT_NE(object, nullptr);
  EXPECT_TRUE(CheckOpenRules(*object).empty());
  ObjectCheck check = CheckObject(*object, CheckTarget(**kernel));
  JudgeCheck(CheckPolicy{}, &check);
  EXPECT_EQ(check.verdict, LoadStage::kExterns);
  const Finding* fwd = nullptr;
  for (const Finding& f : check.findings) {
    if (f.code == "ksym-type") fwd = &f;
  }
  ASSERT_NE(fwd, nullptr);
  EXPECT_EQ(fwd->stage, LoadStage::kExterns);
  EXPECT_NE(fwd->message.find("only a forward declaration of 'struct rq'"), std::string::npos)
      << fwd->message;
  EXPECT_NE(fwd->message.find("\"extern (var ksym) 'runqueues': incompatible types, expected ["),
            std::string::npos)
      << fwd->message;
  EXPECT_NE(fwd->message.find("] fwd rq, but kernel has ["), std::string::npos) << fwd->message;
  EXPECT_NE(fwd->message.find("] struct rq\""), std::string::npos) << fwd->message;
  // One error: the kernel's lack of CONFIG_KALLSYMS_ALL matters only to a
  // ksym libbpf resolves.
  int errors = 0;
  for (const Finding& f : check.findings) errors += f.severity == Severity::kError;
  EXPECT_EQ(errors, 1);
}

// On the running kernel, the line libbpf prints, ids included.
TEST(OpenRules, KsymOfAForwardDeclaredTypeInLibbpfsWords) {
  std::string why_not;
  if (!testing::CanLoadBpfPrograms(&why_not)) GTEST_SKIP() << why_not;
  auto kernel = LoadKernel(std::string(kRunningKernel));
  ASSERT_TRUE(kernel.ok()) << kernel.status();
  auto object = ReadCorpus("open_extern_fwd");
  ASSERT_NE(object, nullptr);
  ObjectCheck check = CheckObject(*object, CheckTarget(**kernel));
  std::string quoted;
  for (const Finding& f : check.findings) {
    if (f.code == "ksym-type") quoted = QuotedLibbpfMessage(f.message);
  }
  ASSERT_FALSE(quoted.empty());
  std::vector<std::string> warnings = LibbpfWarnings(CorpusPath("open_extern_fwd"), true);
  std::string all;
  for (const std::string& w : warnings) all += w;
  EXPECT_NE(std::find(warnings.begin(), warnings.end(), "libbpf: " + quoted + "\n"),
            warnings.end())
      << "kcontract quotes \"" << quoted << "\"; libbpf said:\n" << all;
}

// ---- the rules' edges, on objects described directly ----------------------

BpfProgram Program(std::string name, std::string section, std::string prog_type) {
  BpfProgram p;
  p.name = std::move(name);
  p.section = std::move(section);
  p.prog_type = std::move(prog_type);
  return p;
}

std::vector<std::string> Codes(const std::vector<Finding>& findings) {
  std::vector<std::string> codes;
  for (const Finding& f : findings) codes.push_back(f.code + ":" + f.subject);
  return codes;
}

TEST(OpenRules, ProgramsLibbpfDoesNotLoadAreNotPrepared) {
  BpfObject object;
  object.programs.push_back(Program("off", "kc_no_such_type", ""));
  object.programs.back().autoload = false;
  object.programs.push_back(Program("replace_off", "freplace/x", "ext"));
  object.programs.back().autoload = false;
  EXPECT_TRUE(CheckOpenRules(object).empty());
  // Being static is judged when libbpf opens the object, autoload or not;
  // it names the section as the ELF does, '?' included.
  object.programs[0].global = false;
  std::vector<Finding> findings = CheckOpenRules(object);
  ASSERT_EQ(Codes(findings), std::vector<std::string>{"static-program:off"});
  EXPECT_NE(findings[0].message.find("sec '?kc_no_such_type': program 'off' is static"),
            std::string::npos)
      << findings[0].message;
}

TEST(OpenRules, FreplaceTargetOnlyTheLoaderCanGive) {
  BpfObject object;
  // Kernel programs without a target are the attach step's (libbpf_check).
  object.programs.push_back(Program("fentry_any", "fentry", "tracing"));
  object.programs.push_back(Program("lsm_any", "lsm.s", "lsm"));
  object.programs.push_back(Program("replace_any", "freplace", "ext"));
  object.programs.push_back(Program("replace_named", "freplace/handler", "ext"));
  object.programs.push_back(Program("replace_set", "freplace/handler", "ext"));
  object.programs.back().attach_target_set_by_loader = true;  // a load profile says so
  object.programs.push_back(Program("probe", "kprobe", "kprobe"));
  std::vector<Finding> findings = CheckOpenRules(object);
  EXPECT_EQ(Codes(findings),
            (std::vector<std::string>{"attach-target-unset:replace_any",
                                      "attach-program-unset:replace_named"}));
  ASSERT_EQ(findings.size(), 2u);
  EXPECT_NE(findings[0].message.find("prog 'replace_any': no BTF-based attach target is "
                                     "specified, use bpf_program__set_attach_target()"),
            std::string::npos);
  EXPECT_EQ(findings[0].stage, LoadStage::kAttach);
  EXPECT_NE(findings[1].message.find("prog 'replace_named': attach program FD is not set"),
            std::string::npos);
  EXPECT_EQ(findings[1].stage, LoadStage::kAttach);
  for (const Finding& f : findings) EXPECT_EQ(f.program, f.subject);
}

TEST(OpenRules, WithoutBtfOnlyWhatNeedsItIsRefused) {
  BpfObject object;
  object.programs.push_back(Program("probe", "kprobe/do_nanosleep", "kprobe"));
  EXPECT_TRUE(CheckOpenRules(object).empty());  // plain programs need no BTF
  object.extern_symbols = {"LINUX_KERNEL_VERSION", "bpf_kc_probe"};
  std::vector<Finding> findings = CheckOpenRules(object);
  ASSERT_EQ(Codes(findings), std::vector<std::string>{"btf-required:LINUX_KERNEL_VERSION"});
  EXPECT_NE(findings[0].message.find("(the first of 2 externs)"), std::string::npos);
  EXPECT_NE(findings[0].message.find("failed to find BTF for extern 'LINUX_KERNEL_VERSION'"),
            std::string::npos);
  // BTF-defined maps and struct_ops: libbpf says so before it looks at externs.
  object.btf_described_sections = {".maps", ".struct_ops"};
  findings = CheckOpenRules(object);
  ASSERT_EQ(Codes(findings), std::vector<std::string>{"btf-required:.maps"});
  EXPECT_NE(findings[0].message.find("sections .maps and .struct_ops"), std::string::npos);
}

TEST(OpenRules, InLibbpfsOrder) {
  BpfObject object;
  object.legacy_maps = true;
  object.programs.push_back(Program("hidden", "kprobe/x", "kprobe"));
  object.programs.back().global = false;
  object.programs.push_back(Program("untyped", "kc_nothing", ""));
  object.btf_described_sections = {".maps"};
  EXPECT_EQ(Codes(CheckOpenRules(object)),
            (std::vector<std::string>{"legacy-maps:maps", "static-program:hidden",
                                      "btf-required:.maps", "no-prog-type:untyped"}));
  object.big_endian = true;  // then libbpf reads nothing else
  EXPECT_EQ(Codes(CheckOpenRules(object)), std::vector<std::string>{"byte-order:"});
}

}  // namespace
}  // namespace kcontract
