// The model kernels (tests/model_kernels/*.c, compiled by clang into raw BTF
// at build time) offer exactly the interfaces they claim: the kfuncs, the
// struct_ops callback tables, the kernel functions, enums, stability tags and
// type members written in each model's table below, which are the C
// declarations of the patches they model (sources in
// tests/model_kernels/README.md). A typo in a model, or a model that stops
// compiling to what it says, fails here.
//
// Three views agree: kcontract's own (LoadKernel, CollectKfuncs,
// CollectStructOps, CFunctionDeclaration), bpftool's raw dump of the same file, and
// the CLI (`kcontract kernel kfuncs|struct-ops --kernel <model>.btf`).
#include <algorithm>
#include <cctype>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <ostream>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "btfdiff/inventory/kfunc_inventory.h"
#include "btfdiff/inventory/struct_ops_inventory.h"
#include "btfdiff/model/btf.h"
#include "btfdiff/model/c_decl.h"
#include "btfdiff/model/kernel_btf.h"
#include "btfdiff/source/kernel_source.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "tests/test_support.h"

namespace kcontract {
namespace {

namespace fs = std::filesystem;
using ::kcontract::testing::BpftoolDumpCommand;
using ::kcontract::testing::CommandResult;
using ::kcontract::testing::HaveTool;
using ::kcontract::testing::ModelKernelPath;
using ::kcontract::testing::RunCli;
using ::kcontract::testing::RunToText;
using ::kcontract::testing::SharedKernelDir;
using ::kcontract::testing::ShellQuote;

using Strings = std::vector<std::string>;

// --- what each model claims ---------------------------------------------------

// One model kernel's interfaces, written as C declarations. Callbacks are
// written with their prototype spelled out ("int (*f)(struct mm_struct *,
// int)"), even where the kernel names it through a typedef.
struct ModelSpec {
  std::string name;
  Strings kfuncs;                              // every kfunc, as CFunctionDeclaration prints it
  std::map<std::string, Strings> struct_ops;   // every struct_ops type -> its members
  Strings kernel_functions;                    // FUNCs that must be there and not be kfuncs
  std::map<std::string, Strings> enums;        // enum -> "NAME=value" in order
  std::multimap<std::string, std::string> tags;  // "struct x" / "func f" -> "kcontract:..."
  Strings absent;                              // "func f", "struct s", "typedef t", "enum e"
  Strings member_paths;                        // "task_struct.scx.slice": CO-RE readable
};

// gtest prints a parameter with this (the model's name, not its bytes).
void PrintTo(const ModelSpec& spec, std::ostream* os) { *os << spec.name; }

const Strings kThpV9Members = {
    "int (*thp_get_order)(struct vm_area_struct *, enum tva_type, unsigned long)"};
const Strings kTvaTypeV9 = {"TVA_SMAPS=0", "TVA_PAGEFAULT=1", "TVA_KHUGEPAGED=2",
                            "TVA_FORCED_COLLAPSE=3", "TVA_SWAP_PAGEFAULT=4"};
const std::string kBpfHookThpGetOrders =
    "unsigned long bpf_hook_thp_get_orders(struct vm_area_struct *vma, enum tva_type type, "
    "unsigned long orders)";
const Strings kOomConstraint = {"CONSTRAINT_NONE=0", "CONSTRAINT_CPUSET=1",
                                "CONSTRAINT_MEMORY_POLICY=2", "CONSTRAINT_MEMCG=3"};

const Strings kMthpKfuncs = {
    "void bpf_cgroup_flush_stats(struct cgroup *cgrp)",
    "u64 bpf_cgroup_stall(struct cgroup *cgrp, enum psi_states state)",
    "struct mem_cgroup *bpf_get_mem_cgroup(struct cgroup_subsys_state *css)",
    "void bpf_mem_cgroup_flush_stats(struct mem_cgroup *memcg)",
    "unsigned long bpf_mem_cgroup_page_state(struct mem_cgroup *memcg, int idx)",
    "void bpf_put_mem_cgroup(struct mem_cgroup *memcg)",
};
const Strings kPsiStates = {"PSI_IO_SOME=0",  "PSI_IO_FULL=1",  "PSI_MEM_SOME=2",
                            "PSI_MEM_FULL=3", "PSI_CPU_SOME=4", "PSI_CPU_FULL=5",
                            "PSI_NONIDLE=6",  "NR_PSI_STATES=7"};

const Strings kScxSharedKfuncs = {
    "s32 scx_bpf_create_dsq(u64 dsq_id, s32 node)",
    "s32 scx_bpf_select_cpu_dfl(struct task_struct *p, s32 prev_cpu, u64 wake_flags, "
    "bool *is_idle)",
};
const Strings kScxOldKfuncs = {
    "void scx_bpf_dispatch(struct task_struct *p, u64 dsq_id, u64 slice, u64 enq_flags)",
    "void scx_bpf_dispatch_vtime(struct task_struct *p, u64 dsq_id, u64 slice, u64 vtime, "
    "u64 enq_flags)",
    "bool scx_bpf_consume(u64 dsq_id)",
};
const Strings kScxNewKfuncs = {
    "void scx_bpf_dsq_insert(struct task_struct *p, u64 dsq_id, u64 slice, u64 enq_flags)",
    "void scx_bpf_dsq_insert_vtime(struct task_struct *p, u64 dsq_id, u64 slice, u64 vtime, "
    "u64 enq_flags)",
    "bool scx_bpf_dsq_move_to_local(u64 dsq_id)",
};
const Strings kSchedExtOps = {
    "s32 (*select_cpu)(struct task_struct *, s32, u64)",
    "void (*enqueue)(struct task_struct *, u64)",
    "void (*dequeue)(struct task_struct *, u64)",
    "void (*dispatch)(s32, struct task_struct *)",
    "void (*tick)(struct task_struct *)",
    "void (*runnable)(struct task_struct *, u64)",
    "void (*running)(struct task_struct *)",
    "void (*stopping)(struct task_struct *, bool)",
    "void (*quiescent)(struct task_struct *, u64)",
    "bool (*yield)(struct task_struct *, struct task_struct *)",
    "bool (*core_sched_before)(struct task_struct *, struct task_struct *)",
    "void (*set_weight)(struct task_struct *, u32)",
    "void (*set_cpumask)(struct task_struct *, const struct cpumask *)",
    "void (*update_idle)(s32, bool)",
    "void (*cpu_acquire)(s32, struct scx_cpu_acquire_args *)",
    "void (*cpu_release)(s32, struct scx_cpu_release_args *)",
    "s32 (*init_task)(struct task_struct *, struct scx_init_task_args *)",
    "void (*exit_task)(struct task_struct *, struct scx_exit_task_args *)",
    "void (*enable)(struct task_struct *)",
    "void (*disable)(struct task_struct *)",
    "void (*dump)(struct scx_dump_ctx *)",
    "void (*dump_cpu)(struct scx_dump_ctx *, s32, bool)",
    "void (*dump_task)(struct scx_dump_ctx *, struct task_struct *)",
    "s32 (*cgroup_init)(struct cgroup *, struct scx_cgroup_init_args *)",
    "void (*cgroup_exit)(struct cgroup *)",
    "s32 (*cgroup_prep_move)(struct task_struct *, struct cgroup *, struct cgroup *)",
    "void (*cgroup_move)(struct task_struct *, struct cgroup *, struct cgroup *)",
    "void (*cgroup_cancel_move)(struct task_struct *, struct cgroup *, struct cgroup *)",
    "void (*cgroup_set_weight)(struct cgroup *, u32)",
    "void (*cpu_online)(s32)",
    "void (*cpu_offline)(s32)",
    "s32 (*init)(void)",
    "void (*exit)(struct scx_exit_info *)",
    "u32 dispatch_max_batch",
    "u64 flags",
    "u32 timeout_ms",
    "u32 exit_dump_len",
    "u64 hotplug_seq",
    "char name[128]",
};

Strings Concat(std::initializer_list<Strings> parts) {
  Strings out;
  for (const Strings& part : parts) out.insert(out.end(), part.begin(), part.end());
  return out;
}

ModelSpec ThpV9Like(std::string name) {
  ModelSpec spec;
  spec.name = std::move(name);
  spec.struct_ops = {{"bpf_thp_ops", kThpV9Members}};
  spec.kernel_functions = {kBpfHookThpGetOrders};
  spec.enums = {{"tva_type", kTvaTypeV9}, {"oom_constraint", kOomConstraint}};
  spec.absent = {"func get_suggested_order", "struct bpf_mm_ops"};
  return spec;
}

ModelSpec MthpLike(std::string name) {
  ModelSpec spec;
  spec.name = std::move(name);
  spec.kfuncs = kMthpKfuncs;
  spec.struct_ops = {
      {"bpf_mthp_ops", {"unsigned long (*mthp_choose)(struct cgroup *, unsigned long)"}}};
  spec.kernel_functions = {"unsigned long bpf_mthp_choose(struct mm_struct *mm, unsigned long orders)"};
  spec.enums = {{"psi_states", kPsiStates}, {"oom_constraint", kOomConstraint}};
  spec.absent = {"struct bpf_thp_ops", "struct bpf_oom_ops"};
  spec.member_paths = {"cgroup.mthp_ops"};
  return spec;
}

ModelSpec SchedExtLike(std::string name, const Strings& kfuncs) {
  ModelSpec spec;
  spec.name = std::move(name);
  spec.kfuncs = kfuncs;
  spec.struct_ops = {{"sched_ext_ops", kSchedExtOps}};
  spec.enums = {{"oom_constraint", kOomConstraint}};
  spec.member_paths = {"task_struct.scx.slice", "task_struct.scx.dsq_vtime",
                       "task_struct.scx.weight", "scx_exit_info.reason"};
  return spec;
}

std::vector<ModelSpec> AllModels() {
  std::vector<ModelSpec> models;

  ModelSpec v4;
  v4.name = "thp_rfc_v4";
  v4.kfuncs = {"struct mem_cgroup *bpf_mm_get_mem_cgroup(struct mm_struct *mm)",
               "struct task_struct *bpf_mm_get_task(struct mm_struct *mm)",
               "void bpf_put_mem_cgroup(struct mem_cgroup *memcg)"};
  v4.struct_ops = {{"bpf_thp_ops",
                    {"int (*get_suggested_order)(struct mm_struct *, unsigned long, int)"}}};
  v4.kernel_functions = {
      "int get_suggested_order(struct mm_struct *mm, unsigned long tva_flags, int order)"};
  v4.enums = {{"oom_constraint", kOomConstraint}};
  v4.absent = {"func bpf_hook_thp_get_orders", "enum tva_type", "typedef thp_order_fn_t"};
  models.push_back(v4);

  models.push_back(ThpV9Like("thp_v9"));

  ModelSpec v10 = ThpV9Like("thp_rfc_v10");
  v10.struct_ops = {{"bpf_thp_ops",
                     {"pid_t pid", kThpV9Members[0], "struct bpf_thp_mm_list mm_list"}}};
  v10.absent = {"func get_suggested_order"};
  v10.member_paths = {"mm_struct.bpf_mm.bpf_thp.pid", "mm_struct.bpf_mm.bpf_thp_list.next"};
  models.push_back(v10);

  ModelSpec withdrawn = ThpV9Like("thp_withdrawn");
  withdrawn.tags = {{"struct bpf_thp_ops", "kcontract:withdrawn:since=7.1"}};
  models.push_back(withdrawn);

  ModelSpec experimental = ThpV9Like("thp_tagged_experimental");
  experimental.tags = {{"struct bpf_thp_ops", "kcontract:experimental:optin=bpf_thp"}};
  models.push_back(experimental);

  ModelSpec none;
  none.name = "thp_none";
  none.kernel_functions = {
      "unsigned long __thp_vma_allowable_orders(struct vm_area_struct *vma, vm_flags_t vm_flags, "
      "enum tva_type type, unsigned long orders)"};
  none.enums = {{"tva_type",
                 {"TVA_SMAPS=0", "TVA_PAGEFAULT=1", "TVA_KHUGEPAGED=2", "TVA_FORCED_COLLAPSE=3"}},
                {"oom_constraint", kOomConstraint}};
  none.absent = {"struct bpf_thp_ops", "struct bpf_struct_ops_bpf_thp_ops",
                 "typedef thp_order_fn_t", "func bpf_hook_thp_get_orders",
                 "func get_suggested_order"};
  models.push_back(none);

  models.push_back(MthpLike("mthp_ext_v2"));
  ModelSpec mthp_tagged = MthpLike("mthp_ext_v2_tagged_experimental");
  mthp_tagged.tags = {{"struct bpf_mthp_ops", "kcontract:experimental:optin=mthp_ext"},
                      {"func bpf_cgroup_flush_stats", "kcontract:experimental:optin=mthp_ext"},
                      {"func bpf_cgroup_stall", "kcontract:experimental:optin=mthp_ext"}};
  models.push_back(mthp_tagged);

  ModelSpec oom;
  oom.name = "bpf_oom_v2";
  oom.kfuncs = {
      "int bpf_oom_kill_process(struct oom_control *oc, struct task_struct *task, "
      "const char *message__str)",
      "int bpf_out_of_memory(struct mem_cgroup *memcg__nullable, int order, u64 flags, "
      "const char *constraint_text__nullable)",
      "bool bpf_task_is_oom_victim(struct task_struct *task)",
  };
  oom.struct_ops = {{"bpf_oom_ops",
                     {"int (*handle_out_of_memory)(struct bpf_oom_ctx *, struct oom_control *)",
                      "void (*handle_cgroup_offline)(struct bpf_oom_ctx *, u64)",
                      "char name[64]"}}};
  oom.kernel_functions = {"bool bpf_handle_oom(struct oom_control *oc)",
                          "void bpf_oom_memcg_offline(struct mem_cgroup *memcg)"};
  oom.enums = {{"oom_constraint", Concat({kOomConstraint, {"CONSTRAINT_BPF=4"}})}};
  oom.absent = {"struct bpf_thp_ops", "struct bpf_mthp_ops"};
  oom.member_paths = {"mem_cgroup.bpf_oom.name", "oom_control.bpf_memory_freed",
                      "oom_control.bpf_policy_name", "oom_control.bpf_constraint",
                      "bpf_oom_ctx.cgroup_id"};
  models.push_back(oom);

  ModelSpec oom_v3;
  oom_v3.name = "bpf_oom_v3";
  oom_v3.kfuncs = {
      "int bpf_oom_kill_process(struct oom_control *oc, struct task_struct *task, "
      "const char *message__str)",
      "bool bpf_task_is_oom_victim(struct task_struct *task)",
  };
  oom_v3.struct_ops = {
      {"bpf_oom_ops",
       {"int (*handle_out_of_memory)(struct oom_control *, struct bpf_struct_ops_link *)",
        "char name[64]"}}};
  oom_v3.kernel_functions = {"bool bpf_handle_oom(struct oom_control *oc)"};
  oom_v3.enums = {{"oom_constraint", kOomConstraint}};
  oom_v3.absent = {"struct bpf_oom_ctx", "func bpf_oom_memcg_offline", "func bpf_out_of_memory",
                   "struct bpf_thp_ops"};
  oom_v3.member_paths = {"oom_control.bpf_memory_freed", "oom_control.bpf_handler_name",
                         "bpf_struct_ops_link.cgroup.kn.id", "bpf_struct_ops_link.map"};
  models.push_back(oom_v3);

  ModelSpec scx612 = SchedExtLike("sched_ext_6_12", Concat({kScxSharedKfuncs, kScxOldKfuncs}));
  scx612.absent = {"func scx_bpf_dsq_insert", "func scx_bpf_dsq_insert_vtime",
                   "func scx_bpf_dsq_move_to_local"};
  models.push_back(scx612);

  models.push_back(SchedExtLike("sched_ext_6_13",
                                Concat({kScxSharedKfuncs, kScxOldKfuncs, kScxNewKfuncs})));

  ModelSpec scx613_tagged = SchedExtLike(
      "sched_ext_6_13_tagged", Concat({kScxSharedKfuncs, kScxOldKfuncs, kScxNewKfuncs}));
  scx613_tagged.tags = {
      {"func scx_bpf_dispatch", "kcontract:deprecated:remove=6.15:use=scx_bpf_dsq_insert"},
      {"func scx_bpf_dispatch_vtime",
       "kcontract:deprecated:remove=6.15:use=scx_bpf_dsq_insert_vtime"},
      {"func scx_bpf_consume", "kcontract:deprecated:remove=6.15:use=scx_bpf_dsq_move_to_local"}};
  models.push_back(scx613_tagged);

  ModelSpec scx_new = SchedExtLike("sched_ext_new_only", Concat({kScxSharedKfuncs, kScxNewKfuncs}));
  scx_new.absent = {"func scx_bpf_dispatch", "func scx_bpf_dispatch_vtime", "func scx_bpf_consume"};
  models.push_back(scx_new);

  return models;
}

const ModelSpec& Model(std::string_view name) {
  static const std::vector<ModelSpec> models = AllModels();
  for (const ModelSpec& spec : models) {
    if (spec.name == name) return spec;
  }
  ADD_FAILURE() << "no model " << name << " in the table";
  return models.front();
}

// Members every model kernel's types have, as CO-RE programs read them
// (through anonymous structs and unions, and through pointers).
const Strings kCommonMemberPaths = {
    "task_struct.pid",           "task_struct.tgid",           "task_struct.comm",
    "task_struct.mm.total_vm",   "task_struct.real_parent.pid", "mm_struct.total_vm",
    "mm_struct.owner.comm",      "mm_struct.start_brk",        "vm_area_struct.vm_start",
    "vm_area_struct.vm_end",     "vm_area_struct.vm_flags",    "vm_area_struct.vm_mm.total_vm",
    "vm_area_struct.vm_file",    "cgroup.kn.name",             "cgroup.level",
    "cgroup.self.id",            "mem_cgroup.css.cgroup.level", "oom_control.memcg.css.id",
    "oom_control.chosen.pid",    "oom_control.order",          "oom_control.totalpages",
};

// --- helpers ------------------------------------------------------------------

std::unique_ptr<KernelBtf> LoadModel(const std::string& name) {
  auto kernel = LoadKernel(ModelKernelPath(name));
  if (!kernel.ok()) {
    ADD_FAILURE() << name << ": " << kernel.status();
    return nullptr;
  }
  return std::move(*kernel);
}

Strings Sorted(Strings v) {
  std::sort(v.begin(), v.end());
  return v;
}

std::optional<TypeId> FindNamed(const Btf& btf, uint32_t kind, std::string_view name) {
  for (TypeId id : btf.IdsOfKind(kind)) {
    if (btf.Name(id) == name) return id;
  }
  return std::nullopt;
}

// "struct x" -> (BTF_KIND_STRUCT, "x"), "func f" -> (BTF_KIND_FUNC, "f"), ...
std::pair<uint32_t, std::string> ParseKindName(const std::string& text) {
  static const std::map<std::string, uint32_t> kinds = {
      {"struct", BTF_KIND_STRUCT}, {"union", BTF_KIND_UNION}, {"enum", BTF_KIND_ENUM},
      {"typedef", BTF_KIND_TYPEDEF}, {"func", BTF_KIND_FUNC}};
  size_t space = text.find(' ');
  auto it = kinds.find(text.substr(0, space));
  if (space == std::string::npos || it == kinds.end()) {
    ADD_FAILURE() << "bad kind/name in a model table: " << text;
    return {0, text};
  }
  return {it->second, text.substr(space + 1)};
}

std::string KindWord(uint32_t kind) {
  switch (kind) {
    case BTF_KIND_STRUCT: return "struct";
    case BTF_KIND_UNION: return "union";
    case BTF_KIND_ENUM: return "enum";
    case BTF_KIND_TYPEDEF: return "typedef";
    case BTF_KIND_FUNC: return "func";
    default: return std::string(KindName(kind));
  }
}

// A struct_ops member written out: callbacks with their FUNC_PROTO spelled
// through any typedef ("ret (*name)(param types)"), data members as
// CDeclaration prints them. Built from CTypeName of each part, so it
// is a view of the BTF independent of CDeclaration's declarator logic.
std::string SpelledOut(const Btf& btf, const StructOpsMember& member) {
  if (!member.is_callback) return member.declaration;
  TypeId ptr = btf.SkipModsAndTypedefs(member.type);
  TypeId proto = btf.SkipModsAndTypedefs(TypeId{btf.Type(ptr)->type});
  const btf_type* t = btf.Type(proto);
  std::string ret = CTypeName(btf, TypeId{t->type});
  std::string out = ret + (ret.ends_with('*') ? "" : " ") + "(*" + member.name + ")(";
  const btf_param* params = btf_params(t);
  for (uint16_t i = 0; i < btf_vlen(t); ++i) {
    if (i > 0) out += ", ";
    out += CTypeName(btf, TypeId{params[i].type});
  }
  if (btf_vlen(t) == 0) out += "void";
  return out + ")";
}

// A struct or union member named `name`, looked for as CO-RE does: also
// inside anonymous struct/union members. Returns the member's type.
std::optional<TypeId> FindMember(const Btf& btf, TypeId composite, std::string_view name) {
  const btf_type* t = btf.Type(composite);
  if (t == nullptr || !btf_is_composite(t)) return std::nullopt;
  const btf_member* members = btf_members(t);
  for (uint16_t i = 0; i < btf_vlen(t); ++i) {
    std::string_view member_name = btf.String(members[i].name_off);
    TypeId type{members[i].type};
    if (member_name == name) return type;
    if (member_name.empty()) {
      if (auto inner = FindMember(btf, btf.SkipModsAndTypedefs(type), name)) return inner;
    }
  }
  return std::nullopt;
}

// "task_struct.mm.total_vm": struct task_struct, member mm (a pointer,
// followed), member total_vm. Empty on success, else what is missing.
std::string ResolveMemberPath(const Btf& btf, const std::string& path) {
  std::vector<std::string> parts;
  std::stringstream in(path);
  for (std::string part; std::getline(in, part, '.');) parts.push_back(part);
  std::optional<TypeId> current = FindNamed(btf, BTF_KIND_STRUCT, parts[0]);
  if (!current) return "no struct " + parts[0];
  for (size_t i = 1; i < parts.size(); ++i) {
    TypeId container = btf.SkipModsAndTypedefs(*current);
    if (btf.Kind(container) == BTF_KIND_PTR) {
      container = btf.SkipModsAndTypedefs(TypeId{btf.Type(container)->type});
    }
    current = FindMember(btf, container, parts[i]);
    if (!current) return "no member " + parts[i] + " in " + CTypeName(btf, container);
  }
  return "";
}

// The stability tags (decl tags "kcontract:...") of a BTF, keyed "struct x"
// or "func f".
std::multimap<std::string, std::string> StabilityTags(const Btf& btf) {
  std::multimap<std::string, std::string> tags;
  for (TypeId id : btf.IdsOfKind(BTF_KIND_DECL_TAG)) {
    std::string_view text = btf.Name(id);
    if (!text.starts_with("kcontract:")) continue;
    TypeId target{btf.Type(id)->type};
    tags.emplace(KindWord(btf.Kind(target)) + " " + std::string(btf.Name(target)),
                 std::string(text));
  }
  return tags;
}

// The parameter names of a C prototype "ret f(type a, type *b)": the last
// identifier of each parameter; none for "(void)".
Strings ParamNames(const std::string& proto) {
  size_t open = proto.find('(');
  std::string params = proto.substr(open + 1, proto.rfind(')') - open - 1);
  Strings names;
  if (params == "void" || params.empty()) return names;
  std::stringstream in(params);
  static const std::regex kLastIdent(R"(([A-Za-z_][A-Za-z_0-9]*)\s*$)");
  for (std::string param; std::getline(in, param, ',');) {
    std::smatch m;
    names.push_back(std::regex_search(param, m, kLastIdent) ? m[1].str() : "?");
  }
  return names;
}

// The name of a struct_ops member written as in ModelSpec.
std::string MemberName(const std::string& decl) {
  static const std::regex kCallback(R"(\(\*([A-Za-z_0-9]+)\))");
  static const std::regex kData(R"(([A-Za-z_][A-Za-z_0-9]*)(\[\d+\])?$)");
  std::smatch m;
  if (std::regex_search(decl, m, kCallback)) return m[1].str();
  if (std::regex_search(decl, m, kData)) return m[1].str();
  return decl;
}

std::string FunctionName(const std::string& proto) {
  std::string head = proto.substr(0, proto.find('('));
  size_t start = head.find_last_of(" *");
  return head.substr(start == std::string::npos ? 0 : start + 1);
}

// --- bpftool's raw dump ---------------------------------------------------------

// `bpftool btf dump file X format raw`, as far as these tests read it.
struct RawDump {
  struct Type {
    std::string kind;
    std::string name;
    int64_t type_id = -1;    // "type_id=" of the header line (FUNC, DECL_TAG, ...)
    Strings member_names;    // member / parameter lines
  };
  std::map<int64_t, Type> types;
};

RawDump ParseRawDump(const std::string& text) {
  static const std::regex kHeader(R"(^\[(\d+)\] (\w+) '([^']*)'(.*)$)");
  static const std::regex kTypeId(R"(type_id=(\d+))");
  static const std::regex kMember(R"(^\t'([^']*)' type_id=)");
  RawDump dump;
  RawDump::Type* current = nullptr;
  std::stringstream in(text);
  for (std::string line; std::getline(in, line);) {
    std::smatch m;
    if (std::regex_match(line, m, kHeader)) {
      current = &dump.types[std::stoll(m[1].str())];
      current->kind = m[2].str();
      current->name = m[3].str();
      std::string rest = m[4].str();
      std::smatch id;
      if (std::regex_search(rest, id, kTypeId)) current->type_id = std::stoll(id[1].str());
    } else if (current != nullptr && std::regex_search(line, m, kMember)) {
      current->member_names.push_back(m[1].str());
    }
  }
  return dump;
}

// --- the tests ------------------------------------------------------------------

class ModelKernel : public ::testing::TestWithParam<ModelSpec> {
 protected:
  void SetUp() override {
    kernel_ = LoadModel(GetParam().name);
    ASSERT_NE(kernel_, nullptr);
    ASSERT_NE(kernel_->vmlinux, nullptr);
  }
  const Btf& btf() const { return *kernel_->vmlinux; }

