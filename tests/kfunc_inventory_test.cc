// The kfunc inventory of real kernels, checked against methods that do not
// use kcontract's own readers:
//  - bpftool's raw dump of the BTF (the `bpf_kfunc` DECL_TAGs, FUNC names
//    and FUNC_PROTO parameters);
//  - the modules' ELF symbol tables (readelf), which name every member of a
//    `__BTF_ID__set8__<set>` record, and the .BTF_ids bytes at those symbols;
//  - the decl tags of a newer kernel (6.18) against the .BTF_ids records of an
//    older one (6.12): two different methods on overlapping code;
//  - KF_* words decoded by hand from the section.
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "abi/report/inventory_report.h"
#include "btfdiff/inventory/kfunc_inventory.h"
#include "btfdiff/model/kernel_btf.h"
#include "btfdiff/source/kernel_source.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "tests/test_support.h"

namespace kcontract {
namespace {

namespace fs = std::filesystem;
using ::kcontract::testing::CommandResult;
using ::kcontract::testing::HaveTool;
using ::kcontract::testing::ReadFileOrDie;
using ::kcontract::testing::RunCli;
using ::kcontract::testing::BpftoolDumpCommand;
using ::kcontract::testing::RunCommand;
using ::kcontract::testing::RunToText;
using ::kcontract::testing::ShellQuote;
using ::kcontract::testing::SharedKernelDir;
using ::kcontract::testing::WriteFileOrDie;

const char kDebian61[] = "debian-6.1.0-50-amd64";
const char kDebian612[] = "debian-6.12.111-amd64";
const char kHost618[] = "host-6.18.44";

const fs::path& ProcessScratch() { return ::kcontract::testing::ProcessScratch("kfunc_inventory_test"); }

// --- bpftool's raw dump, parsed -------------------------------------------

struct DumpMember {
  std::string name;
  int64_t type_id = -1;
};

// Only the kinds these tests read are kept (FUNC, FUNC_PROTO, DECL_TAG): a
// 6.18 dump has 300k lines, and the suite also runs unoptimised under ASan.
struct DumpType {
  std::string kind;  // empty: a kind not kept
  std::string name;
  int64_t type_id = -1;        // FUNC, DECL_TAG (type_id=)
  int64_t component_idx = -2;  // DECL_TAG
  std::vector<DumpMember> members;  // FUNC_PROTO params
};

struct BtfDump {
  uint32_t first_id = 0;
  std::vector<DumpType> types;  // types[id - first_id]
  size_t count = 0;             // every type bpftool printed

