// `kcontract diff` on the shared real kernels (6.1 -> 6.12 and 6.12 -> 6.18),
// checked against an independent view: bpftool's raw dumps of each kernel's
// BTF (vmlinux, and modules over it), read here with their own small parser
// and type printer, not kcontract's readers.
//  - a kfunc reported added exists in NEW's dump (as a bpf_kfunc-tagged
//    FUNC where NEW has decl tags) with the reported parameters, and is no
//    function of OLD's for at least one sample;
//  - a kfunc reported removed as breaking is no function of NEW's at all;
//  - every reported prototype change shows in the dumps (argument counts,
//    argument and return types as printed from the dumps), and every common
//    kfunc reported unchanged prints the same from both dumps;
//  - KF_* flag changes agree with the kernels' inventories;
//  - struct_ops members added/removed/callback argument counts agree with
//    the dumps' STRUCT members;
//  - members reported added or removed on a type agree with the dumps.
#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "abi/policy/diff_policy.h"
#include "abi/report/diff_report.h"
#include "btfdiff/diff/kernel_diff.h"
#include "btfdiff/source/kernel_source.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "tests/test_support.h"

namespace kcontract {
namespace {

namespace fs = std::filesystem;
using testing::BpftoolDumpCommand;
using testing::RunToText;
using testing::SharedKernelDir;

const char kDebian61[] = "debian-6.1.0-50-amd64";
const char kDebian612[] = "debian-6.12.111-amd64";
const char kHost618[] = "host-6.18.44";

fs::path KernelSource(const std::string& name) {
  fs::path dir = SharedKernelDir(name);
  return name == kHost618 ? dir / "vmlinux.btf" : dir;
}

const fs::path& Scratch() { return testing::ProcessScratch("kernel_diff_test"); }

// --- bpftool's raw dump, parsed ---------------------------------------------

struct DumpMember {
  std::string name;
  int64_t type_id = -1;
};

struct DumpType {
  std::string kind;
  std::string name;
  int64_t type_id = -1;        // PTR, TYPEDEF, CONST..., FUNC, DECL_TAG; FUNC_PROTO's return
  int64_t component_idx = -2;  // DECL_TAG
  bool fwd_union = false;
  std::vector<DumpMember> members;  // STRUCT/UNION members, FUNC_PROTO params
};

// One BTF blob's dump, with its base's when it is split.
struct Dump {
  std::map<int64_t, DumpType> types;
  std::multimap<std::string, int64_t> funcs;  // FUNC name -> id
  std::map<std::string, int64_t> structs;     // STRUCT name -> first id
  std::set<std::string> tagged_kfuncs;        // FUNCs with a "bpf_kfunc" DECL_TAG

