// The shims and the loader helper: the revision tags objects carry, the plan
// each kernel gets (the shared 6.1, 6.12 and 6.18 kernels), and what libbpf
// 1.1.2 really does on the running kernel with and without the helper's
// settings -- the facts shims/kcontract/*.h rest on.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include <cerrno>
#include <iostream>
#include <string>
#include <vector>

#include "abi/libbpf/libbpf_check.h"
#include "abi/loader/loader.h"
#include "abi/manifest/contract_loader.h"
#include "abi/object/bpf_object.h"
#include "abi/revision/revision_plan.h"
#include "abi/revision/revision_tags.h"
#include "btfdiff/source/kernel_source.h"
#include "shims/kcontract_loader.h"
#include "tests/test_support.h"

namespace kcontract {
namespace {

using testing::CanLoadBpfPrograms;
using testing::SharedKernelDir;

std::string ObjectPath(const std::string& name) {
  return std::string(KCONTRACT_OBJECT_DIR) + "/" + name + ".o";
}

std::string SourceManifests() { return std::string(KCONTRACT_SOURCE_DIR) + "/manifests"; }

std::unique_ptr<BpfObject> Read(const std::string& name) {
  auto objects = ReadBpfObjects(ObjectPath(name));
  EXPECT_TRUE(objects.ok()) << objects.status();
  if (!objects.ok() || objects->size() != 1) return nullptr;
  return std::move(objects->front());
}

// The repository's manifests in the place of the installed ones: the tests
// do not depend on what is installed.
LoaderOptions RepositoryContracts(std::string kernel = std::string(kRunningKernel)) {
  LoaderOptions options;
  options.kernel = std::move(kernel);
  options.contracts.installed_dir = SourceManifests();
  return options;
}

ContractSet LoadRepositoryContracts() {
  std::vector<std::string> warnings;
  ContractSources sources;
  sources.installed_dir = SourceManifests();
  absl::StatusOr<ContractSet> contracts = LoadContracts(sources, &warnings);
  EXPECT_TRUE(contracts.ok()) << contracts.status();
  return contracts.ok() ? std::move(*contracts) : ContractSet();
}

// An opened bpf_object that closes itself.
struct OpenObject {
  explicit OpenObject(const std::string& path) : obj(bpf_object__open_file(path.c_str(), nullptr)) {}
  ~OpenObject() { bpf_object__close(obj); }
  OpenObject(const OpenObject&) = delete;
  OpenObject& operator=(const OpenObject&) = delete;
  bpf_map* Map(const char* name) const { return bpf_object__find_map_by_name(obj, name); }
  bpf_program* Program(const char* name) const { return bpf_object__find_program_by_name(obj, name); }
  bpf_object* obj;
};

#define KC_REQUIRE_BPF_LOADS()                              \
  do {                                                      \
    std::string why;                                        \
    if (!CanLoadBpfPrograms(&why)) GTEST_SKIP() << why;     \
  } while (0)

bool LibbpfIs(uint32_t major, uint32_t minor) {
  return libbpf_major_version() == major && libbpf_minor_version() == minor;
}

// Whether libbpf created `map` in the kernel. bpf_map__fd() alone cannot
// say: in 1.5.0 and 1.7.0 (not 1.3.0) a map libbpf leaves out keeps a
// placeholder fd (a memfd), which bpf_map__fd() returns once the object is
// prepared.
bool CreatedInKernel(const bpf_map* map) {
  const int fd = bpf_map__fd(map);
  if (fd < 0) return false;
  bpf_map_info info{};
  __u32 size = sizeof(info);
  return bpf_obj_get_info_by_fd(fd, &info, &size) == 0;
}

// --- the tags --------------------------------------------------------------

TEST(RevisionTags, EachRevisionOfATableIsAMapTaggedWithItsName) {
  std::unique_ptr<BpfObject> object = Read("loader_cc_revisions");
  ASSERT_NE(object, nullptr);
  RevisionTags tags = ReadRevisionTags(*object->btf);
  EXPECT_TRUE(tags.warnings.empty());
  ASSERT_EQ(tags.struct_ops.size(), 2u);
  EXPECT_EQ(tags.struct_ops[0].map, "kc_cc_6_1");
  EXPECT_EQ(tags.struct_ops[0].interface, "tcp_congestion_ops");
  EXPECT_EQ(tags.struct_ops[0].revision, "6.1.0-50-amd64");
  EXPECT_EQ(tags.struct_ops[1].map, "kc_cc_6_12");
  EXPECT_EQ(tags.struct_ops[1].revision, "6.12.111+deb12-amd64");
}

TEST(RevisionTags, ASlotListsItsCandidatesWithRevisionsInOrder) {
  std::unique_ptr<BpfObject> object = Read("loader_key_revisions");
  ASSERT_NE(object, nullptr);
  RevisionTags tags = ReadRevisionTags(*object->btf);
  EXPECT_TRUE(tags.warnings.empty());
  ASSERT_EQ(tags.kfunc_slots.size(), 1u);
  const KfuncSlot& slot = tags.kfunc_slots[0];
  EXPECT_EQ(slot.name, "user_key");
  EXPECT_EQ(slot.variable, "__kcontract_kfunc_user_key");
  EXPECT_EQ(slot.section, ".rodata");
  EXPECT_EQ(slot.size, 4u);
  EXPECT_FALSE(slot.required);
  EXPECT_EQ(slot.CandidatesText(),
            "bpf_lookup_user_key@6.18.44&bpf_key_put, bpf_lookup_user_key@6.1.0-50-amd64&bpf_key_put");
}

TEST(RevisionTags, MalformedTagsAreReportedAndNeverUsed) {
  std::unique_ptr<BpfObject> object = Read("loader_bad_tags");
  ASSERT_NE(object, nullptr);
  RevisionTags tags = ReadRevisionTags(*object->btf);
  EXPECT_TRUE(tags.empty());
  std::string all;
  for (const TagWarning& w : tags.warnings) all += w.tag + ": " + w.message + "\n";
  ASSERT_EQ(tags.warnings.size(), 3u) << all;
  EXPECT_NE(all.find("in section .bss, not a struct_ops map"), std::string::npos) << all;
  EXPECT_NE(all.find("bpf_x;rm -rf,: tag"), std::string::npos) << all;
  EXPECT_NE(all.find("not a 4-byte int"), std::string::npos) << all;
}

// --- the plan on the shared kernels ----------------------------------------

struct SharedKernel {
  std::string name;  // ../shared/kernels/<name>
  std::unique_ptr<KernelBtf> kernel;
};

std::vector<SharedKernel> LoadSharedKernels() {
  std::vector<SharedKernel> kernels;
  for (const char* name : {"debian-6.1.0-50-amd64", "debian-6.12.111-amd64", "host-6.18.44"}) {
    std::filesystem::path dir = SharedKernelDir(name);
    if (!std::filesystem::exists(dir)) return {};
    absl::StatusOr<std::unique_ptr<KernelBtf>> kernel = LoadKernel(dir.string());
    EXPECT_TRUE(kernel.ok()) << kernel.status();
    if (!kernel.ok()) return {};
    kernels.push_back({name, std::move(*kernel)});
  }
  return kernels;
}

TEST(RevisionPlan, EachSharedKernelGetsItsTcpCongestionOpsRevision) {
  std::vector<SharedKernel> kernels = LoadSharedKernels();
  if (kernels.empty()) GTEST_SKIP() << "needs ../shared/kernels";
  std::unique_ptr<BpfObject> object = Read("loader_cc_revisions");
  ASSERT_NE(object, nullptr);
  ContractSet contracts = LoadRepositoryContracts();
  const std::vector<std::string> expected = {"kc_cc_6_1", "kc_cc_6_12", "kc_cc_6_12"};
  for (size_t i = 0; i < kernels.size(); ++i) {
    CheckTarget target(*kernels[i].kernel);
    RevisionPlan plan = PlanRevisions(*object, target, contracts);
    ASSERT_FALSE(plan.refused()) << kernels[i].name << ": " << plan.RefusalMessage();
    ASSERT_EQ(plan.struct_ops.size(), 1u);
    EXPECT_EQ(plan.struct_ops[0].enabled_map, expected[i]) << kernels[i].name;
    std::string other = expected[i] == "kc_cc_6_1" ? "kc_cc_6_12" : "kc_cc_6_1";
    EXPECT_EQ(plan.disabled_maps, std::vector<std::string>{other}) << kernels[i].name;
    // The other revision's four callbacks stay out of the load.
    ASSERT_EQ(plan.disabled_programs.size(), 4u) << kernels[i].name;
    for (const std::string& program : plan.disabled_programs) {
      EXPECT_EQ(program.rfind(other + "_", 0), 0u) << program;
    }
  }
}

TEST(RevisionPlan, AKfuncThatKeptItsNameGetsTheRevisionOfItsPrototype) {
  std::vector<SharedKernel> kernels = LoadSharedKernels();
  if (kernels.empty()) GTEST_SKIP() << "needs ../shared/kernels";
  std::unique_ptr<BpfObject> object = Read("loader_key_revisions");
  ASSERT_NE(object, nullptr);
  ContractSet contracts = LoadRepositoryContracts();
  // 6.1 and 6.12: (u32 serial, ...), recorded as "6.1.0-50-amd64"; 6.18: s32.
  const std::vector<int> expected = {1, 1, 0};
  for (size_t i = 0; i < kernels.size(); ++i) {
    CheckTarget target(*kernels[i].kernel);
    RevisionPlan plan = PlanRevisions(*object, target, contracts);
    ASSERT_EQ(plan.kfunc_slots.size(), 1u);
    EXPECT_EQ(plan.kfunc_slots[0].chosen, expected[i]) << kernels[i].name;
    ASSERT_EQ(plan.rodata.size(), 1u);
    EXPECT_EQ(plan.rodata[0].value, expected[i]);
    if (expected[i] == 1) {
      ASSERT_EQ(plan.kfunc_slots[0].rejected.size(), 1u);
      EXPECT_EQ(plan.kfunc_slots[0].rejected[0],
                "bpf_lookup_user_key@6.18.44&bpf_key_put: bpf_lookup_user_key: the kernel has "
                "revision 6.1.0-50-amd64, not 6.18.44");
    }
  }
}

// --- libbpf 1.1.2 on the running kernel -------------------------------------

// The control: without the helper, a struct_ops table the kernel lacks
// fails the whole load, though the object's other program would load.
TEST(Libbpf112OnTheRunningKernel, ATableTheKernelLacksFailsTheWholeLoad) {
  KC_REQUIRE_BPF_LOADS();
  OpenObject o(ObjectPath("loader_absent_table"));
  ASSERT_NE(o.obj, nullptr);
  EXPECT_NE(bpf_object__load(o.obj), 0);
  EXPECT_LT(bpf_program__fd(o.Program("kc_absent_plain")), 0);
}

// What libbpf >= 1.4 needs alone is not enough for 1.1.2: it prepares the
// kernel side of every struct_ops map, created or not. Measured: when no
// program left to load needs the kernel's BTF, 1.1.2 does not even read it
// and then dereferences it anyway (SIGSEGV in btf__type_cnt), so the load
// runs in a child process.
TEST(Libbpf112OnTheRunningKernel, AutocreateOffAloneDoesNotSkipTheTable) {
  KC_REQUIRE_BPF_LOADS();
  if (!LibbpfIs(1, 1)) GTEST_SKIP() << "a fact of libbpf 1.1; this is " << libbpf_version_string();
  pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    libbpf_set_print(nullptr);
    bpf_object* obj = bpf_object__open_file(ObjectPath("loader_absent_table").c_str(), nullptr);
    if (obj == nullptr) _exit(2);
    bpf_map__set_autocreate(bpf_object__find_map_by_name(obj, "kc_absent_thp"), false);
    bpf_program__set_autoload(bpf_object__find_program_by_name(obj, "kc_absent_order"), false);
    _exit(bpf_object__load(obj) == 0 ? 0 : 1);
  }
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  EXPECT_FALSE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "libbpf loaded it";
  EXPECT_FALSE(WIFEXITED(status) && WEXITSTATUS(status) == 2) << "libbpf could not open it";
  if (WIFSIGNALED(status)) std::cout << "libbpf died of signal " << WTERMSIG(status) << "\n";
}

TEST(Libbpf112OnTheRunningKernel, TheHelpersSettingsSkipTheTableAndTheRestLoadsAndRuns) {
  KC_REQUIRE_BPF_LOADS();
  OpenObject o(ObjectPath("loader_absent_table"));
  ASSERT_NE(o.obj, nullptr);
  RevisionPlan plan;
  plan.object = ObjectPath("loader_absent_table");
  plan.disabled_maps = {"kc_absent_thp"};
  plan.disabled_programs = {"kc_absent_order"};
  ASSERT_TRUE(ApplyRevisionPlan(o.obj, plan).ok());
  // Before 1.4 the helper retypes the left-out table, which libbpf would
  // prepare anyway; from 1.4 libbpf honours autocreate alone.
  EXPECT_EQ(bpf_map__type(o.Map("kc_absent_thp")),
            Has(RunningLibbpfVersion(), LibbpfFeature::kStructOpsAutocreate)
                ? BPF_MAP_TYPE_STRUCT_OPS
                : BPF_MAP_TYPE_ARRAY);
  ASSERT_EQ(bpf_object__load(o.obj), 0);
  EXPECT_FALSE(CreatedInKernel(o.Map("kc_absent_thp")));
  EXPECT_LT(bpf_program__fd(o.Program("kc_absent_order")), 0);
  LIBBPF_OPTS(bpf_test_run_opts, run);
  ASSERT_EQ(bpf_prog_test_run_opts(bpf_program__fd(o.Program("kc_absent_plain")), &run), 0);
  int key = 0;
  int runs = 0;
  ASSERT_EQ(bpf_map_lookup_elem(bpf_map__fd(o.Map(".bss")), &key, &runs), 0);
  EXPECT_EQ(runs, 1);
}

// The plan as the libbpf running it needs it: before 1.4 a left-out
// struct_ops map is also retyped (1.1.2 prepares it otherwise); 1.4 and
// later honour autocreate alone and keep its type. Nothing is loaded.
TEST(Loader, RetypesALeftOutTableOnlyForALibbpfBefore14) {
  for (const char* runtime : {"1.1", "1.3", "1.4", "1.7"}) {
    OpenObject o(ObjectPath("loader_absent_table"));
    ASSERT_NE(o.obj, nullptr);
    RevisionPlan plan;
    plan.object = ObjectPath("loader_absent_table");
    plan.disabled_maps = {"kc_absent_thp"};
    plan.disabled_programs = {"kc_absent_order"};
    LibbpfVersion version = ParseLibbpfVersion(runtime).value();
    ASSERT_TRUE(ApplyRevisionPlan(o.obj, plan, version).ok()) << runtime;
    EXPECT_FALSE(bpf_map__autocreate(o.Map("kc_absent_thp"))) << runtime;
    EXPECT_FALSE(bpf_program__autoload(o.Program("kc_absent_order"))) << runtime;
    const bpf_map_type expected =
        version < (LibbpfVersion{1, 4}) ? BPF_MAP_TYPE_ARRAY : BPF_MAP_TYPE_STRUCT_OPS;
    EXPECT_EQ(bpf_map__type(o.Map("kc_absent_thp")), expected) << runtime;
  }
}

// bpf_object__prepare() is looked up at run time: libbpf 1.1.2 has none,
// and a loader asking for it is told so before the object changes.
TEST(Loader, LibbpfPrepareIsFoundAtRunTimeOrRefusedSayingWhichReleaseHasIt) {
  LibbpfVersion running = RunningLibbpfVersion();
  EXPECT_EQ(FindLibbpfPrepare() != nullptr, Has(running, LibbpfFeature::kObjectPrepare));
  if (FindLibbpfPrepare() != nullptr) {
    // libbpf >= 1.6 prepares the object as the helper returns: the running
    // kernel's revision is created, the other one left out.
    KC_REQUIRE_BPF_LOADS();
    OpenObject o(ObjectPath("loader_cc_revisions"));
    ASSERT_NE(o.obj, nullptr);
    LoaderOptions options = RepositoryContracts();
    options.libbpf_prepare = true;
    absl::StatusOr<Preparation> prepared =
        PrepareObjectFile(o.obj, ObjectPath("loader_cc_revisions"), options);
    ASSERT_TRUE(prepared.ok()) << prepared.status();
    ASSERT_EQ(prepared->prepared.plan.struct_ops.size(), 1u);
    const std::string enabled = prepared->prepared.plan.struct_ops[0].enabled_map;
    const std::string other = enabled == "kc_cc_6_1" ? "kc_cc_6_12" : "kc_cc_6_1";
    EXPECT_TRUE(CreatedInKernel(o.Map(enabled.c_str())));
    EXPECT_FALSE(CreatedInKernel(o.Map(other.c_str())));
    EXPECT_EQ(bpf_object__load(o.obj), 0);
    return;
  }
  if (!std::filesystem::exists(SharedKernelDir("host-6.18.44"))) GTEST_SKIP() << "needs ../shared";
  OpenObject o(ObjectPath("loader_cc_revisions"));
  ASSERT_NE(o.obj, nullptr);
  LoaderOptions options = RepositoryContracts(SharedKernelDir("host-6.18.44").string());
  options.libbpf_prepare = true;
  absl::StatusOr<Preparation> prepared =
      PrepareObjectFile(o.obj, ObjectPath("loader_cc_revisions"), options);
  ASSERT_FALSE(prepared.ok());
  EXPECT_EQ(prepared.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(std::string(prepared.status().message()),
            "libbpf " + running.ToString() + " has no bpf_object__prepare() (libbpf >= 1.6: "
            "object-prepare)");
  EXPECT_TRUE(bpf_map__autocreate(o.Map("kc_cc_6_1")));
  EXPECT_TRUE(bpf_map__autocreate(o.Map("kc_cc_6_12")));
}

TEST(Loader, RefusesATableTheKernelLacksAndLeavesTheObjectAlone) {
  OpenObject o(ObjectPath("loader_absent_table"));
  ASSERT_NE(o.obj, nullptr);
  absl::StatusOr<Preparation> prepared =
      PrepareObjectFile(o.obj, ObjectPath("loader_absent_table"),
                        RepositoryContracts(testing::ModelKernelPath("thp_none")));
  ASSERT_FALSE(prepared.ok());
  EXPECT_EQ(prepared.status().code(), absl::StatusCode::kFailedPrecondition);
  std::string message(prepared.status().message());
  EXPECT_NE(message.find("struct_ops bpf_thp_ops is not in this kernel; the object implements "
                         "revision rfc-v4; contract: experimental, opt-in \"bpf_thp\" (contract "
                         "bpf-thp, "),
            std::string::npos)
      << message;
  EXPECT_TRUE(bpf_map__autocreate(o.Map("kc_absent_thp")));
  EXPECT_EQ(bpf_map__type(o.Map("kc_absent_thp")), BPF_MAP_TYPE_STRUCT_OPS);
  EXPECT_TRUE(bpf_program__autoload(o.Program("kc_absent_order")));
}

// A real struct_ops map created in the running kernel for the revision it
// has, while the other revision's callback, which its verifier refuses,
// stays out.
TEST(Loader, CreatesTheRunningKernelsRevisionOfARealTable) {
  KC_REQUIRE_BPF_LOADS();
  OpenObject o(ObjectPath("loader_cc_revisions"));
  ASSERT_NE(o.obj, nullptr);
  absl::StatusOr<Preparation> prepared =
      PrepareObjectFile(o.obj, ObjectPath("loader_cc_revisions"), RepositoryContracts());
  ASSERT_TRUE(prepared.ok()) << prepared.status();
  const RevisionPlan& plan = prepared->prepared.plan;
  ASSERT_EQ(plan.struct_ops.size(), 1u);
  // Whatever the running kernel is, it gets the revision its BTF matches.
  std::string enabled = plan.struct_ops[0].enabled_map;
  std::string other = enabled == "kc_cc_6_1" ? "kc_cc_6_12" : "kc_cc_6_1";
  EXPECT_FALSE(bpf_map__autocreate(o.Map(other.c_str())));
  EXPECT_TRUE(bpf_map__autocreate(o.Map(enabled.c_str())));
  EXPECT_FALSE(bpf_program__autoload(o.Program((other + "_cong_control").c_str())));
  ASSERT_EQ(bpf_object__load(o.obj), 0);
  EXPECT_TRUE(CreatedInKernel(o.Map(enabled.c_str())));
  EXPECT_GE(bpf_program__fd(o.Program((enabled + "_cong_control").c_str())), 0);
  EXPECT_FALSE(CreatedInKernel(o.Map(other.c_str())));
}

TEST(Loader, WithoutTheHelperTheOtherRevisionsCallbackIsRefused) {
  KC_REQUIRE_BPF_LOADS();
  {
    OpenObject probe(ObjectPath("loader_cc_revisions"));
    auto prepared = PrepareObjectFile(probe.obj, ObjectPath("loader_cc_revisions"),
                                      RepositoryContracts());
    ASSERT_TRUE(prepared.ok()) << prepared.status();
    if (prepared->prepared.plan.struct_ops[0].enabled_map != "kc_cc_6_12") {
      GTEST_SKIP() << "the running kernel has tcp_congestion_ops as 6.1 had it";
    }
  }
  OpenObject o(ObjectPath("loader_cc_revisions"));
  ASSERT_NE(o.obj, nullptr);
  EXPECT_NE(bpf_object__load(o.obj), 0);
  EXPECT_LT(bpf_program__fd(o.Program("kc_cc_6_1_cong_control")), 0);
}

struct KeyResult {
  int revision;
  int looked_up;
  int has_ref;
  int ksym_exists;
  int ksym_absent;
};

KeyResult RunKeyLookup(const OpenObject& o) {
  KeyResult result{};
  LIBBPF_OPTS(bpf_test_run_opts, run);
  EXPECT_EQ(bpf_prog_test_run_opts(bpf_program__fd(o.Program("kc_key_lookup")), &run), 0);
  int key = 0;
  EXPECT_EQ(bpf_map_lookup_elem(bpf_map__fd(o.Map(".bss")), &key, &result), 0);
  return result;
}

TEST(Loader, WritesTheSlotAndTheProgramCallsTheRevisionItNames) {
  KC_REQUIRE_BPF_LOADS();
  OpenObject o(ObjectPath("loader_key_revisions"));
  ASSERT_NE(o.obj, nullptr);
  absl::StatusOr<Preparation> prepared =
      PrepareObjectFile(o.obj, ObjectPath("loader_key_revisions"), RepositoryContracts());
  ASSERT_TRUE(prepared.ok()) << prepared.status();
  int chosen = prepared->prepared.plan.kfunc_slots.at(0).chosen;
  if (chosen != 0) GTEST_SKIP() << "the running kernel does not have the 6.18 key kfuncs";
  ASSERT_EQ(bpf_object__load(o.obj), 0);
  KeyResult result = RunKeyLookup(o);
  EXPECT_EQ(result.revision, 0);
}

// Without a loader the slot stays -1: no kfunc path is taken, and the
// object still loads.
TEST(Loader, AnUnpreparedSlotIsMinusOne) {
  KC_REQUIRE_BPF_LOADS();
  OpenObject o(ObjectPath("loader_key_revisions"));
  ASSERT_NE(o.obj, nullptr);
  ASSERT_EQ(bpf_object__load(o.obj), 0);
  KeyResult result = RunKeyLookup(o);
  EXPECT_EQ(result.revision, -1);
  EXPECT_EQ(result.looked_up, 0);
}

// kc_ksym_exists() on libbpf 1.1.2, which has no bpf_ksym_exists(): the
// address of a kfunc the kernel has is non-zero, of a weak one it lacks zero
// (kernels >= 6.4 accept the ld_imm64 of a kfunc).
TEST(Libbpf112OnTheRunningKernel, KsymExistsTellsAPresentKfuncFromAnAbsentOne) {
  KC_REQUIRE_BPF_LOADS();
  std::unique_ptr<KernelBtf> running = *LoadKernel(kRunningKernel);
  if (running->version() < KernelVersion{6, 4, 0}) GTEST_SKIP() << "needs a kernel >= 6.4";
  CheckTarget target(*running);
  if (!target.names().Find("bpf_key_put", BTF_KIND_FUNC)) GTEST_SKIP() << "no bpf_key_put here";
  OpenObject o(ObjectPath("loader_key_revisions"));
  ASSERT_NE(o.obj, nullptr);
  ASSERT_EQ(bpf_object__load(o.obj), 0);
  KeyResult result = RunKeyLookup(o);
  EXPECT_EQ(result.ksym_exists, 1);
  EXPECT_EQ(result.ksym_absent, 0);
}

TEST(Loader, SaysWhenTheObjectWasOpenedFromAnotherFile) {
  if (!std::filesystem::exists(SharedKernelDir("host-6.18.44"))) GTEST_SKIP() << "needs ../shared";
  OpenObject o(ObjectPath("loader_absent_table"));
  ASSERT_NE(o.obj, nullptr);
  absl::StatusOr<Preparation> prepared =
      PrepareObjectFile(o.obj, ObjectPath("loader_cc_revisions"),
                        RepositoryContracts(SharedKernelDir("host-6.18.44").string()));
  ASSERT_FALSE(prepared.ok());
  EXPECT_EQ(prepared.status().code(), absl::StatusCode::kNotFound) << prepared.status();
  EXPECT_NE(std::string(prepared.status().message()).find("was it opened from another file?"),
            std::string::npos);
}

TEST(Loader, RefusesAnObjectWhoseTagsItCannotRead) {
  OpenObject o(ObjectPath("loader_bad_tags"));
  ASSERT_NE(o.obj, nullptr);
  absl::StatusOr<Preparation> prepared =
      PrepareObjectFile(o.obj, ObjectPath("loader_bad_tags"),
                        RepositoryContracts(testing::ModelKernelPath("thp_none")));
  ASSERT_FALSE(prepared.ok());
  EXPECT_EQ(prepared.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(std::string(prepared.status().message()).find("[revision-tag]"), std::string::npos)
      << prepared.status();
}

// --- the C API --------------------------------------------------------------

TEST(LoaderCApi, RejectsOptionsWithoutExactlyOneImage) {
  OpenObject o(ObjectPath("loader_absent_table"));
  ASSERT_NE(o.obj, nullptr);
  kcontract_prepare_opts opts{};
  opts.sz = sizeof(opts);
  char msg[256];
  EXPECT_EQ(kcontract_prepare(o.obj, &opts, msg, sizeof(msg)), -EINVAL);
  EXPECT_STREQ(msg, "kcontract_prepare: give exactly one of object_path and object_data");
  opts.sz = 0;
  EXPECT_EQ(kcontract_prepare(o.obj, &opts, msg, sizeof(msg)), -EINVAL);
}

TEST(LoaderCApi, RefusesWithEopnotsuppAndTruncatesTheMessageToTheBuffer) {
  OpenObject o(ObjectPath("loader_absent_table"));
  ASSERT_NE(o.obj, nullptr);
  std::string path = ObjectPath("loader_absent_table");
  std::string kernel = testing::ModelKernelPath("thp_none");
  std::string manifests = SourceManifests();
  kcontract_prepare_opts opts{};
  opts.sz = sizeof(opts);
  opts.object_path = path.c_str();
  opts.kernel = kernel.c_str();
  opts.installed_manifests = manifests.c_str();
  char msg[16];
  EXPECT_EQ(kcontract_prepare(o.obj, &opts, msg, sizeof(msg)), -EOPNOTSUPP);
  EXPECT_EQ(std::string(msg), path.substr(0, sizeof(msg) - 1));
}

TEST(LoaderCApi, PreparesFromTheBytesGivenToOpenMem) {
  Bytes bytes = testing::ReadFileOrDie(ObjectPath("loader_cc_revisions"));
  bpf_object* obj = bpf_object__open_mem(bytes.data(), bytes.size(), nullptr);
  ASSERT_NE(obj, nullptr);
  std::string manifests = SourceManifests();
  if (!std::filesystem::exists(SharedKernelDir("host-6.18.44"))) {
    bpf_object__close(obj);
    GTEST_SKIP() << "needs ../shared";
  }
  std::string host = SharedKernelDir("host-6.18.44").string();
  const char* given[] = {manifests.c_str(), nullptr};
  kcontract_prepare_opts opts{};
  opts.sz = sizeof(opts);
  opts.object_data = bytes.data();
  opts.object_size = bytes.size();
  opts.kernel = host.c_str();
  opts.manifests = given;  // given, and nothing installed
  opts.no_default_manifests = 1;
  char msg[512];
  EXPECT_EQ(kcontract_prepare(obj, &opts, msg, sizeof(msg)), 0) << msg;
  EXPECT_STREQ(msg,
               "<memory> prepared for 6.18.44: tcp_congestion_ops revision 6.12.111+deb12-amd64 "
               "(map kc_cc_6_12)");
  EXPECT_FALSE(bpf_map__autocreate(bpf_object__find_map_by_name(obj, "kc_cc_6_1")));
  bpf_object__close(obj);
}

}  // namespace
}  // namespace kcontract
