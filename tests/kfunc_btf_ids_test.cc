// The kfuncs of real kernels' .BTF_ids set8 records, checked against
// methods that do not use kcontract's own readers:
//  - the modules' ELF symbol tables (readelf), which name every member of a
//    `__BTF_ID__set8__<set>` record, and the .BTF_ids bytes at those symbols;
//  - bpftool's raw dump, for the ids and prototypes the records name;
//  - the decl tags of a newer kernel (6.18) against the .BTF_ids records of an
//    older one (6.12): two different methods on overlapping code;
//  - KF_* words decoded by hand from the section.
// The decl-tag inventory and the CLI's JSON: kfunc_inventory_test.cc.
#include <algorithm>
#include <cctype>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "btfdiff/inventory/kfunc_inventory.h"
#include "btfdiff/model/kernel_btf.h"
#include "gtest/gtest.h"
#include "tests/kfunc_test_support.h"
#include "tests/test_support.h"

namespace kcontract {
namespace {

namespace fs = std::filesystem;
using ::kcontract::testing::CommandResult;
using ::kcontract::testing::ExpectIdsAndPrototypesMatchDump;
using ::kcontract::testing::Intersect;
using ::kcontract::testing::Join;
using ::kcontract::testing::LoadKfuncs;
using ::kcontract::testing::LoadedKernel;
using ::kcontract::testing::Minus;
using ::kcontract::testing::NamesOf;
using ::kcontract::testing::ReadFileOrDie;
using ::kcontract::testing::RunCommand;
using ::kcontract::testing::SharedKernelDir;
using ::kcontract::testing::ShellQuote;
using ::kcontract::testing::kDebian61;
using ::kcontract::testing::kDebian612;
using ::kcontract::testing::kHost618;

const fs::path& ProcessScratch() {
  return ::kcontract::testing::ProcessScratch("kfunc_btf_ids_test");
}

// --- 2. module kfuncs: kcontract == the set8 members readelf names ---------

struct ElfSymbolRow {
  uint64_t value = 0;
  uint64_t size = 0;
  uint32_t section = 0;
  std::string name;
};

struct ElfSectionRow {
  uint64_t offset = 0;
  uint64_t size = 0;
};

std::vector<ElfSymbolRow> ReadelfSymbols(const fs::path& file) {
  CommandResult result = RunCommand("readelf -sW " + ShellQuote(file.string()));
  std::vector<ElfSymbolRow> symbols;
  std::istringstream in(result.out);
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream fields(line);
    std::string num, value, size, type, bind, vis, ndx, name;
    if (!(fields >> num >> value >> size >> type >> bind >> vis >> ndx >> name)) continue;
    if (num.empty() || num.back() != ':' || !std::isdigit(static_cast<unsigned char>(ndx[0]))) {
      continue;
    }
    ElfSymbolRow row;
    row.value = std::stoull(value, nullptr, 16);
    row.size = std::stoull(size, nullptr, 0);
    row.section = static_cast<uint32_t>(std::stoul(ndx));
    row.name = name;
    symbols.push_back(std::move(row));
  }
  return symbols;
}

std::map<uint32_t, ElfSectionRow> ReadelfSections(const fs::path& file,
                                                  std::map<std::string, uint32_t>* by_name) {
  CommandResult result = RunCommand("readelf -SW " + ShellQuote(file.string()));
  std::map<uint32_t, ElfSectionRow> sections;
  std::istringstream in(result.out);
  std::string line;
  while (std::getline(in, line)) {
    size_t open = line.find('[');
    size_t close = line.find(']');
    if (open == std::string::npos || close == std::string::npos || close < open) continue;
    std::string index_text = line.substr(open + 1, close - open - 1);
    index_text.erase(0, index_text.find_first_not_of(' '));
    if (index_text.empty() || !std::isdigit(static_cast<unsigned char>(index_text[0]))) continue;
    std::istringstream fields(line.substr(close + 1));
    std::string name, type, address, offset, size;
    if (!(fields >> name >> type >> address >> offset >> size)) continue;
    uint32_t index = static_cast<uint32_t>(std::stoul(index_text));
    sections[index] = {std::stoull(offset, nullptr, 16), std::stoull(size, nullptr, 16)};
    (*by_name)[name] = index;
  }
  return sections;
}

uint32_t Le32(const Bytes& bytes, uint64_t at) {
  return uint32_t(bytes[at]) | uint32_t(bytes[at + 1]) << 8 | uint32_t(bytes[at + 2]) << 16 |
         uint32_t(bytes[at + 3]) << 24;
}

// What a module's symbol table and .BTF_ids bytes say about its set8
// records. `__BTF_ID__set8__<set>` (value = offset of the record, size = its
// bytes) holds {u32 cnt, u32 flags} then cnt pairs {u32 btf_id, u32 flags};
// each member has a `__BTF_ID__func__<name>__<n>` symbol inside the record.
// resolve_btfids sorts the pairs by id after writing them, so a symbol names
// a member but not the pair at its address: names and pairs are two lists.
struct ModuleSets {
  std::map<std::string, std::string> set_of;            // kfunc name -> set name
  std::vector<std::pair<uint32_t, uint32_t>> pairs;     // {btf_id, flags}, sorted
};

ModuleSets Set8MembersFromElf(const fs::path& ko, std::string* problem) {
  std::map<std::string, uint32_t> section_index;
  std::map<uint32_t, ElfSectionRow> sections = ReadelfSections(ko, &section_index);
  ModuleSets expected;
  auto ids_index = section_index.find(".BTF_ids");
  if (ids_index == section_index.end()) return expected;  // no sets at all
  const ElfSectionRow ids_section = sections[ids_index->second];
  const Bytes file = ReadFileOrDie(ko);
  std::vector<ElfSymbolRow> symbols = ReadelfSymbols(ko);
  const std::string set_prefix = "__BTF_ID__set8__";
  const std::string func_prefix = "__BTF_ID__func__";
  for (const ElfSymbolRow& set : symbols) {
    if (set.section != ids_index->second || !set.name.starts_with(set_prefix)) continue;
    const std::string set_name = set.name.substr(set_prefix.size());
    const uint64_t base = ids_section.offset + set.value;
    const uint32_t count = Le32(file, base);
    if (8 + 8ull * count != set.size) {
      *problem += set_name + ": header count " + std::to_string(count) +
                  " disagrees with symbol size " + std::to_string(set.size) + "\n";
      continue;
    }
    for (uint32_t i = 0; i < count; ++i) {
      expected.pairs.push_back({Le32(file, base + 8 + 8 * i), Le32(file, base + 12 + 8 * i)});
    }
    size_t members = 0;
    for (const ElfSymbolRow& func : symbols) {
      if (func.section != set.section || !func.name.starts_with(func_prefix)) continue;
      if (func.value < set.value + 8 || func.value >= set.value + set.size) continue;
      std::string name = func.name.substr(func_prefix.size());
      size_t suffix = name.rfind("__");
      if (suffix != std::string::npos &&
          name.find_first_not_of("0123456789", suffix + 2) == std::string::npos) {
        name.resize(suffix);
      }
      expected.set_of[name] = set_name;
      ++members;
    }
    if (members != count) {
      *problem += set_name + ": " + std::to_string(members) + " func symbols for " +
                  std::to_string(count) + " entries\n";
    }
  }
  std::sort(expected.pairs.begin(), expected.pairs.end());
  return expected;
}

// The module file as an uncompressed .ko bpftool and readelf can read.
fs::path PlainModule(const fs::path& path) {
  if (path.extension() != ".xz") return path;
  fs::path out = ProcessScratch() / path.stem();
  if (!fs::exists(out)) {
    CommandResult result = RunCommand("xz -dc " + ShellQuote(path.string()) + " > " +
                                      ShellQuote(out.string()));
    EXPECT_EQ(result.exit_code, 0) << result.err;
  }
  return out;
}

void CheckModuleKfuncsAgainstElf(const std::string& kernel_name,
                                 const std::map<std::string, size_t>& known_counts) {
  const fs::path dir = SharedKernelDir(kernel_name);
  LOAD_OR_FAIL(loaded, dir.string());
  size_t total = 0;
  std::set<std::string> modules_seen;
  for (const fs::directory_entry& entry : fs::directory_iterator(dir / "modules")) {
    const fs::path ko = PlainModule(entry.path());
    std::string module_name = ko.filename().string();
    module_name.resize(module_name.find('.'));
    SCOPED_TRACE(kernel_name + " module " + module_name);
    modules_seen.insert(module_name);

    std::string problem;
    ModuleSets expected = Set8MembersFromElf(ko, &problem);
    EXPECT_EQ(problem, "");
    std::vector<const Kfunc*> reported = loaded->ModuleKfuncs(module_name);
    std::printf("%s %s: %zu set8 members in the symbol table, %zu kfuncs reported\n",
                kernel_name.c_str(), module_name.c_str(), expected.set_of.size(),
                reported.size());
    total += reported.size();

    std::set<std::string> expected_names;
    for (const auto& [name, unused] : expected.set_of) expected_names.insert(name);
    EXPECT_EQ(NamesOf(reported), expected_names)
        << "missed: " << Join(Minus(expected_names, NamesOf(reported)))
        << "\nextra: " << Join(Minus(NamesOf(reported), expected_names));
    if (auto known = known_counts.find(module_name); known != known_counts.end()) {
      EXPECT_EQ(expected_names.size(), known->second) << "the oracle itself lost members";
    }
    std::vector<std::pair<uint32_t, uint32_t>> reported_pairs;
    for (const Kfunc* kfunc : reported) {
      reported_pairs.push_back({kfunc->id.value, kfunc->flags.value_or(~0u)});
      auto it = expected.set_of.find(kfunc->name);
      if (it != expected.set_of.end()) {
        EXPECT_EQ(kfunc->sets, std::vector<std::string>{it->second}) << kfunc->name;
      }
      EXPECT_EQ(kfunc->methods, static_cast<uint8_t>(KfuncMethod::kBtfIdsSet8)) << kfunc->name;
    }
    std::sort(reported_pairs.begin(), reported_pairs.end());
    EXPECT_EQ(reported_pairs, expected.pairs) << "{btf_id, KF_* word} pairs of the records";
    // The ids name FUNCs of those names in bpftool's reading of the module's
    // own .BTF over the base.
    if (!reported.empty()) {
      DUMP_OR_FAIL(dump, ko, loaded->vmlinux_btf);
      ExpectIdsAndPrototypesMatchDump(reported, *dump, module_name);
    }
  }
  EXPECT_EQ(modules_seen.size(), 5u);
  for (const Kfunc& kfunc : loaded->kfuncs.kfuncs) {
    if (kfunc.module) {
      EXPECT_TRUE(modules_seen.count(*kfunc.module)) << *kfunc.module;
    }
  }
  std::printf("%s: %zu module kfuncs\n", kernel_name.c_str(), total);
}

TEST(ModuleKfuncTest, Debian61ModuleKfuncsAreTheSet8MembersTheirSymbolTablesName) {
  KC_REQUIRE_PATH(SharedKernelDir(kDebian61));
  REQUIRE_BPFTOOL();
  REQUIRE_TOOL("readelf");
  CheckModuleKfuncsAgainstElf(
      kDebian61,
      {{"nf_conntrack", 10}, {"nf_nat", 1}, {"tcp_bbr", 8}, {"tcp_dctcp", 6}, {"fou", 0}});
  std::string error;
  const LoadedKernel* loaded = LoadKfuncs(SharedKernelDir(kDebian61).string(), &error);
  ASSERT_NE(loaded, nullptr) << error;
  for (const char* name : {"bpf_skb_ct_lookup", "bpf_xdp_ct_lookup", "bpf_ct_release"}) {
    EXPECT_NE(loaded->kfuncs.Find(name, "nf_conntrack"), nullptr) << name;
  }
  EXPECT_NE(loaded->kfuncs.Find("bpf_ct_set_nat_info", "nf_nat"), nullptr);
}

TEST(ModuleKfuncTest, Debian612CompressedModuleKfuncsAreTheSet8MembersTheirSymbolTablesName) {
  KC_REQUIRE_PATH(SharedKernelDir(kDebian612));
  REQUIRE_BPFTOOL();
  REQUIRE_TOOL("readelf");
  REQUIRE_TOOL("xz");
  CheckModuleKfuncsAgainstElf(
      kDebian612,
      {{"nf_conntrack", 10}, {"nf_nat", 1}, {"tcp_bbr", 8}, {"tcp_dctcp", 6}, {"fou", 2}});
  std::string error;
  const LoadedKernel* loaded = LoadKfuncs(SharedKernelDir(kDebian612).string(), &error);
  ASSERT_NE(loaded, nullptr) << error;
  const Kfunc* insert = loaded->kfuncs.Find("bpf_ct_insert_entry", "nf_conntrack");
  ASSERT_NE(insert, nullptr);
  EXPECT_EQ(insert->flag_names,
            (std::vector<std::string>{"KF_ACQUIRE", "KF_RELEASE", "KF_RET_NULL"}));
  EXPECT_NE(loaded->kfuncs.Find("bpf_skb_set_fou_encap", "fou"), nullptr);
}

// --- 3. vmlinux .BTF_ids found by shape -------------------------------------

void CheckVmlinuxIdsAgainstBpftool(const std::string& kernel_name) {
  LOAD_OR_FAIL(loaded, SharedKernelDir(kernel_name).string());
  DUMP_OR_FAIL(dump, loaded->vmlinux_btf, fs::path());
  std::vector<const Kfunc*> vmlinux = loaded->ModuleKfuncs(std::nullopt);
  std::printf("%s: %zu vmlinux kfuncs (btf_ids), %zu in all\n", kernel_name.c_str(),
              vmlinux.size(), loaded->kfuncs.kfuncs.size());
  ASSERT_GT(vmlinux.size(), 30u);
  EXPECT_EQ(dump->count, loaded->kernel->vmlinux->own_type_count());
  EXPECT_TRUE(dump->KfuncDeclTags().empty()) << "pahole 1.24 BTF has no bpf_kfunc tags";
  ExpectIdsAndPrototypesMatchDump(vmlinux, *dump, kernel_name);
  for (const Kfunc* kfunc : vmlinux) {
    EXPECT_EQ(kfunc->methods, static_cast<uint8_t>(KfuncMethod::kBtfIdsSet8)) << kfunc->name;
    EXPECT_TRUE(kfunc->flags.has_value()) << kfunc->name;
    EXPECT_EQ(kfunc->unknown_flag_bits, 0u) << kfunc->name;
    EXPECT_TRUE(kfunc->sets.empty()) << kfunc->name << ": stripped vmlinux names no sets";
  }
}

TEST(VmlinuxBtfIdsTest, Debian61KfuncIdsAreFuncsOfTheSameNameInBpftoolsDump) {
  KC_REQUIRE_PATH(SharedKernelDir(kDebian61));
  REQUIRE_BPFTOOL();
  CheckVmlinuxIdsAgainstBpftool(kDebian61);
}

TEST(VmlinuxBtfIdsTest, Debian612KfuncIdsAreFuncsOfTheSameNameInBpftoolsDump) {
  KC_REQUIRE_PATH(SharedKernelDir(kDebian612));
  REQUIRE_BPFTOOL();
  CheckVmlinuxIdsAgainstBpftool(kDebian612);
}

// Debian 6.1's .BTF_ids (0x7c8 bytes), decoded word by word by hand: six
// set8 records hold kfuncs (header flags 0 before 6.9); the rest are
// BTF_ID_LISTs, BTF_SETs (cnt + ids) and the LSM hook lists, whose accidental
// "count, flags, pairs" shapes must not be taken for sets.
TEST(VmlinuxBtfIdsTest, Debian61VmlinuxKfuncsAreExactlyItsSixKfuncSet8Records) {
  KC_REQUIRE_PATH(SharedKernelDir(kDebian61));
  LOAD_OR_FAIL(loaded, SharedKernelDir(kDebian61).string());
  const std::set<std::string> expected = {
      // bpf_rstat_kfunc_ids (word 1)
      "cgroup_rstat_flush", "cgroup_rstat_updated",
      // key_sig_kfunc_set (word 20)
      "bpf_verify_pkcs7_signature", "bpf_key_put", "bpf_lookup_system_key",
      "bpf_lookup_user_key",
      // generic kfuncs: crash_kexec (word 38)
      "crash_kexec",
      // test_sk_check_kfunc_ids (word 416, 24 entries)
      "bpf_kfunc_call_test_destructive", "bpf_kfunc_call_test_ref",
      "bpf_kfunc_call_test_mem_len_fail2", "bpf_kfunc_call_test_mem_len_fail1",
      "bpf_kfunc_call_test_mem_len_pass1", "bpf_kfunc_call_test_fail3",
      "bpf_kfunc_call_test_fail2", "bpf_kfunc_call_test_fail1", "bpf_kfunc_call_test_pass2",
      "bpf_kfunc_call_test_pass1", "bpf_kfunc_call_test_pass_ctx",
      "bpf_kfunc_call_test_kptr_get", "bpf_kfunc_call_int_mem_release",
      "bpf_kfunc_call_test_acq_rdonly_mem", "bpf_kfunc_call_test_get_rdonly_mem",
      "bpf_kfunc_call_test_get_rdwr_mem", "bpf_kfunc_call_memb1_release",
      "bpf_kfunc_call_memb_release", "bpf_kfunc_call_test_release",
      "bpf_kfunc_call_memb_acquire", "bpf_kfunc_call_test_acquire", "bpf_kfunc_call_test3",
      "bpf_kfunc_call_test2", "bpf_kfunc_call_test1",
      // bpf_tcp_ca_check_kfunc_ids of tcp_cubic (word 470)
      "cubictcp_acked", "cubictcp_state", "cubictcp_recalc_ssthresh", "cubictcp_cong_avoid",
      "cubictcp_cwnd_event", "cubictcp_init",
      // bpf_tcp_ca_check_kfunc_ids (word 484)
      "tcp_reno_undo_cwnd", "tcp_reno_ssthresh", "tcp_reno_cong_avoid", "tcp_cong_avoid_ai",
      "tcp_slow_start"};
  ASSERT_EQ(expected.size(), 42u);
  const std::set<std::string> reported = NamesOf(loaded->ModuleKfuncs(std::nullopt));
  EXPECT_EQ(reported, expected) << "missed: " << Join(Minus(expected, reported))
                                << "\nextra: " << Join(Minus(reported, expected));
  // The kptr_get entry's word is 13: KF_ACQUIRE|KF_KPTR_GET|KF_RET_NULL, with
  // bit 3 still KF_KPTR_GET in 6.1.
  const Kfunc* kptr_get = loaded->kfuncs.Find("bpf_kfunc_call_test_kptr_get");
  ASSERT_NE(kptr_get, nullptr);
  EXPECT_EQ(kptr_get->flags, std::optional<uint32_t>(13));
  EXPECT_EQ(kptr_get->flag_names,
            (std::vector<std::string>{"KF_ACQUIRE", "KF_RET_NULL", "KF_KPTR_GET"}));
}

std::vector<std::string> Sorted(std::vector<std::string> names) {
  std::sort(names.begin(), names.end());
  return names;
}

TEST(VmlinuxBtfIdsTest, Debian61KnownKfuncsCarryTheirKernelSourceFlags) {
  KC_REQUIRE_PATH(SharedKernelDir(kDebian61));
  LOAD_OR_FAIL(loaded, SharedKernelDir(kDebian61).string());
  const Kfunc* lookup = loaded->kfuncs.Find("bpf_lookup_user_key");
  ASSERT_NE(lookup, nullptr);
  EXPECT_FALSE(lookup->module.has_value());
  EXPECT_EQ(lookup->flags, std::optional<uint32_t>(37));  // 1 | 4 | 32
  EXPECT_EQ(Sorted(lookup->flag_names),
            (std::vector<std::string>{"KF_ACQUIRE", "KF_RET_NULL", "KF_SLEEPABLE"}));
  const Kfunc* kexec = loaded->kfuncs.Find("crash_kexec");
  ASSERT_NE(kexec, nullptr);
  EXPECT_EQ(kexec->flags, std::optional<uint32_t>(64));
  EXPECT_EQ(kexec->flag_names, std::vector<std::string>{"KF_DESTRUCTIVE"});
  const Kfunc* put = loaded->kfuncs.Find("bpf_key_put");
  ASSERT_NE(put, nullptr);
  EXPECT_EQ(put->flag_names, std::vector<std::string>{"KF_RELEASE"});
}

bool Contains(const std::vector<std::string>& names, const std::string& name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

TEST(VmlinuxBtfIdsTest, Debian612KnownKfuncsCarryTheirKernelSourceFlags) {
  KC_REQUIRE_PATH(SharedKernelDir(kDebian612));
  LOAD_OR_FAIL(loaded, SharedKernelDir(kDebian612).string());
  const Kfunc* acquire = loaded->kfuncs.Find("bpf_task_acquire");
  ASSERT_NE(acquire, nullptr);
  EXPECT_FALSE(acquire->module.has_value());
  for (const char* flag : {"KF_ACQUIRE", "KF_RCU", "KF_RET_NULL"}) {
    EXPECT_TRUE(Contains(acquire->flag_names, flag)) << flag;
  }
  EXPECT_EQ(acquire->flags, std::optional<uint32_t>(133));  // 1 | 4 | 128
  const Kfunc* iter = loaded->kfuncs.Find("bpf_iter_task_new");
  ASSERT_NE(iter, nullptr);
  for (const char* flag : {"KF_ITER_NEW", "KF_RCU_PROTECTED"}) {
    EXPECT_TRUE(Contains(iter->flag_names, flag)) << flag;
  }
  EXPECT_EQ(iter->flags, std::optional<uint32_t>(2320));  // 256 | 16 | 2048
  const Kfunc* release = loaded->kfuncs.Find("bpf_task_release");
  ASSERT_NE(release, nullptr);
  EXPECT_EQ(release->flag_names, std::vector<std::string>{"KF_RELEASE"});
  // fmod_ret-only sets (update_socket_protocol's) lack BTF_SET8_KFUNCS in
  // 6.12's headers and are not kfuncs.
  EXPECT_EQ(loaded->kfuncs.Find("update_socket_protocol"), nullptr);
}

// --- 3b. two methods, two kernels: 6.12's .BTF_ids vs 6.18's decl tags -----

TEST(CrossKernelTest, Debian612BtfIdsKfuncsAgreeWithHost618DeclTags) {
  KC_REQUIRE_PATH(SharedKernelDir(kDebian612));
  KC_REQUIRE_PATH(SharedKernelDir(kHost618));
  REQUIRE_BPFTOOL();
  REQUIRE_TOOL("xz");
  LOAD_OR_FAIL(old_kernel, SharedKernelDir(kDebian612).string());
  DUMP_OR_FAIL(old_dump, old_kernel->vmlinux_btf, fs::path());
  DUMP_OR_FAIL(new_dump, SharedKernelDir(kHost618) / "vmlinux.btf", fs::path());

  // 6.12's FUNC names, vmlinux and modules.
  std::set<std::string> old_funcs = old_dump->FuncNames();
  for (const fs::directory_entry& entry :
       fs::directory_iterator(SharedKernelDir(kDebian612) / "modules")) {
    DUMP_OR_FAIL(module_dump, PlainModule(entry.path()), old_kernel->vmlinux_btf);
    old_funcs.merge(module_dump->FuncNames());
  }
  std::set<std::string> old_kfuncs;
  for (const Kfunc& kfunc : old_kernel->kfuncs.kfuncs) {
    EXPECT_TRUE(kfunc.methods & static_cast<uint8_t>(KfuncMethod::kBtfIdsSet8)) << kfunc.name;
    old_kfuncs.insert(kfunc.name);
  }
  const std::set<std::string> new_funcs = new_dump->FuncNames();
  std::set<std::string> new_tagged;
  for (const auto& [id, name] : new_dump->KfuncDeclTags()) new_tagged.insert(name);
  ASSERT_EQ(new_tagged.size(), 203u);

  // Forward: 6.12's kfuncs that 6.18 still has must be tagged in 6.18.
  const std::set<std::string> shared = Intersect(old_kfuncs, new_funcs);
  const std::set<std::string> tagged = Intersect(shared, new_tagged);
  std::printf("6.12 kfuncs (btf_ids): %zu; FUNCs in 6.18: %zu; tagged bpf_kfunc in 6.18: %zu\n"
              "  untagged: %s\n",
              old_kfuncs.size(), shared.size(), tagged.size(),
              Join(Minus(shared, tagged)).c_str());
  ASSERT_GT(shared.size(), 100u);
  // Observed 146 of 147: bpf_verify_pkcs7_signature is a FUNC in 6.18 but its
  // BTF_ID_FLAGS entry needs CONFIG_SYSTEM_DATA_VERIFICATION, which the host
  // config lacks.
  EXPECT_GE(tagged.size() * 100, shared.size() * 95);

  // Converse: 6.18's tagged kfuncs whose FUNC exists in 6.12 must be found
  // in 6.12's .BTF_ids. The only legitimate miss is an old function first
  // registered as a kfunc after 6.12; observed: none.
  const std::set<std::string> existed = Intersect(new_tagged, old_funcs);
  const std::set<std::string> found = Intersect(existed, old_kfuncs);
  const std::set<std::string> missed = Minus(existed, found);
  std::printf("6.18 decl-tagged kfuncs: %zu; FUNCs in 6.12: %zu; found in 6.12 .BTF_ids: %zu\n"
              "  missed: %s\n",
              new_tagged.size(), existed.size(), found.size(), Join(missed).c_str());
  ASSERT_GT(existed.size(), 100u);
  EXPECT_GE(found.size() * 100, existed.size() * 97) << "missed: " << Join(missed);
}
}  // namespace
}  // namespace kcontract