  const DumpType* Find(int64_t id) const {
    auto it = types.find(id);
    return it == types.end() ? nullptr : &it->second;
  }
};

std::string Quoted(const std::string& line, size_t from = 0) {
  size_t open = line.find('\'', from);
  size_t close = open == std::string::npos ? open : line.find('\'', open + 1);
  if (close == std::string::npos) return "";
  return line.substr(open + 1, close - open - 1);
}

int64_t Field(const std::string& line, const std::string& key) {
  size_t at = line.find(" " + key + "=");
  if (at == std::string::npos) return -1;
  return std::stoll(line.substr(at + key.size() + 2));
}

void ParseDump(const std::string& text, Dump& dump) {
  std::istringstream in(text);
  std::string line;
  DumpType* current = nullptr;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    if (line[0] == '\t' || line[0] == ' ') {
      if (current != nullptr && (current->kind == "STRUCT" || current->kind == "UNION" ||
                                 current->kind == "FUNC_PROTO")) {
        std::string name = Quoted(line);
        if (name == "(anon)") name.clear();
        current->members.push_back({name, Field(line, "type_id")});
      }
      continue;
    }
    if (line[0] != '[') continue;
    int64_t id = std::stoll(line.substr(1));
    size_t kind_start = line.find("] ") + 2;
    DumpType type;
    type.kind = line.substr(kind_start, line.find(' ', kind_start) - kind_start);
    type.name = Quoted(line);
    if (type.name == "(anon)") type.name.clear();
    type.type_id = type.kind == "FUNC_PROTO" ? Field(line, "ret_type_id") : Field(line, "type_id");
    type.component_idx = Field(line, "component_idx");
    type.fwd_union = line.find("fwd_kind=union") != std::string::npos;
    current = &(dump.types[id] = std::move(type));
    if (current->kind == "FUNC") dump.funcs.emplace(current->name, id);
    if (current->kind == "STRUCT") dump.structs.try_emplace(current->name, id);
  }
  for (const auto& [id, type] : dump.types) {
    if (type.kind != "DECL_TAG" || type.name != "bpf_kfunc" || type.component_idx != -1) continue;
    const DumpType* target = dump.Find(type.type_id);
    if (target != nullptr && target->kind == "FUNC") dump.tagged_kfuncs.insert(target->name);
  }
}

// A type as C, printed from the dump alone; "?" for what this small
// printer does not handle (arrays, function pointers).
std::string Print(const Dump& dump, int64_t id, int depth = 0) {
  if (id == 0) return "void";
  const DumpType* t = dump.Find(id);
  if (t == nullptr || depth > 16) return "?";
  const std::string& k = t->kind;
  if (k == "INT" || k == "TYPEDEF" || k == "FLOAT") return t->name;
  if (k == "STRUCT") return "struct " + t->name;
  if (k == "UNION") return "union " + t->name;
  if (k == "ENUM" || k == "ENUM64") return "enum " + t->name;
  if (k == "FWD") return (t->fwd_union ? "union " : "struct ") + t->name;
  if (k == "TYPE_TAG") return "tag(" + t->name + ") " + Print(dump, t->type_id, depth + 1);
  if (k == "CONST" || k == "VOLATILE") {
    const DumpType* target = dump.Find(t->type_id);
    if (target != nullptr && target->kind == "PTR") return "?";
    return (k == "CONST" ? "const " : "volatile ") + Print(dump, t->type_id, depth + 1);
  }
  if (k == "PTR") {
    std::string target = Print(dump, t->type_id, depth + 1);
    if (target == "?") return "?";
    return target.back() == '*' ? target + "*" : target + " *";
  }
  return "?";
}

// What the dumps say a FUNC's prototype is: parameter names and printed types.
struct DumpProto {
  std::string ret;
  std::vector<std::string> names;
  std::vector<std::string> types;
};

std::optional<DumpProto> ProtoOf(const Dump& dump, const std::string& func) {
  if (dump.funcs.count(func) != 1) return std::nullopt;  // absent or ambiguous
  const DumpType* f = dump.Find(dump.funcs.find(func)->second);
  const DumpType* proto = dump.Find(f->type_id);
  if (proto == nullptr || proto->kind != "FUNC_PROTO") return std::nullopt;
  DumpProto out;
  out.ret = Print(dump, proto->type_id);
  for (const DumpMember& m : proto->members) {
    out.names.push_back(m.name);
    out.types.push_back(Print(dump, m.type_id));
  }
  return out;
}

// Members by name, anonymous structs and unions flattened (by path for named
// members of anonymous type), as the diff reports them.
void Flatten(const Dump& dump, int64_t id, const std::string& prefix, std::set<std::string>& out,
             int depth = 0) {
  const DumpType* t = dump.Find(id);
  if (t == nullptr || depth > 16) return;
  for (const DumpMember& m : t->members) {
    int64_t inner = m.type_id;
    const DumpType* it = dump.Find(inner);
    while (it != nullptr && (it->kind == "CONST" || it->kind == "VOLATILE")) {
      inner = it->type_id;
      it = dump.Find(inner);
    }
    if (it != nullptr && (it->kind == "STRUCT" || it->kind == "UNION") && it->name.empty()) {
      Flatten(dump, inner, m.name.empty() ? prefix : prefix + m.name + ".", out, depth + 1);
    } else if (!m.name.empty()) {
      out.insert(prefix + m.name);
    }
  }
}

// --- the kernels, their dumps and their diffs, made once -------------------

struct KernelView {
  std::unique_ptr<KernelBtf> kernel;
  Dump vmlinux;
  std::map<std::string, Dump> modules;  // each over vmlinux's