  std::unique_ptr<KernelBtf> kernel_;
};

TEST_P(ModelKernel, LoadsAsRawBtfKernel) {
  EXPECT_EQ(kernel_->kind, SourceKind::kRawBtf);
  EXPECT_TRUE(kernel_->modules.empty());
}

TEST_P(ModelKernel, OffersExactlyTheModelledKfuncs) {
  KfuncSet kfuncs = CollectKfuncs(*kernel_);
  Strings protos;
  for (const Kfunc& kfunc : kfuncs.kfuncs) {
    protos.push_back(kfunc.proto);
    EXPECT_EQ(kfunc.methods, static_cast<uint8_t>(KfuncMethod::kDeclTag)) << kfunc.name;
    EXPECT_FALSE(kfunc.module.has_value()) << kfunc.name;
    EXPECT_EQ(kfunc.proto, CFunctionDeclaration(btf(), kfunc.id)) << kfunc.name;
  }
  EXPECT_EQ(Sorted(protos), Sorted(GetParam().kfuncs));
}

TEST_P(ModelKernel, RegistersExactlyTheModelledStructOps) {
  std::map<std::string, Strings> found;
  for (const StructOpsType& type : CollectStructOps(*kernel_)) {
    EXPECT_EQ(btf().Name(type.wrapper), "bpf_struct_ops_" + type.name);
    Strings& members = found[type.name];
    for (const StructOpsMember& member : type.members) {
      members.push_back(SpelledOut(btf(), member));
    }
  }
  EXPECT_EQ(found, GetParam().struct_ops);
}

// Where a callback is not declared through a typedef, c_decl's declarator
// and the spelled-out view above must print the same thing.
TEST_P(ModelKernel, RenderedCallbacksMatchTheirPrototypes) {
  for (const StructOpsType& type : CollectStructOps(*kernel_)) {
    for (const StructOpsMember& member : type.members) {
      TypeId ptr = btf().SkipMods(member.type);
      if (!member.is_callback || btf().Kind(ptr) != BTF_KIND_PTR) continue;
      if (btf().Kind(btf().SkipMods(TypeId{btf().Type(ptr)->type})) == BTF_KIND_TYPEDEF) continue;
      EXPECT_EQ(member.declaration, SpelledOut(btf(), member)) << type.name;
    }
  }
}

TEST_P(ModelKernel, HasItsKernelFunctionsAsPlainFunctions) {
  KfuncSet kfuncs = CollectKfuncs(*kernel_);
  for (const std::string& proto : GetParam().kernel_functions) {
    std::string name = FunctionName(proto);
    std::optional<TypeId> func = FindNamed(btf(), BTF_KIND_FUNC, name);
    ASSERT_TRUE(func.has_value()) << "no FUNC " << name;
    EXPECT_EQ(CFunctionDeclaration(btf(), *func), proto);
    EXPECT_EQ(kfuncs.Find(name), nullptr) << name << " must not be a kfunc";
  }
}

TEST_P(ModelKernel, EnumsHaveTheModelledValues) {
  for (const auto& [name, expected] : GetParam().enums) {
    std::optional<TypeId> id = FindNamed(btf(), BTF_KIND_ENUM, name);
    ASSERT_TRUE(id.has_value()) << "no enum " << name;
    const btf_type* t = btf().Type(*id);
    Strings values;
    for (uint16_t i = 0; i < btf_vlen(t); ++i) {
      values.push_back(std::string(btf().String(btf_enum(t)[i].name_off)) + "=" +
                       std::to_string(btf_enum(t)[i].val));
    }
    EXPECT_EQ(values, expected) << "enum " << name;
  }
}

TEST_P(ModelKernel, CarriesExactlyTheModelledStabilityTags) {
  EXPECT_EQ(StabilityTags(btf()), GetParam().tags);
}

TEST_P(ModelKernel, LacksWhatItDoesNotModel) {
  for (const std::string& text : GetParam().absent) {
    auto [kind, name] = ParseKindName(text);
    EXPECT_FALSE(FindNamed(btf(), kind, name).has_value()) << text << " must be absent";
  }
}

TEST_P(ModelKernel, KernelTypesHaveTheMembersCoReProgramsRead) {
  for (const std::string& path : Concat({kCommonMemberPaths, GetParam().member_paths})) {
    EXPECT_EQ(ResolveMemberPath(btf(), path), "") << path;
  }
}

// bpftool, reading the same file, sees the same kfuncs (FUNCs with a
// "bpf_kfunc" decl tag) with the parameter names of the modelled prototypes,
// the same struct_ops wrappers and members, and the same stability tags.
TEST_P(ModelKernel, BpftoolSeesTheSameInterfaces) {
  if (!HaveTool("bpftool")) GTEST_SKIP() << "needs bpftool in PATH";
  const ModelSpec& spec = GetParam();
  std::string text, error;
  ASSERT_TRUE(RunToText(BpftoolDumpCommand(ModelKernelPath(spec.name)) + " format raw", &text,
                        &error))
      << error;
  RawDump dump = ParseRawDump(text);

  std::map<std::string, Strings> kfunc_params;  // bpftool: kfunc -> parameter names
  std::multimap<std::string, std::string> tags;
  std::set<std::string> wrappers;
  std::map<std::string, Strings> struct_members;
  for (const auto& [id, type] : dump.types) {
    if (type.kind == "STRUCT") {
      struct_members[type.name] = type.member_names;
      // The registration wrapper holds the table as `data`; the kernel's own
      // struct bpf_struct_ops_link (BPF OOM v3 passes it) shares the prefix.
      if (type.name.starts_with("bpf_struct_ops_") &&
          std::find(type.member_names.begin(), type.member_names.end(), "data") !=
              type.member_names.end()) {
        wrappers.insert(type.name);
      }
    }
    if (type.kind != "DECL_TAG") continue;
    const RawDump::Type& target = dump.types[type.type_id];
    if (type.name == "bpf_kfunc" && target.kind == "FUNC") {
      kfunc_params[target.name] = dump.types[target.type_id].member_names;
    } else if (type.name.starts_with("kcontract:")) {
      std::string kind = target.kind == "FUNC" ? "func" : target.kind == "STRUCT" ? "struct"
                                                                                 : target.kind;
      tags.emplace(kind + " " + target.name, type.name);
    }
  }

  std::map<std::string, Strings> expected_params;
  for (const std::string& proto : spec.kfuncs) expected_params[FunctionName(proto)] = ParamNames(proto);
  EXPECT_EQ(kfunc_params, expected_params);
  EXPECT_EQ(tags, spec.tags);

  std::set<std::string> expected_wrappers;
  for (const auto& [name, members] : spec.struct_ops) {
    expected_wrappers.insert("bpf_struct_ops_" + name);
    Strings names;
    for (const std::string& decl : members) names.push_back(MemberName(decl));
    EXPECT_EQ(struct_members[name], names) << "struct " << name;
  }
  EXPECT_EQ(wrappers, expected_wrappers);
}

INSTANTIATE_TEST_SUITE_P(Models, ModelKernel, ::testing::ValuesIn(AllModels()),
                         [](const ::testing::TestParamInfo<ModelSpec>& info) {
                           return info.param.name;
                         });

// The models' kernel types are not invented: every member path the models
// promise CO-RE programs also resolves in a real 6.18 kernel's BTF (except
// the members the unmerged series add).
TEST(ModelKernelTypes, MemberPathsExistInTheReal618Kernel) {
  fs::path real = SharedKernelDir("host-6.18.44") / "vmlinux.btf";
  KC_REQUIRE_PATH(real);
  auto kernel = LoadKernel(real.string());
  ASSERT_TRUE(kernel.ok()) << kernel.status();
  for (const std::string& path : kCommonMemberPaths) {
    EXPECT_EQ(ResolveMemberPath(*(*kernel)->vmlinux, path), "") << path;
  }
}

// Every model source in tests/model_kernels/ is in the table above, and every
// model in the table was built.
TEST(ModelKernelTable, CoversEveryModelSource) {
  std::set<std::string> sources;
  for (const auto& entry : fs::directory_iterator(fs::path(KCONTRACT_SOURCE_DIR) / "tests" /
                                                  "model_kernels")) {
    if (entry.path().extension() == ".c") sources.insert(entry.path().stem().string());
  }
  std::set<std::string> table;
  for (const ModelSpec& spec : AllModels()) {
    table.insert(spec.name);
    EXPECT_TRUE(fs::exists(ModelKernelPath(spec.name))) << ModelKernelPath(spec.name);
  }
  EXPECT_EQ(sources, table);
}

// kcontract refuses a BPF object as a kernel; the raw BTF dumped from it is
// what the model kernels are.
TEST(ModelKernelBuild, RawBtfIsAKernelSourceButTheObjectIsNot) {
  std::string btf = ModelKernelPath("thp_v9");
  std::string object = btf.substr(0, btf.size() - 4) + ".o";
  ASSERT_TRUE(fs::exists(object)) << object;
  EXPECT_TRUE(LoadKernel(btf).ok());
  auto refused = LoadKernel(object);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.status().message().find("thp_v9.o"), std::string_view::npos)
      << refused.status();
}

// Through the CLI: `kernel kfuncs` and `kernel struct-ops` on a model.
TEST(ModelKernelCli, KernelKfuncsListsTheModelsKfuncs) {
  CommandResult result =
      RunCli("kernel kfuncs --json --kernel " + ShellQuote(ModelKernelPath("thp_rfc_v4")));
  ASSERT_EQ(result.exit_code, 0) << result.err;
  nlohmann::json document = nlohmann::json::parse(result.out, nullptr, false);
  ASSERT_TRUE(document.is_object()) << result.out;
  EXPECT_EQ(document["tool"], "kcontract");
  nlohmann::json json = document["kfuncs"];
  ASSERT_TRUE(json.is_array()) << result.out;
  Strings protos;
  for (const auto& kfunc : json) {
    protos.push_back(kfunc.value("proto", ""));
    EXPECT_EQ(kfunc.value("name", ""), FunctionName(kfunc.value("proto", "")));
  }
  EXPECT_EQ(Sorted(protos), Sorted(Model("thp_rfc_v4").kfuncs));

  CommandResult text = RunCli("kernel kfuncs --kernel " + ShellQuote(ModelKernelPath("sched_ext_6_13")));
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_NE(text.out.find("bool scx_bpf_consume(u64 dsq_id)"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("bool scx_bpf_dsq_move_to_local(u64 dsq_id)"), std::string::npos)
      << text.out;
}

TEST(ModelKernelCli, KernelStructOpsShowsTheCallbackTable) {
  CommandResult result =
      RunCli("kernel struct-ops --kernel " + ShellQuote(ModelKernelPath("thp_v9")));
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out, "struct bpf_thp_ops {  /* vmlinux */\n\tthp_order_fn_t *thp_get_order;\n};\n");
}

}  // namespace
}  // namespace kcontract