  const DumpType* Find(int64_t id) const {
    if (id < first_id || id - first_id >= static_cast<int64_t>(types.size())) return nullptr;
    const DumpType& type = types[id - first_id];
    return type.kind.empty() ? nullptr : &type;
  }
  std::set<std::string> FuncNames() const {
    std::set<std::string> names;
    for (const DumpType& type : types) {
      if (type.kind == "FUNC") names.insert(type.name);
    }
    return names;
  }
  // FUNC id -> name for every `DECL_TAG 'bpf_kfunc' ... component_idx=-1`.
  std::map<uint32_t, std::string> KfuncDeclTags() const {
    std::map<uint32_t, std::string> tagged;
    for (const DumpType& type : types) {
      if (type.kind != "DECL_TAG" || type.name != "bpf_kfunc" || type.component_idx != -1) {
        continue;
      }
      const DumpType* target = Find(type.type_id);
      if (target != nullptr && target->kind == "FUNC") {
        tagged[static_cast<uint32_t>(type.type_id)] = target->name;
      }
    }
    return tagged;
  }
};

int64_t ParseInt(std::string_view text) {
  bool negative = !text.empty() && text[0] == '-';
  int64_t value = 0;
  for (size_t i = negative ? 1 : 0;
       i < text.size() && std::isdigit(static_cast<unsigned char>(text[i])); ++i) {
    value = value * 10 + (text[i] - '0');
  }
  return negative ? -value : value;
}

// The integer after " key=" in `line`, or -1 (a match must start a token, so
// "type_id=" does not match "ret_type_id=").
int64_t Field(std::string_view line, std::string_view key) {
  size_t pos = 0;
  while ((pos = line.find(key, pos)) != std::string_view::npos) {
    if (pos == 0 || line[pos - 1] == ' ' || line[pos - 1] == '\t') {
      return ParseInt(line.substr(pos + key.size()));
    }
    pos += key.size();
  }
  return -1;
}

BtfDump ParseBpftoolDump(std::string_view text) {
  BtfDump dump;
  DumpType* current = nullptr;
  for (size_t pos = 0; pos < text.size();) {
    size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(pos, end - pos);
    pos = end + 1;
    if (line.empty()) continue;
    if (line[0] == '[') {
      size_t close = line.find(']');
      const uint32_t id = static_cast<uint32_t>(ParseInt(line.substr(1, close - 1)));
      if (dump.types.empty()) dump.first_id = id;
      dump.types.resize(id - dump.first_id + 1);
      ++dump.count;
      current = nullptr;
      size_t kind_end = line.find(' ', close + 2);
      std::string_view kind = line.substr(close + 2, kind_end - close - 2);
      if (kind != "FUNC" && kind != "FUNC_PROTO" && kind != "DECL_TAG") continue;
      DumpType& type = dump.types.back();
      type.kind = std::string(kind);
      size_t q1 = line.find('\'', kind_end);
      size_t q2 = line.find('\'', q1 + 1);
      type.name = std::string(line.substr(q1 + 1, q2 - q1 - 1));
      std::string_view rest = line.substr(q2 + 1);
      type.type_id = Field(rest, "type_id=");
      if (kind == "DECL_TAG") type.component_idx = Field(rest, "component_idx=");
      current = &type;
    } else if (line[0] == '\t' && current != nullptr) {
      DumpMember member;
      if (line.size() > 1 && line[1] == '\'') {
        size_t q2 = line.find('\'', 2);
        member.name = std::string(line.substr(2, q2 - 2));
      }
      member.type_id = Field(line, "type_id=");
      current->members.push_back(std::move(member));
    }
  }
  return dump;
}

// bpftool's dump of `file` (with `base` for split BTF), parsed; cached.
const BtfDump* Bpftool(const fs::path& file, const fs::path& base, std::string* error) {
  static std::map<std::string, std::unique_ptr<BtfDump>> cache;
  const std::string key = file.string() + "|" + base.string();
  if (auto it = cache.find(key); it != cache.end()) return it->second.get();
  std::string command = BpftoolDumpCommand(file, base);
  std::string text;
  if (!RunToText(command, &text, error)) return nullptr;
  auto dump = std::make_unique<BtfDump>(ParseBpftoolDump(text));
  return (cache[key] = std::move(dump)).get();
}

// --- kernels, loaded once per process -------------------------------------

struct LoadedKernel {
  std::unique_ptr<KernelBtf> kernel;
  KfuncSet kfuncs;
  fs::path vmlinux_btf;  // the vmlinux raw BTF, written for bpftool