  const Dump& DumpFor(const std::optional<std::string>& module) const {
    if (module) {
      auto it = modules.find(*module);
      if (it != modules.end()) return it->second;
    }
    return vmlinux;
  }
  bool HasFunction(const std::string& name) const {
    if (vmlinux.funcs.count(name) > 0) return true;
    for (const auto& [_, dump] : modules) {
      if (dump.funcs.count(name) > 0) return true;
    }
    return false;
  }
};

std::string DumpText(const fs::path& file, const fs::path& base = {}) {
  std::string text, error;
  if (!RunToText(BpftoolDumpCommand(file, base) + " format raw", &text, &error)) {
    ADD_FAILURE() << error;
  }
  return text;
}

const KernelView& View(const std::string& name) {
  static std::map<std::string, std::unique_ptr<KernelView>> views;
  std::unique_ptr<KernelView>& view = views[name];
  if (view) return *view;
  view = std::make_unique<KernelView>();
  auto loaded = LoadKernel(KernelSource(name).string());
  if (!loaded.ok()) throw std::runtime_error(std::string(loaded.status().message()));
  view->kernel = std::move(*loaded);
  fs::path base = Scratch() / (name + ".vmlinux.btf");
  testing::WriteFileOrDie(base, view->kernel->vmlinux->RawData());
  std::string base_text = DumpText(base);
  ParseDump(base_text, view->vmlinux);
  for (const ModuleBtf& module : view->kernel->modules) {
    fs::path split = Scratch() / (name + "." + module.name + ".btf");
    testing::WriteFileOrDie(split, module.btf->RawData());
    Dump& dump = view->modules[module.name];
    ParseDump(base_text, dump);
    ParseDump(DumpText(split, base), dump);
  }
  return *view;
}

const KernelDiff& Diff(const std::string& old_name, const std::string& new_name) {
  static std::map<std::string, std::unique_ptr<KernelDiff>> diffs;
  std::unique_ptr<KernelDiff>& diff = diffs[old_name + ">" + new_name];
  if (!diff) {
    diff = std::make_unique<KernelDiff>(
        DiffKernels(*View(old_name).kernel, *View(new_name).kernel));
  }
  return *diff;
}

#define REQUIRE_KERNELS(a, b)                                       \
  KC_REQUIRE_PATH(KernelSource(a));                                 \
  KC_REQUIRE_PATH(KernelSource(b));                                 \
  if (!testing::HaveTool("bpftool")) GTEST_SKIP() << "needs bpftool"

std::vector<const AbiChange*> Changes(const KernelDiff& diff, ChangeKind kind) {
  std::vector<const AbiChange*> out;
  for (const AbiChange& change : diff.changes) {
    if (change.kind == kind) out.push_back(&change);
  }
  return out;
}

// "int f(int a, int (*cb)(void *))" -> {"a", "cb"}: the reported
// prototype's parameter names, split at top-level commas.
std::vector<std::string> ParameterNames(const std::string& proto) {
  std::vector<std::string> names;
  size_t open = proto.find('(');
  size_t close = proto.rfind(')');
  std::string params = proto.substr(open + 1, close - open - 1);
  if (params == "void") return names;
  std::vector<std::string> pieces(1);
  int depth = 0;
  for (char c : params) {
    depth += c == '(' ? 1 : c == ')' ? -1 : 0;
    if (c == ',' && depth == 0) {
      pieces.emplace_back();
    } else {
      pieces.back() += c;
    }
  }
  for (const std::string& param : pieces) {
    size_t pointer = param.find("(*");
    if (pointer != std::string::npos) {  // a function pointer: "int (*name)(...)"
      names.push_back(param.substr(pointer + 2, param.find(')', pointer) - pointer - 2));
      continue;
    }
    size_t end = param.find_last_not_of(' ');
    size_t start = param.find_last_of(" *", end);
    names.push_back(param.substr(start + 1, end - start));
  }
  return names;
}

// --- kfuncs -------------------------------------------------------------------

void CheckAddedKfuncs(const std::string& old_name, const std::string& new_name,
                      bool new_has_decl_tags) {
  const KernelView& old_view = View(old_name);
  const KernelView& new_view = View(new_name);
  std::vector<const AbiChange*> added = Changes(Diff(old_name, new_name), ChangeKind::kKfuncAdded);
  ASSERT_FALSE(added.empty());
  int new_to_old = 0;
  for (const AbiChange* change : added) {
    SCOPED_TRACE(change->subject);
    const Dump& dump = new_view.DumpFor(change->module);
    std::optional<DumpProto> proto = ProtoOf(dump, change->subject);
    if (!proto) continue;  // a name the 6.1 BTF repeats: no single answer
    EXPECT_EQ(ParameterNames(change->new_text), proto->names) << change->new_text;
    if (new_has_decl_tags) {
      EXPECT_TRUE(dump.tagged_kfuncs.contains(change->subject));
    }
    new_to_old += !old_view.HasFunction(change->subject);
  }
  // Most are new functions altogether; some were functions before they were
  // registered as kfuncs.
  EXPECT_GE(new_to_old, 1);
}

void CheckRemovedKfuncs(const std::string& old_name, const std::string& new_name) {
  const KernelView& new_view = View(new_name);
  const KernelView& old_view = View(old_name);
  std::vector<const AbiChange*> removed =
      Changes(Diff(old_name, new_name), ChangeKind::kKfuncRemoved);
  ASSERT_FALSE(removed.empty());
  for (const AbiChange* change : removed) {
    SCOPED_TRACE(change->subject);
    EXPECT_TRUE(old_view.DumpFor(change->module).funcs.contains(change->subject));
    if (change->compatibility == Compatibility::kBreaking) {
      EXPECT_FALSE(new_view.HasFunction(change->subject));
    } else {
      // Not seen as a kfunc, but still a function, untagged.
      EXPECT_TRUE(new_view.HasFunction(change->subject));
      EXPECT_FALSE(new_view.vmlinux.tagged_kfuncs.contains(change->subject));
    }
  }
}

// Every reported prototype change shows in the dumps, and every common kfunc
// not reported prints the same from both.
void CheckPrototypes(const std::string& old_name, const std::string& new_name) {
  const KernelView& old_view = View(old_name);
  const KernelView& new_view = View(new_name);
  const KernelDiff& diff = Diff(old_name, new_name);
  std::map<std::string, std::vector<const AbiChange*>> reported;
  for (const AbiChange* c : Changes(diff, ChangeKind::kKfuncProtoChanged)) {
    reported[c->subject].push_back(c);
  }
  ASSERT_FALSE(reported.empty());
  std::set<std::string> old_names, new_names;
  for (const Kfunc& k : TakeInventory(*old_view.kernel).kfuncs.kfuncs) old_names.insert(k.name);
  std::map<std::string, std::optional<std::string>> new_modules;
  for (const Kfunc& k : TakeInventory(*new_view.kernel).kfuncs.kfuncs) {
    new_modules.try_emplace(k.name, k.module);
  }
  std::map<std::string, std::optional<std::string>> old_modules;
  for (const Kfunc& k : TakeInventory(*old_view.kernel).kfuncs.kfuncs) {
    old_modules.try_emplace(k.name, k.module);
  }
  int checked_same = 0, checked_changed = 0;
  for (const auto& [name, old_module] : old_modules) {
    auto it = new_modules.find(name);
    if (it == new_modules.end()) continue;
    SCOPED_TRACE(name);
    std::optional<DumpProto> before = ProtoOf(old_view.DumpFor(old_module), name);
    std::optional<DumpProto> after = ProtoOf(new_view.DumpFor(it->second), name);
    if (!before || !after) continue;
    auto changes = reported.find(name);
    if (changes == reported.end()) {
      EXPECT_EQ(before->types, after->types);
      EXPECT_EQ(before->ret, after->ret);
      ++checked_same;
      continue;
    }
    for (const AbiChange* change : changes->second) {
      ++checked_changed;
      int old_count = 0, new_count = 0, argument = 0;
      if (std::sscanf(change->item.c_str(), "arguments %d -> %d", &old_count, &new_count) == 2) {
        EXPECT_EQ(before->types.size(), static_cast<size_t>(old_count));
        EXPECT_EQ(after->types.size(), static_cast<size_t>(new_count));
      } else if (change->item == "return type") {
        EXPECT_NE(before->ret, after->ret);
      } else if (std::sscanf(change->item.c_str(), "argument %d", &argument) == 1) {
        ASSERT_GE(argument, 1);
        size_t i = static_cast<size_t>(argument - 1);
        ASSERT_LT(i, before->types.size());
        if (change->item.find(" name") != std::string::npos) {
          EXPECT_EQ(change->old_text, before->names[i]);
          EXPECT_EQ(change->new_text, after->names[i]);
          continue;
        }
        EXPECT_NE(before->types[i], after->types[i]);
        // Where neither side carries tags, the report prints them alike.
        if (before->types[i].find("tag(") == std::string::npos &&
            after->types[i].find("tag(") == std::string::npos && before->types[i] != "?") {
          EXPECT_EQ(change->old_text, before->types[i]);
          EXPECT_EQ(change->new_text, after->types[i]);
        }
      }
    }
  }
  EXPECT_GE(checked_same, 10);
  EXPECT_GE(checked_changed, 1);
}

TEST(KernelDiff, Debian61To612KfuncsAddedAgreeWithBpftool) {
  REQUIRE_KERNELS(kDebian61, kDebian612);
  CheckAddedKfuncs(kDebian61, kDebian612, /*new_has_decl_tags=*/false);
  const KernelDiff& diff = Diff(kDebian61, kDebian612);
  auto added = Changes(diff, ChangeKind::kKfuncAdded);
  EXPECT_TRUE(std::any_of(added.begin(), added.end(),
                          [](const AbiChange* c) { return c->subject == "bpf_task_acquire"; }));
  EXPECT_FALSE(View(kDebian61).HasFunction("bpf_task_acquire"));
}

TEST(KernelDiff, Debian61To612KfuncsRemovedAreGoneFromNewBtf) {
  REQUIRE_KERNELS(kDebian61, kDebian612);
  CheckRemovedKfuncs(kDebian61, kDebian612);
}

TEST(KernelDiff, Debian61To612PrototypeChangesAgreeWithBpftool) {
  REQUIRE_KERNELS(kDebian61, kDebian612);
  CheckPrototypes(kDebian61, kDebian612);
  // The two changes a reader of the kernel log knows: bbr_main gained the
  // ack and flag arguments, and the PKCS#7 kfunc moved to struct bpf_dynptr.
  const KernelDiff& diff = Diff(kDebian61, kDebian612);
  bool bbr = false, pkcs7 = false;
  for (const AbiChange* c : Changes(diff, ChangeKind::kKfuncProtoChanged)) {
    bbr |= c->subject == "bbr_main" && c->item == "arguments 2 -> 4" &&
           c->compatibility == Compatibility::kBreaking && c->module == "tcp_bbr";
    pkcs7 |= c->subject == "bpf_verify_pkcs7_signature" && c->item == "argument 1 'data_p'" &&
             c->new_text == "struct bpf_dynptr *";
  }
  EXPECT_TRUE(bbr);
  EXPECT_TRUE(pkcs7);
}

// Both kernels carry KF_* flags in .BTF_ids; the kfuncs they share kept
// theirs, as the two inventories (checked against readelf and the section
// bytes by kfunc_inventory_test) say independently of the diff.
TEST(KernelDiff, Debian61To612FlagChangesAgreeWithTheInventories) {
  REQUIRE_KERNELS(kDebian61, kDebian612);
  std::map<std::string, std::vector<std::string>> old_flags, new_flags;
  KernelInventory old_inventory = TakeInventory(*View(kDebian61).kernel);
  KernelInventory new_inventory = TakeInventory(*View(kDebian612).kernel);
  for (const Kfunc& k : old_inventory.kfuncs.kfuncs) old_flags.try_emplace(k.name, k.flag_names);
  for (const Kfunc& k : new_inventory.kfuncs.kfuncs) new_flags.try_emplace(k.name, k.flag_names);
  std::set<std::string> differing;
  int with_flags = 0;
  for (const auto& [name, flags] : old_flags) {
    auto it = new_flags.find(name);
    if (it == new_flags.end()) continue;
    with_flags += !flags.empty();
    if (it->second != flags) differing.insert(name);
  }
  EXPECT_GE(with_flags, 10);  // flags were there to compare
  std::set<std::string> reported;
  for (const AbiChange* c : Changes(Diff(kDebian61, kDebian612), ChangeKind::kKfuncFlagsChanged)) {
    reported.insert(c->subject);
  }
  EXPECT_EQ(reported, differing);
}

TEST(KernelDiff, Debian612To618KfuncsAddedAreTaggedInNewBtf) {
  REQUIRE_KERNELS(kDebian612, kHost618);
  CheckAddedKfuncs(kDebian612, kHost618, /*new_has_decl_tags=*/true);
}

TEST(KernelDiff, Debian612To618KfuncsRemovedAgreeWithBpftool) {
  REQUIRE_KERNELS(kDebian612, kHost618);
  CheckRemovedKfuncs(kDebian612, kHost618);
  const KernelDiff& diff = Diff(kDebian612, kHost618);
  auto removed = Changes(diff, ChangeKind::kKfuncRemoved);
  EXPECT_TRUE(std::any_of(removed.begin(), removed.end(), [](const AbiChange* c) {
    return c->subject == "crash_kexec" && c->compatibility == Compatibility::kBreaking;
  }));
}

TEST(KernelDiff, Debian612To618PrototypeChangesAgreeWithBpftool) {
  REQUIRE_KERNELS(kDebian612, kHost618);
  CheckPrototypes(kDebian612, kHost618);
  const KernelDiff& diff = Diff(kDebian612, kHost618);
  auto changed = Changes(diff, ChangeKind::kKfuncProtoChanged);
  EXPECT_TRUE(std::any_of(changed.begin(), changed.end(), [](const AbiChange* c) {
    return c->subject == "bpf_lookup_user_key" && c->old_text == "u32" && c->new_text == "s32" &&
           c->compatibility == Compatibility::kNeedsReview;
  }));
}

TEST(KernelDiff, Debian612To618DoesNotCompareFlagsItCannotSee) {
  REQUIRE_KERNELS(kDebian612, kHost618);
  const KernelDiff& diff = Diff(kDebian612, kHost618);
  EXPECT_TRUE(Changes(diff, ChangeKind::kKfuncFlagsChanged).empty());
  EXPECT_TRUE(std::any_of(diff.notes.begin(), diff.notes.end(), [](const std::string& note) {
    return note.find("KF_* flags not compared") != std::string::npos;
  }));
}

// --- struct_ops and types -------------------------------------------------------

std::set<std::string> MemberNames(const Dump& dump, const std::string& type) {
  std::set<std::string> names;
  auto it = dump.structs.find(type);
  if (it != dump.structs.end()) Flatten(dump, it->second, "", names);
  return names;
}

// The callback's argument count from the dump; -1 when not a callback.
int CallbackArity(const Dump& dump, const std::string& type, const std::string& member) {
  auto it = dump.structs.find(type);
  if (it == dump.structs.end()) return -1;
  for (const DumpMember& m : dump.Find(it->second)->members) {
    if (m.name != member) continue;
    const DumpType* ptr = dump.Find(m.type_id);
    if (ptr == nullptr || ptr->kind != "PTR") return -1;
    const DumpType* proto = dump.Find(ptr->type_id);
    if (proto == nullptr || proto->kind != "FUNC_PROTO") return -1;
    return static_cast<int>(proto->members.size());
  }
  return -1;
}

void CheckStructOps(const std::string& old_name, const std::string& new_name) {
  const Dump& before = View(old_name).vmlinux;
  const Dump& after = View(new_name).vmlinux;
  const KernelDiff& diff = Diff(old_name, new_name);
  for (const std::string type : {"tcp_congestion_ops", "bpf_dummy_ops"}) {
    SCOPED_TRACE(type);
    std::set<std::string> old_members = MemberNames(before, type);
    std::set<std::string> new_members = MemberNames(after, type);
    ASSERT_FALSE(old_members.empty());
    std::set<std::string> added, removed, dump_added, dump_removed;
    std::set_difference(new_members.begin(), new_members.end(), old_members.begin(),
                        old_members.end(), std::inserter(dump_added, dump_added.end()));
    std::set_difference(old_members.begin(), old_members.end(), new_members.begin(),
                        new_members.end(), std::inserter(dump_removed, dump_removed.end()));
    for (const AbiChange& c : diff.changes) {
      if (c.subject != type) continue;
      if (c.kind == ChangeKind::kStructOpsMemberAdded) added.insert(c.member);
      if (c.kind == ChangeKind::kStructOpsMemberRemoved) removed.insert(c.member);
    }
    EXPECT_EQ(added, dump_added);
    EXPECT_EQ(removed, dump_removed);
    for (const std::string& member : old_members) {
      if (!new_members.contains(member)) continue;
      int old_arity = CallbackArity(before, type, member);
      int new_arity = CallbackArity(after, type, member);
      bool reported = std::any_of(diff.changes.begin(), diff.changes.end(), [&](const auto& c) {
        return c.subject == type && c.member == member &&
               c.item.rfind("arguments ", 0) == 0;
      });
      EXPECT_EQ(reported, old_arity != new_arity) << member;
    }
  }
}

TEST(KernelDiff, Debian61To612StructOpsChangesAgreeWithBpftool) {
  REQUIRE_KERNELS(kDebian61, kDebian612);
  CheckStructOps(kDebian61, kDebian612);
  const KernelDiff& diff = Diff(kDebian61, kDebian612);
  bool cong_control = std::any_of(diff.changes.begin(), diff.changes.end(), [](const auto& c) {
    return c.subject == "tcp_congestion_ops" && c.member == "cong_control" &&
           c.item == "arguments 2 -> 4" && c.compatibility == Compatibility::kBreaking &&
           c.sides == kSideImplementer;
  });
  EXPECT_TRUE(cong_control);
}

TEST(KernelDiff, Debian612To618StructOpsChangesAgreeWithBpftool) {
  REQUIRE_KERNELS(kDebian612, kHost618);
  CheckStructOps(kDebian612, kHost618);
}

// Members reported added or removed on a kernel type are those the dumps
// show appearing or vanishing (additions of zero-sized markers aside).
void CheckTypeMembers(const std::string& old_name, const std::string& new_name,
                      const std::string& type) {
  const KernelDiff& diff = Diff(old_name, new_name);
  std::set<std::string> old_members = MemberNames(View(old_name).vmlinux, type);
  std::set<std::string> new_members = MemberNames(View(new_name).vmlinux, type);
  ASSERT_FALSE(old_members.empty());
  std::set<std::string> added, removed;
  for (const AbiChange& c : diff.changes) {
    if (c.subject != "struct " + type) continue;
    if (c.kind != ChangeKind::kTypeMemberAdded && c.kind != ChangeKind::kTypeMemberRemoved) {
      continue;
    }
    std::string member = c.item.substr(std::string("member ").size());
    (c.kind == ChangeKind::kTypeMemberAdded ? added : removed).insert(member);
  }
  std::set<std::string> dump_removed;
  for (const std::string& m : old_members) {
    if (!new_members.contains(m)) dump_removed.insert(m);
  }
  EXPECT_EQ(removed, dump_removed);
  for (const std::string& m : added) {
    EXPECT_TRUE(new_members.contains(m) && !old_members.contains(m)) << m;
  }
  for (const std::string& m : new_members) {
    if (old_members.contains(m) || added.contains(m)) continue;
    EXPECT_EQ(m.find("__cacheline_group_"), 0u) << m << " appeared but is not reported";
  }
}

TEST(KernelDiff, Debian61To612TypeMemberChangesAgreeWithBpftool) {
  REQUIRE_KERNELS(kDebian61, kDebian612);
  CheckTypeMembers(kDebian61, kDebian612, "sock");
  CheckTypeMembers(kDebian61, kDebian612, "tcp_sock");
  const KernelDiff& diff = Diff(kDebian61, kDebian612);
  bool sk_bind2_node = std::any_of(diff.changes.begin(), diff.changes.end(), [](const auto& c) {
    return c.subject == "struct sock" && c.item == "member sk_bind2_node" &&
           c.kind == ChangeKind::kTypeMemberRemoved && c.sides == (kSideCaller | kSideImplementer);
  });
  EXPECT_TRUE(sk_bind2_node);
}

TEST(KernelDiff, Debian612To618TypeMemberChangesAgreeWithBpftool) {
  REQUIRE_KERNELS(kDebian612, kHost618);
  CheckTypeMembers(kDebian612, kHost618, "cgroup");
  CheckTypeMembers(kDebian612, kHost618, "file");
}

// The report is the same from the command line, and the exit status says
// "changed" but no stable promise broke (no contracts given).
TEST(KernelDiff, CommandLineReportsTheSameDiff) {
  REQUIRE_KERNELS(kDebian61, kDebian612);
  testing::CommandResult result =
      testing::RunCli("--format json diff --kernel " +
                      testing::ShellQuote(KernelSource(kDebian61).string()) + " --kernel " +
                      testing::ShellQuote(KernelSource(kDebian612).string()));
  ASSERT_EQ(result.exit_code, 4) << result.err;
  nlohmann::json json = nlohmann::json::parse(result.out);
  EXPECT_EQ(json["changes"].size(), Diff(kDebian61, kDebian612).changes.size());
  EXPECT_EQ(json["old"]["kernel"], "6.1.0-50-amd64");
  EXPECT_EQ(json["new"]["kernel"], "6.12.111+deb12-amd64");
}

// conntrack's struct bpf_ct_opts, which callers fill and size in opts__sz:
// what 6.12 changed, judged for callers, against a golden file
// (KC_UPDATE_GOLDEN=1 rewrites it); 6.18 changed nothing more.
TEST(KernelDiff, Debian61To612BpfCtOptsIsJudgedByItsSizeArgument) {
  REQUIRE_KERNELS(kDebian61, kDebian612);
  const KernelDiff& diff = Diff(kDebian61, kDebian612);
  std::string text = RenderDiff(diff, JudgeDiff(diff, NoContracts()), OutputFormat::kText);
  size_t start = text.find("type struct bpf_ct_opts ");
  ASSERT_NE(start, std::string::npos) << text;
  size_t end = start;
  do {
    end = text.find('\n', end) + 1;
  } while (end < text.size() && text.compare(end, 2, "  ") == 0);
  std::string block = text.substr(start, end - start);
  const fs::path golden =
      fs::path(KCONTRACT_SOURCE_DIR) / "tests/golden/diff_bpf_ct_opts_6.1_6.12.txt";
  const char* update = std::getenv("KC_UPDATE_GOLDEN");
  if (update != nullptr && std::string(update) == "1") {
    testing::WriteFileOrDie(golden, ByteView(reinterpret_cast<const uint8_t*>(block.data()),
                                             block.size()));
  }
  Bytes expected = testing::ReadFileOrDie(golden);
  EXPECT_EQ(block, std::string(expected.begin(), expected.end()));
  // The reason names the size argument, and says what the BTF cannot.
  EXPECT_NE(block.find("in bpf_skb_ct_alloc's opts__sz: a program built for 12 bytes passes 12"),
            std::string::npos);
  EXPECT_NE(block.find("(the kernels' NF_BPF_CT_OPTS_SZ 12 -> 16)"), std::string::npos);

  KC_REQUIRE_PATH(KernelSource(kHost618));
  const KernelDiff& later = Diff(kDebian612, kHost618);
  for (const AbiChange& change : later.changes) {
    EXPECT_NE(change.subject, "struct bpf_ct_opts") << change.item;
  }
}

}  // namespace
}  // namespace kcontract
