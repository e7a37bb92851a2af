// Reading compiled BPF objects without loading them: programs, maps,
// struct_ops callbacks, externs, helper/kfunc calls, CO-RE relocations.
// The objects are built from tests/objects/*.bpf.c at build time; where
// possible the results are checked against an independent view (libbpf's
// own open, bpftool, llvm-objdump, llvm-readelf).
#include "abi/object/bpf_object.h"

#include <bpf/libbpf.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "abi/object/btf_ext.h"
#include "btfdiff/base/text.h"
#include "tests/bpf_object_support.h"
#include "tests/test_support.h"

namespace kcontract {
namespace {

namespace fs = std::filesystem;
using testing::FindMap;
using testing::FindProgram;
using testing::HasWarningContaining;
using testing::Load;
using testing::ObjectPath;
using testing::Quote;
using testing::ReadFileOrDie;
using testing::RunCommand;
using testing::SectionRange;

// ---- programs -------------------------------------------------------------

TEST(BpfObjectPrograms, NameSectionTypeAttachTypeAndTarget) {
  auto object = Load("show_all");
  ASSERT_NE(object, nullptr);
  ASSERT_EQ(object->programs.size(), 4u);

  const BpfProgram* on_switch = FindProgram(*object, "on_switch");
  ASSERT_NE(on_switch, nullptr);
  EXPECT_EQ(on_switch->section, "tp_btf/sched_switch");
  EXPECT_EQ(on_switch->prog_type, "tracing");
  EXPECT_EQ(on_switch->attach_type, "trace_raw_tp");
  EXPECT_EQ(on_switch->attach_target, "sched_switch");

  const BpfProgram* on_unlink = FindProgram(*object, "on_unlink");
  ASSERT_NE(on_unlink, nullptr);
  EXPECT_EQ(on_unlink->section, "fentry/do_unlinkat");
  EXPECT_EQ(on_unlink->prog_type, "tracing");
  EXPECT_EQ(on_unlink->attach_type, "trace_fentry");
  EXPECT_EQ(on_unlink->attach_target, "do_unlinkat");

  const BpfProgram* init = FindProgram(*object, "kc_init");
  ASSERT_NE(init, nullptr);
  EXPECT_EQ(init->prog_type, "struct_ops");
  EXPECT_EQ(init->attach_type, "");
  EXPECT_EQ(init->attach_target, "");
  // count_pid is a .text subprogram, not a program.
  EXPECT_EQ(FindProgram(*object, "count_pid"), nullptr);
}

TEST(BpfObjectPrograms, AgreeWithLibbpfOpen) {
  Bytes bytes = ReadFileOrDie(ObjectPath("show_all"));
  bpf_object* obj = bpf_object__open_mem(bytes.data(), bytes.size(), nullptr);
  ASSERT_EQ(libbpf_get_error(obj), 0);
  auto object = Load("show_all");
  ASSERT_NE(object, nullptr);
  size_t count = 0;
  bpf_program* prog;
  bpf_object__for_each_program(prog, obj) {
    ++count;
    const BpfProgram* ours = FindProgram(*object, bpf_program__name(prog));
    ASSERT_NE(ours, nullptr) << bpf_program__name(prog);
    EXPECT_EQ(ours->section, bpf_program__section_name(prog));
    EXPECT_EQ(ours->prog_type, libbpf_bpf_prog_type_str(bpf_program__type(prog)));
    if (bpf_program__type(prog) == BPF_PROG_TYPE_STRUCT_OPS) {
      // libbpf 1.1 stores the callback's member index in a struct_ops
      // program's expected_attach_type: kc_ssthresh implements member 2.
      if (ours->name == "kc_ssthresh") {
        EXPECT_EQ(bpf_program__expected_attach_type(prog), 2);
      }
      continue;
    }
    EXPECT_EQ(ours->attach_type,
              libbpf_bpf_attach_type_str(bpf_program__expected_attach_type(prog)));
  }
  EXPECT_EQ(count, object->programs.size());
  // Maps libbpf sees, minus its internal ones (.rodata, .kconfig).
  std::set<std::pair<std::string, std::string>> libbpf_maps, our_maps;
  bpf_map* map;
  bpf_object__for_each_map(map, obj) {
    std::string name = bpf_map__name(map);
    if (name.find('.') != std::string::npos) continue;
    libbpf_maps.insert({name, libbpf_bpf_map_type_str(bpf_map__type(map))});
  }
  for (const BpfMap& m : object->maps) our_maps.insert({m.name, m.type_name});
  EXPECT_EQ(our_maps, libbpf_maps);
  bpf_object__close(obj);
}

TEST(BpfObjectPrograms, SharedSectionsSubprogramsAndAutoloadOff) {
  auto object = Load("show_quirks");
  ASSERT_NE(object, nullptr);
  const BpfProgram* a = FindProgram(*object, "kc_exit_a");
  const BpfProgram* b = FindProgram(*object, "kc_exit_b");
  ASSERT_TRUE(a != nullptr && b != nullptr);
  EXPECT_EQ(a->section, "kprobe/do_exit");
  EXPECT_EQ(b->section, "kprobe/do_exit");
  EXPECT_EQ(a->prog_type, "kprobe");
  EXPECT_EQ(a->attach_type, "");  // libbpf says 0, which would read "cgroup_inet_ingress"
  EXPECT_EQ(a->attach_target, "");
  EXPECT_GT(b->section_offset, a->section_offset);
  // kc_exit_a reaches bpf_ktime_get_ns through the global subprogram
  // kc_global_sub (a call relocated against its function symbol).
  EXPECT_EQ(a->helper_calls, std::vector<int32_t>{BPF_FUNC_ktime_get_ns});
  EXPECT_EQ(b->helper_calls, std::vector<int32_t>{BPF_FUNC_get_prandom_u32});

  const BpfProgram* wakeup = FindProgram(*object, "kc_wakeup");
  ASSERT_NE(wakeup, nullptr);
  EXPECT_EQ(wakeup->section, "tp_btf/sched_wakeup");  // as libbpf names it, no '?'
  EXPECT_FALSE(wakeup->autoload);
  EXPECT_EQ(wakeup->attach_target, "sched_wakeup");
}

TEST(BpfObjectPrograms, StaticProgramIsFlaggedBecauseLibbpfRefusesIt) {
  auto object = Load("show_static");
  ASSERT_NE(object, nullptr);
  const BpfProgram* hidden = FindProgram(*object, "kc_hidden");
  ASSERT_NE(hidden, nullptr);
  EXPECT_FALSE(hidden->global);
  EXPECT_TRUE(FindProgram(*object, "kc_visible")->global);
  EXPECT_TRUE(HasWarningContaining(*object, "kc_hidden"));
  // The independent view: libbpf 1.1 indeed refuses the object.
  Bytes bytes = ReadFileOrDie(ObjectPath("show_static"));
  bpf_object* obj = bpf_object__open_mem(bytes.data(), bytes.size(), nullptr);
  EXPECT_EQ(libbpf_get_error(obj), -ENOTSUP);
}

// ---- calls ----------------------------------------------------------------

TEST(BpfObjectCalls, HelperCallsIncludeThoseOfCalledSubprograms) {
  auto object = Load("show_all");
  ASSERT_NE(object, nullptr);
  // on_switch calls bpf_probe_read_kernel (BPF_CORE_READ) and
  // bpf_trace_printk itself, and the map helpers through count_pid().
  EXPECT_EQ(FindProgram(*object, "on_switch")->helper_calls,
            (std::vector<int32_t>{BPF_FUNC_map_lookup_elem, BPF_FUNC_map_update_elem,
                                  BPF_FUNC_trace_printk, BPF_FUNC_probe_read_kernel}));
  EXPECT_EQ(FindProgram(*object, "on_unlink")->helper_calls,
            (std::vector<int32_t>{BPF_FUNC_get_smp_processor_id, BPF_FUNC_probe_read_kernel,
                                  BPF_FUNC_get_current_task_btf}));
  EXPECT_EQ(BpfHelperName(BPF_FUNC_map_lookup_elem), "bpf_map_lookup_elem");
  EXPECT_EQ(BpfHelperName(BPF_FUNC_get_current_task_btf), "bpf_get_current_task_btf");
  EXPECT_EQ(BpfHelperName(100000), "");
  EXPECT_EQ(BpfHelperName(-1), "");
}

TEST(BpfObjectCalls, HelperCallsMatchLlvmObjdump) {
  REQUIRE_TOOL("llvm-objdump");
  auto result = RunCommand("llvm-objdump -dr " + Quote(ObjectPath("show_all")));
  ASSERT_EQ(result.exit_code, 0) << result.err;
  // "call N" lines not followed by a relocation are helper calls.
  std::set<int32_t> objdump_helpers;
  std::istringstream lines(result.out);
  std::string line, pending;
  std::regex call(R"(\scall (-?\d+)$)");
  auto flush = [&] {
    if (!pending.empty()) objdump_helpers.insert(std::stoi(pending));
    pending.clear();
  };
  while (std::getline(lines, line)) {
    std::smatch m;
    if (line.find("R_BPF_") != std::string::npos) {
      pending.clear();  // relocated call: a kfunc or a subprogram
      continue;
    }
    flush();
    if (std::regex_search(line, m, call)) pending = m[1];
  }
  flush();
  auto object = Load("show_all");
  ASSERT_NE(object, nullptr);
  std::set<int32_t> ours;
  for (const BpfProgram& p : object->programs) ours.insert(p.helper_calls.begin(), p.helper_calls.end());
  EXPECT_EQ(ours, objdump_helpers);
}

TEST(BpfObjectCalls, KfuncCallsAreTheExternCallRelocations) {
  auto object = Load("show_all");
  ASSERT_NE(object, nullptr);
  EXPECT_EQ(FindProgram(*object, "on_switch")->kfunc_calls,
            (std::vector<std::string>{"bpf_task_acquire", "bpf_task_release"}));
  EXPECT_TRUE(FindProgram(*object, "on_unlink")->kfunc_calls.empty());

  REQUIRE_TOOL("llvm-readelf");
  // R_BPF_64_32 (call) relocations against undefined symbols.
  auto result = RunCommand("llvm-readelf -r -s " + Quote(ObjectPath("show_all")));
  ASSERT_EQ(result.exit_code, 0) << result.err;
  std::set<std::string> undefined, called;
  std::istringstream lines(result.out);
  std::string line;
  std::regex und(R"(\sUND\s+(\S+)$)");
  std::regex call_reloc(R"(R_BPF_64_32\s+\S+\s+(\S+)$)");
  std::vector<std::string> relocated;
  while (std::getline(lines, line)) {
    std::smatch m;
    if (std::regex_search(line, m, und)) undefined.insert(m[1]);
    if (std::regex_search(line, m, call_reloc)) relocated.push_back(m[1]);
  }
  for (const std::string& name : relocated) {
    if (undefined.count(name)) called.insert(name);
  }
  std::set<std::string> ours;
  for (const BpfProgram& p : object->programs) ours.insert(p.kfunc_calls.begin(), p.kfunc_calls.end());
  EXPECT_EQ(ours, called);
}

// ---- maps -----------------------------------------------------------------

TEST(BpfObjectMaps, BtfDefinedMapsHaveTheirTypes) {
  auto object = Load("show_all");
  ASSERT_NE(object, nullptr);
  const BpfMap* counts = FindMap(*object, "counts");
  const BpfMap* events = FindMap(*object, "events");
  ASSERT_TRUE(counts != nullptr && events != nullptr);
  EXPECT_EQ(counts->type, BPF_MAP_TYPE_HASH);
  EXPECT_EQ(counts->type_name, "hash");
  EXPECT_EQ(counts->section, ".maps");
  EXPECT_EQ(events->type, BPF_MAP_TYPE_RINGBUF);
  EXPECT_EQ(events->type_name, "ringbuf");
}

TEST(BpfObjectMaps, StructOpsMapNamesItsCallbackProgramsAndDataMembers) {
  auto object = Load("show_all");
  ASSERT_NE(object, nullptr);
  const BpfMap* cc = FindMap(*object, "kc_cc");
  ASSERT_NE(cc, nullptr);
  EXPECT_EQ(cc->section, ".struct_ops");
  EXPECT_EQ(cc->type, BPF_MAP_TYPE_STRUCT_OPS);
  EXPECT_EQ(cc->type_name, "struct_ops");
  EXPECT_EQ(cc->struct_ops_type, "tcp_congestion_ops");
  ASSERT_NE(object->btf, nullptr);
  EXPECT_EQ(object->btf->Name(cc->struct_ops_type_id), "tcp_congestion_ops");
  std::vector<std::pair<std::string, std::string>> uses;
  for (const auto& use : cc->struct_ops_programs) uses.push_back({use.member, use.program});
  EXPECT_EQ(uses, (std::vector<std::pair<std::string, std::string>>{
                      {"init", "kc_init"}, {"ssthresh", "kc_ssthresh"}}));
  // `flags` is zero, `name` is "kc_cc": only name is set.
  EXPECT_EQ(cc->struct_ops_data_members, std::vector<std::string>{"name"});
}

TEST(BpfObjectMaps, StructOpsCallbacksMatchReadelfRelocations) {
  REQUIRE_TOOL("llvm-readelf");
  auto result = RunCommand("llvm-readelf -r " + Quote(ObjectPath("show_all")));
  ASSERT_EQ(result.exit_code, 0) << result.err;
  // Entries of ".rel.struct_ops": offset -> symbol.
  std::map<uint64_t, std::string> relocs;
  std::istringstream lines(result.out);
  std::string line;
  bool in_section = false;
  std::regex entry(R"(^([0-9a-f]+)\s+[0-9a-f]+\s+R_BPF_64_ABS64\s+[0-9a-f]+\s+(\S+)$)");
  while (std::getline(lines, line)) {
    if (line.rfind("Relocation section", 0) == 0) {
      in_section = line.find("'.rel.struct_ops'") != std::string::npos;
      continue;
    }
    std::smatch m;
    if (in_section && std::regex_search(line, m, entry)) {
      relocs[std::stoull(m[1], nullptr, 16)] = m[2];
    }
  }
  auto object = Load("show_all");
  ASSERT_NE(object, nullptr);
  const BpfMap* cc = FindMap(*object, "kc_cc");
  ASSERT_NE(cc, nullptr);
  // Member byte offsets from the local BTF, through libbpf's accessors.
  const btf_type* t = object->btf->Type(cc->struct_ops_type_id);
  std::map<uint64_t, std::string> ours;
  for (const auto& use : cc->struct_ops_programs) {
    for (uint16_t i = 0; i < btf_vlen(t); ++i) {
      if (object->btf->String(btf_members(t)[i].name_off) == use.member) {
        ours[btf_member_bit_offset(t, i) / 8] = use.program;
      }
    }
  }
  EXPECT_EQ(ours, relocs);
}

// The model reads the map whatever release loads it; which releases read
// the section is libbpf's rule (abi/libbpf/section_rules.h), no warning of
// the reader's (`object show` says which libbpf the object needs).
TEST(BpfObjectMaps, StructOpsLinkSectionIsReadAndLibbpf11IgnoresIt) {
  auto object = Load("show_quirks");
  ASSERT_NE(object, nullptr);
  const BpfMap* link = FindMap(*object, "kc_link");
  ASSERT_NE(link, nullptr);
  EXPECT_EQ(link->section, ".struct_ops.link");
  EXPECT_EQ(link->struct_ops_type, "tcp_congestion_ops");
  ASSERT_EQ(link->struct_ops_programs.size(), 1u);
  EXPECT_EQ(link->struct_ops_programs[0].member, "init");
  EXPECT_EQ(link->struct_ops_programs[0].program, "kc_link_init");
  EXPECT_EQ(link->struct_ops_data_members, std::vector<std::string>{"flags"});
  EXPECT_FALSE(HasWarningContaining(*object, ".struct_ops.link"));
  // The independent view: libbpf 1.1 opens the object but creates no map.
  Bytes bytes = ReadFileOrDie(ObjectPath("show_quirks"));
  bpf_object* obj = bpf_object__open_mem(bytes.data(), bytes.size(), nullptr);
  ASSERT_EQ(libbpf_get_error(obj), 0);
  EXPECT_EQ(bpf_object__find_map_by_name(obj, "kc_link"), nullptr);
  bpf_object__close(obj);
}

// ---- externs --------------------------------------------------------------

TEST(BpfObjectExterns, KindsStrengthAndDeclarations) {
  auto object = Load("show_all");
  ASSERT_NE(object, nullptr);
  std::map<std::string, const BpfExtern*> by_name;
  for (const BpfExtern& e : object->externs) by_name[e.name] = &e;
  ASSERT_EQ(by_name.size(), 5u);

  const BpfExtern* acquire = by_name["bpf_task_acquire"];
  ASSERT_NE(acquire, nullptr);
  EXPECT_EQ(acquire->kind, ExternKind::kKfunc);
  EXPECT_FALSE(acquire->weak);
  EXPECT_EQ(object->btf->Kind(acquire->type), BTF_KIND_FUNC_PROTO);
  // clang 14 keeps no parameter names for extern declarations.
  EXPECT_EQ(acquire->declaration, "struct task_struct *bpf_task_acquire(struct task_struct *)");

  const BpfExtern* release = by_name["bpf_task_release"];
  ASSERT_NE(release, nullptr);
  EXPECT_EQ(release->kind, ExternKind::kKfunc);
  EXPECT_TRUE(release->weak);
  EXPECT_EQ(release->declaration, "void bpf_task_release(struct task_struct *)");

  const BpfExtern* rq = by_name["runqueues"];
  ASSERT_NE(rq, nullptr);
  EXPECT_EQ(rq->kind, ExternKind::kKsymVar);
  EXPECT_FALSE(rq->weak);
  EXPECT_EQ(rq->declaration, "const struct rq runqueues");

  const BpfExtern* version = by_name["LINUX_KERNEL_VERSION"];
  ASSERT_NE(version, nullptr);
  EXPECT_EQ(version->kind, ExternKind::kKconfig);
  EXPECT_FALSE(version->weak);
  EXPECT_EQ(version->declaration, "int LINUX_KERNEL_VERSION");

  const BpfExtern* missing = by_name["CONFIG_KC_MISSING"];
  ASSERT_NE(missing, nullptr);
  EXPECT_EQ(missing->kind, ExternKind::kKconfig);
  EXPECT_TRUE(missing->weak);
}

TEST(BpfObjectExterns, NamesMatchBpftoolBtfDump) {
  REQUIRE_TOOL("bpftool");
  auto result = RunCommand("bpftool btf dump file " + Quote(ObjectPath("show_all")));
  ASSERT_EQ(result.exit_code, 0) << result.err;
  std::set<std::string> bpftool_externs;
  std::regex extern_line(R"(^\[\d+\] (FUNC|VAR) '([^']+)' .*linkage=extern)");
  std::istringstream lines(result.out);
  std::string line;
  while (std::getline(lines, line)) {
    std::smatch m;
    if (std::regex_search(line, m, extern_line)) bpftool_externs.insert(m[2]);
  }
  auto object = Load("show_all");
  ASSERT_NE(object, nullptr);
  std::set<std::string> ours;
  for (const BpfExtern& e : object->externs) ours.insert(e.name);
  EXPECT_EQ(ours, bpftool_externs);
}

// ---- CO-RE ----------------------------------------------------------------

TEST(BpfObjectCore, RelocationsRenderKindRootAndAccessPath) {
  auto object = Load("show_all");
  ASSERT_NE(object, nullptr);
  std::vector<std::string> rendered;
  for (const CoreRelocation& r : object->core_relocations) {
    rendered.push_back(r.program + " " + std::string(CoreRelocationKindName(r.kind)) + " " +
                       r.access_path + " [" + r.access_spec + "]");
  }
  EXPECT_EQ(rendered, (std::vector<std::string>{
                          "on_switch byte_off task_struct->mm [0:1]",
                          "on_switch byte_off mm_struct->def_flags [0:0]",
                          "on_switch field_exists task_struct->prio_b [0:2:1]",
                          "on_switch byte_off task_struct->prio_b [0:2:1]",
                          "on_switch byte_off task_struct->comm[2] [0:3:2]",
                          "on_switch byte_off task_struct->pid [0:0]",
                          "on_unlink type_exists struct task_struct___old [0]",
                          "on_unlink byte_off task_struct___old->state [0:0]",
                          "on_unlink enumval_exists "
                          "enum bpf_func_id___local::BPF_FUNC_map_lookup_elem___local [1]",
                          "on_unlink byte_off rq->cpu [0:0]",
                      }));
  for (const CoreRelocation& r : object->core_relocations) {
    EXPECT_EQ(object->btf->Name(r.root), r.root_name);
    EXPECT_EQ(r.section, FindProgram(*object, r.program)->section);
  }
}

TEST(BpfObjectCore, ByteOffsetsMatchTheRelocatedInstructions) {
  // Independent check of insn_off and the access spec: the instruction a
  // byte_off relocation points at carries the field's local byte offset
  // (in imm for a mov, in off for a load).
  auto object = Load("show_all");
  ASSERT_NE(object, nullptr);
  Bytes bytes = ReadFileOrDie(ObjectPath("show_all"));
  const Btf& btf = *object->btf;
  int checked = 0;
  for (const CoreRelocation& r : object->core_relocations) {
    if (r.kind != BPF_CORE_FIELD_BYTE_OFFSET) continue;
    uint64_t bits = 0;
    TypeId current = btf.SkipModsAndTypedefs(r.root);
    std::vector<int> spec;
    for (auto piece : SplitView(r.access_spec, ':')) spec.push_back(std::stoi(std::string(piece)));
    for (size_t i = 1; i < spec.size(); ++i) {
      const btf_type* t = btf.Type(current);
      if (btf_is_composite(t)) {
        bits += btf_member_bit_offset(t, spec[i]);
        current = btf.SkipModsAndTypedefs(TypeId{btf_members(t)[spec[i]].type});
      } else {
        ASSERT_TRUE(btf_is_array(t));
        TypeId element = btf.SkipModsAndTypedefs(TypeId{btf_array(t)->type});
        bits += 8ull * btf__resolve_size(btf.libbpf(), element.value) * spec[i];
        current = element;
      }
    }
    auto [offset, size] = SectionRange(bytes, r.section);
    ASSERT_LT(r.insn_offset + 8, size);
    const uint8_t* insn = bytes.data() + offset + r.insn_offset;
    uint8_t insn_class = insn[0] & 0x07;
    int16_t off;
    int32_t imm;
    std::memcpy(&off, insn + 2, 2);
    std::memcpy(&imm, insn + 4, 4);
    int64_t encoded = (insn_class == BPF_LDX || insn_class == BPF_STX || insn_class == BPF_ST)
                          ? off
                          : imm;
    EXPECT_EQ(encoded, static_cast<int64_t>(bits / 8)) << r.access_path;
    ++checked;
  }
  EXPECT_EQ(checked, 7);
}

TEST(BpfObjectCore, BtfExtTablesAreParsed) {
  Bytes bytes = ReadFileOrDie(ObjectPath("show_all"));
  auto [btf_offset, btf_size] = SectionRange(bytes, ".BTF");
  auto btf = Btf::Parse(ByteView(bytes).subspan(btf_offset, btf_size), "show_all.o");
  ASSERT_TRUE(btf.ok()) << btf.status();
  auto [ext_offset, ext_size] = SectionRange(bytes, ".BTF.ext");
  auto ext = ParseBtfExt(ByteView(bytes).subspan(ext_offset, ext_size), **btf, "show_all.o");
  ASSERT_TRUE(ext.ok()) << ext.status();
  EXPECT_EQ(ext->version, 1);
  EXPECT_TRUE(ext->has_core_relo_header);
  EXPECT_EQ(ext->CoreReloCount(), 10u);
  // One func_info record per function, naming its FUNC.
  std::set<std::string> functions;
  for (const auto& section : ext->func_info) {
    for (const auto& record : section.records) functions.insert(std::string((*btf)->Name(record.type)));
  }
  EXPECT_EQ(functions, (std::set<std::string>{"on_switch", "on_unlink", "kc_init", "kc_ssthresh",
                                              "count_pid"}));
  size_t lines = 0;
  for (const auto& section : ext->line_info) lines += section.records.size();
  EXPECT_GT(lines, 0u);
}

// ---- license, no BTF --------------------------------------------------------

TEST(BpfObject, LicenseComesFromTheLicenseSection) {
  EXPECT_EQ(Load("show_all")->license, "GPL");
  EXPECT_EQ(Load("show_quirks")->license, "Dual BSD/GPL");
}

TEST(BpfObject, WithoutBtfStillListsProgramsMapsAndCalls) {
  auto object = Load("show_nobtf");
  ASSERT_NE(object, nullptr);
  EXPECT_EQ(object->btf, nullptr);
  EXPECT_FALSE(object->has_btf_ext);
  ASSERT_FALSE(object->warnings.empty());
  EXPECT_EQ(object->warnings[0],
            "no BTF: kfunc prototypes, struct_ops, CO-RE and map types cannot be checked");
  EXPECT_TRUE(HasWarningContaining(*object, "libbpf refuses to open"));
  const BpfProgram* plain = FindProgram(*object, "kc_plain");
  ASSERT_NE(plain, nullptr);
  EXPECT_EQ(plain->prog_type, "tracing");
  EXPECT_EQ(plain->attach_target, "sched_switch");
  EXPECT_EQ(plain->helper_calls, (std::vector<int32_t>{BPF_FUNC_map_lookup_elem,
                                                       BPF_FUNC_get_smp_processor_id}));
  EXPECT_EQ(plain->kfunc_calls, std::vector<std::string>{"bpf_kc_probe"});
  ASSERT_NE(FindMap(*object, "kc_values"), nullptr);
  EXPECT_TRUE(object->externs.empty());
  EXPECT_TRUE(object->core_relocations.empty());
}

}  // namespace
}  // namespace kcontract