  std::vector<const Kfunc*> ModuleKfuncs(const std::optional<std::string>& module) const {
    std::vector<const Kfunc*> out;
    for (const Kfunc& kfunc : kfuncs.kfuncs) {
      if (kfunc.module == module) out.push_back(&kfunc);
    }
    return out;
  }
};

const LoadedKernel* Load(const std::string& source, std::string* error) {
  static std::map<std::string, std::unique_ptr<LoadedKernel>> cache;
  if (auto it = cache.find(source); it != cache.end()) return it->second.get();
  absl::StatusOr<std::unique_ptr<KernelBtf>> kernel = LoadKernel(source);
  if (!kernel.ok()) {
    *error = "LoadKernel(" + source + "): " + std::string(kernel.status().message());
    return nullptr;
  }
  auto loaded = std::make_unique<LoadedKernel>();
  loaded->kernel = *std::move(kernel);
  loaded->kfuncs = CollectKfuncs(*loaded->kernel);
  loaded->vmlinux_btf = ProcessScratch() / ("vmlinux_" + std::to_string(cache.size()) + ".btf");
  WriteFileOrDie(loaded->vmlinux_btf, loaded->kernel->vmlinux->RawData());
  return (cache[source] = std::move(loaded)).get();
}

bool HaveBpftool() {
  static const bool have = HaveTool("bpftool");
  return have;
}

#define REQUIRE_TOOL(name)                                      \
  do {                                                          \
    if (!HaveTool(name)) GTEST_SKIP() << "needs " << (name);    \
  } while (0)

#define REQUIRE_BPFTOOL()                                        \
  do {                                                           \
    if (!HaveBpftool()) GTEST_SKIP() << "needs bpftool in PATH"; \
  } while (0)

#define LOAD_OR_FAIL(var, source)                      \
  std::string var##_error;                             \
  const LoadedKernel* var = Load((source), &var##_error); \
  ASSERT_NE(var, nullptr) << var##_error

#define DUMP_OR_FAIL(var, file, base)                         \
  std::string var##_error;                                    \
  const BtfDump* var = Bpftool((file), (base), &var##_error); \
  ASSERT_NE(var, nullptr) << var##_error

std::string Join(const std::set<std::string>& names) {
  std::string out;
  for (const std::string& name : names) out += (out.empty() ? "" : " ") + name;
  return out;
}

std::set<std::string> Minus(const std::set<std::string>& a, const std::set<std::string>& b) {
  std::set<std::string> out;
  std::set_difference(a.begin(), a.end(), b.begin(), b.end(), std::inserter(out, out.end()));
  return out;
}

std::set<std::string> Intersect(const std::set<std::string>& a, const std::set<std::string>& b) {
  std::set<std::string> out;
  std::set_intersection(a.begin(), a.end(), b.begin(), b.end(), std::inserter(out, out.end()));
  return out;
}

// The parameter list of a rendered prototype, split at top-level commas.
std::vector<std::string> ProtoParams(const std::string& proto, const std::string& name) {
  size_t open = proto.find(name + "(");
  if (open == std::string::npos) return {"<no " + name + "( in prototype>"};
  open += name.size();
  size_t close = proto.rfind(')');
  std::string inner = proto.substr(open + 1, close - open - 1);
  std::vector<std::string> params;
  int depth = 0;
  std::string current;
  for (char c : inner) {
    if (c == '(' || c == '[') ++depth;
    if (c == ')' || c == ']') --depth;
    if (c == ',' && depth == 0) {
      params.push_back(current);
      current.clear();
    } else {
      current += c;
    }
  }
  params.push_back(current);
  for (std::string& param : params) {
    param.erase(0, param.find_first_not_of(' '));
    param.erase(param.find_last_not_of(' ') + 1);
  }
  return params;
}

bool HasIdentifier(const std::string& text, const std::string& ident) {
  auto is_ident = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; };
  for (size_t pos = text.find(ident); pos != std::string::npos;
       pos = text.find(ident, pos + 1)) {
    bool left = pos == 0 || !is_ident(text[pos - 1]);
    bool right = pos + ident.size() == text.size() || !is_ident(text[pos + ident.size()]);
    if (left && right) return true;
  }
  return false;
}

// Each kfunc's id must be a FUNC named like it in bpftool's dump, and its
// prototype must list that FUNC_PROTO's parameters, by name, in order.
void ExpectIdsAndPrototypesMatchDump(const std::vector<const Kfunc*>& kfuncs,
                                     const BtfDump& dump, const std::string& what) {
  for (const Kfunc* kfunc : kfuncs) {
    SCOPED_TRACE(what + ": " + kfunc->name);
    const DumpType* func = dump.Find(kfunc->id.value);
    ASSERT_NE(func, nullptr) << "id " << kfunc->id.value << " not in bpftool's dump";
    EXPECT_EQ(func->kind, "FUNC") << "id " << kfunc->id.value;
    EXPECT_EQ(func->name, kfunc->name) << "id " << kfunc->id.value;
    const DumpType* proto = dump.Find(func->type_id);
    if (proto == nullptr) continue;  // the prototype lives in the base
    ASSERT_EQ(proto->kind, "FUNC_PROTO");
    std::vector<std::string> params = ProtoParams(kfunc->proto, kfunc->name);
    if (proto->members.empty()) {
      EXPECT_EQ(params, std::vector<std::string>{"void"}) << kfunc->proto;
      continue;
    }
    ASSERT_EQ(params.size(), proto->members.size()) << kfunc->proto;
    for (size_t i = 0; i < params.size(); ++i) {
      const DumpMember& param = proto->members[i];
      if (param.type_id == 0) {
        EXPECT_EQ(params[i], "...") << kfunc->proto;
      } else if (!param.name.empty() && param.name != "(anon)") {
        EXPECT_TRUE(HasIdentifier(params[i], param.name))
            << "parameter " << i << " '" << param.name << "' in " << kfunc->proto;
      }
    }
  }
}

std::set<std::string> NamesOf(const std::vector<const Kfunc*>& kfuncs) {
  std::set<std::string> names;
  for (const Kfunc* kfunc : kfuncs) names.insert(kfunc->name);
  return names;
}

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
  const LoadedKernel* loaded = Load(SharedKernelDir(kDebian61).string(), &error);
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
  const LoadedKernel* loaded = Load(SharedKernelDir(kDebian612).string(), &error);
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
