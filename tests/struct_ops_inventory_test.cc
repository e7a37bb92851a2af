// The struct_ops inventory of real kernels, checked against bpftool:
//  - every registration makes a `struct bpf_struct_ops_<x>` wrapper whose
//    `data` member is a `struct <x>`: bpftool's raw dump lists them;
//  - each member's name and offset are in that raw dump, and its C
//    declaration is what `bpftool btf dump ... format c` prints.
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <optional>
#include <ostream>
#include <set>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "btfdiff/inventory/struct_ops_inventory.h"
#include "btfdiff/model/kernel_btf.h"
#include "btfdiff/source/kernel_source.h"
#include "gtest/gtest.h"
#include "tests/test_support.h"

namespace kcontract {
namespace {

namespace fs = std::filesystem;
using ::kcontract::testing::CommandResult;
using ::kcontract::testing::HaveTool;
using ::kcontract::testing::LoadKernelOnce;
using ::kcontract::testing::BpftoolDumpCommand;
using ::kcontract::testing::RunCommand;
using ::kcontract::testing::RunToText;
using ::kcontract::testing::ShellQuote;
using ::kcontract::testing::SharedKernelDir;

// --- bpftool's dumps ----------------------------------------------------------

struct DumpMember {
  std::string name;
  int64_t type_id = -1;
  int64_t bits_offset = -1;
};

// Only STRUCTs are kept: a 6.18 dump has 300k lines, and the suite also runs
// unoptimised under ASan.
struct DumpType {
  std::string kind;  // empty: a kind not kept
  std::string name;
  std::vector<DumpMember> members;
};

struct BtfDump {
  uint32_t first_id = 0;
  std::vector<DumpType> types;  // types[id - first_id]

  const DumpType* Find(int64_t id) const {
    if (id < first_id || id - first_id >= static_cast<int64_t>(types.size())) return nullptr;
    const DumpType& type = types[id - first_id];
    return type.kind.empty() ? nullptr : &type;
  }
  uint32_t IdOf(const DumpType& type) const {
    return first_id + static_cast<uint32_t>(&type - types.data());
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

template <typename F>
void ForEachLine(std::string_view text, F&& f) {
  for (size_t pos = 0; pos < text.size();) {
    size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    if (!f(text.substr(pos, end - pos))) return;
    pos = end + 1;
  }
}

BtfDump ParseRawDump(std::string_view text) {
  BtfDump dump;
  DumpType* current = nullptr;
  ForEachLine(text, [&](std::string_view line) {
    if (line.empty()) return true;
    if (line[0] == '[') {
      size_t close = line.find(']');
      const uint32_t id = static_cast<uint32_t>(ParseInt(line.substr(1, close - 1)));
      if (dump.types.empty()) dump.first_id = id;
      dump.types.resize(id - dump.first_id + 1);
      current = nullptr;
      size_t kind_end = line.find(' ', close + 2);
      if (line.substr(close + 2, kind_end - close - 2) != "STRUCT") return true;
      DumpType& type = dump.types.back();
      type.kind = "STRUCT";
      size_t q1 = line.find('\'', kind_end);
      size_t q2 = line.find('\'', q1 + 1);
      type.name = std::string(line.substr(q1 + 1, q2 - q1 - 1));
      current = &type;
    } else if (line[0] == '\t' && current != nullptr) {
      DumpMember member;
      if (line.size() > 1 && line[1] == '\'') {
        size_t q2 = line.find('\'', 2);
        member.name = std::string(line.substr(2, q2 - 2));
      }
      member.type_id = Field(line, "type_id=");
      member.bits_offset = Field(line, "bits_offset=");
      current->members.push_back(std::move(member));
    }
    return true;
  });
  return dump;
}

std::string Normalize(std::string_view text) {
  std::string out;
  bool space = false;
  for (char c : text) {
    if (c == ' ' || c == '\t' || c == '\n') {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += c;
  }
  return out;
}

// The members of `struct <name>` as `format c` prints them, in order,
// without the `long: 64;` padding bpftool adds; nullopt when the struct is
// not there or has nested anonymous members (one line is not one member).
std::optional<std::vector<std::string>> CStructMembers(std::string_view c,
                                                       const std::string& name) {
  const std::string head = "\nstruct " + name + " {\n";
  size_t start = c.find(head);
  if (start == std::string_view::npos) return std::nullopt;
  std::vector<std::string> members;
  bool nested = false;
  ForEachLine(c.substr(start + head.size()), [&](std::string_view line) {
    if (line == "};" || line.starts_with("} ")) return false;
    if (!line.starts_with("\t") || line.starts_with("\t\t") ||
        line.find('{') != std::string_view::npos || line.starts_with("\t}")) {
      nested = true;
      return true;
    }
    std::string decl = Normalize(line);
    if (decl.ends_with(";")) decl.pop_back();
    // Unnamed padding: "long: 64", "int: 32", ...
    size_t colon = decl.find(": ");
    if (colon != std::string::npos && decl.find(' ') > colon) return true;
    members.push_back(decl);
    return true;
  });
  if (nested) return std::nullopt;
  return members;
}

// bpftool's raw dump of `file` (over `base` for split BTF), parsed; cached.
const BtfDump* RawDump(const fs::path& file, const fs::path& base, std::string* error) {
  static std::map<std::string, std::unique_ptr<BtfDump>> cache;
  const std::string command = BpftoolDumpCommand(file, base);
  if (auto it = cache.find(command); it != cache.end()) return it->second.get();
  std::string text;
  if (!RunToText(command, &text, error)) return nullptr;
  return (cache[command] = std::make_unique<BtfDump>(ParseRawDump(text))).get();
}

// bpftool's `format c` dump of `file`; cached.
const std::string* CDump(const fs::path& file, const fs::path& base, std::string* error) {
  static std::map<std::string, std::unique_ptr<std::string>> cache;
  const std::string command = BpftoolDumpCommand(file, base) + " format c";
  if (auto it = cache.find(command); it != cache.end()) return it->second.get();
  auto text = std::make_unique<std::string>();
  if (!RunToText(command, text.get(), error)) return nullptr;
  return (cache[command] = std::move(text)).get();
}

// --- kernels ----------------------------------------------------------------

struct LoadedKernel {
  const KernelBtf* kernel = nullptr;  // LoadKernelOnce's
  std::vector<StructOpsType> struct_ops;
  fs::path vmlinux_btf;
  std::map<std::string, fs::path> module_btf;  // split BTF, for bpftool -B
};

const LoadedKernel* Load(const std::string& source, std::string* error) {
  static std::map<std::string, std::unique_ptr<LoadedKernel>> cache;
  if (auto it = cache.find(source); it != cache.end()) return it->second.get();
  const ::kcontract::testing::CachedKernel* cached = LoadKernelOnce(source, error);
  if (cached == nullptr) return nullptr;
  auto loaded = std::make_unique<LoadedKernel>();
  loaded->kernel = cached->kernel.get();
  loaded->struct_ops = CollectStructOps(*loaded->kernel);
  loaded->vmlinux_btf = cached->vmlinux_btf;
  loaded->module_btf = cached->module_btf;
  return (cache[source] = std::move(loaded)).get();
}

struct KernelCase {
  const char* label;
  const char* shared_name;  // nullptr for the running kernel
  bool expect_tcp_ca;       // tcp_congestion_ops and bpf_dummy_ops must be there
};

// Names the case in test names (instead of gtest's byte dump).
void PrintTo(const KernelCase& c, std::ostream* os) { *os << c.label; }

std::string SourceOf(const KernelCase& c) {
  return c.shared_name ? SharedKernelDir(c.shared_name).string() : std::string(kRunningKernel);
}

class StructOpsTest : public ::testing::TestWithParam<KernelCase> {
 protected:
  void SetUp() override {
    const KernelCase& c = GetParam();
    if (c.shared_name) {
      KC_REQUIRE_PATH(SharedKernelDir(c.shared_name));
    } else {
      KC_REQUIRE_PATH(fs::path("/sys/kernel/btf/vmlinux"));
    }
    if (!HaveTool("bpftool")) GTEST_SKIP() << "needs bpftool in PATH";
    std::string error;
    loaded_ = Load(SourceOf(c), &error);
    ASSERT_NE(loaded_, nullptr) << error;
  }

  // bpftool's dumps of the blob `module` (nullopt: vmlinux) lives in.
  const BtfDump* RawDumpOf(const std::optional<std::string>& module, std::string* error) {
    if (!module) return RawDump(loaded_->vmlinux_btf, fs::path(), error);
    return RawDump(loaded_->module_btf.at(*module), loaded_->vmlinux_btf, error);
  }
  const std::string* CDumpOf(const std::optional<std::string>& module, std::string* error) {
    if (!module) return CDump(loaded_->vmlinux_btf, fs::path(), error);
    return CDump(loaded_->module_btf.at(*module), loaded_->vmlinux_btf, error);
  }

  const LoadedKernel* loaded_ = nullptr;
};

// {module, name, table id, wrapper id}
using Key = std::tuple<std::string, std::string, uint32_t, uint32_t>;

std::string Describe(const std::set<Key>& keys) {
  std::string out;
  for (const auto& [module, name, table, wrapper] : keys) {
    out += (module.empty() ? "" : module + ":") + name + " [" + std::to_string(table) + "/" +
           std::to_string(wrapper) + "] ";
  }
  return out;
}

TEST_P(StructOpsTest, TypesAreTheStructsThatBpfStructOpsWrappersHoldAsData) {
  std::set<Key> expected;
  std::vector<std::optional<std::string>> blobs = {std::nullopt};
  for (const ModuleBtf& module : loaded_->kernel->modules) blobs.push_back(module.name);
  const std::string prefix = "bpf_struct_ops_";
  for (const std::optional<std::string>& blob : blobs) {
    std::string error;
    const BtfDump* dump = RawDumpOf(blob, &error);
    ASSERT_NE(dump, nullptr) << error;
    for (const DumpType& type : dump->types) {
      if (type.kind != "STRUCT" || !type.name.starts_with(prefix)) continue;
      const std::string x = type.name.substr(prefix.size());
      for (const DumpMember& member : type.members) {
        if (member.name != "data") continue;
        const DumpType* data = dump->Find(member.type_id);
        // Module wrappers may point at base types: look there too.
        if (data == nullptr && blob) {
          const BtfDump* base = RawDumpOf(std::nullopt, &error);
          ASSERT_NE(base, nullptr) << error;
          data = base->Find(member.type_id);
        }
        if (data != nullptr && data->kind == "STRUCT" && data->name == x) {
          expected.insert(
              {blob.value_or(""), x, static_cast<uint32_t>(member.type_id), dump->IdOf(type)});
        }
      }
    }
  }
  std::set<Key> reported;
  for (const StructOpsType& type : loaded_->struct_ops) {
    reported.insert({type.module.value_or(""), type.name, type.id.value, type.wrapper.value});
  }
  std::printf("%s: %zu struct_ops wrappers in bpftool's dumps: %s\n", GetParam().label,
              expected.size(), Describe(expected).c_str());
  EXPECT_EQ(reported, expected) << "reported: " << Describe(reported);
  if (GetParam().expect_tcp_ca) {
    std::set<std::string> names;
    for (const auto& key : expected) names.insert(std::get<1>(key));
    EXPECT_TRUE(names.count("tcp_congestion_ops"));
    EXPECT_TRUE(names.count("bpf_dummy_ops"));
  }
}

TEST_P(StructOpsTest, MembersAreTheRawDumpsMembersDeclaredAsFormatCPrintsThem) {
  size_t checked = 0;
  for (const StructOpsType& type : loaded_->struct_ops) {
    SCOPED_TRACE(type.name);
    std::string error;
    const BtfDump* dump = RawDumpOf(type.module, &error);
    ASSERT_NE(dump, nullptr) << error;
    const DumpType* table = dump->Find(type.id.value);
    ASSERT_NE(table, nullptr);
    ASSERT_EQ(table->members.size(), type.members.size());
    const std::string* c_dump = CDumpOf(type.module, &error);
    ASSERT_NE(c_dump, nullptr) << error;
    std::optional<std::vector<std::string>> c = CStructMembers(*c_dump, type.name);
    ASSERT_TRUE(c.has_value()) << "no plain `struct " << type.name << " {` in format c output";
    ASSERT_EQ(c->size(), type.members.size());
    for (size_t i = 0; i < type.members.size(); ++i) {
      const StructOpsMember& member = type.members[i];
      EXPECT_EQ(member.name, table->members[i].name);
      EXPECT_EQ(static_cast<int64_t>(member.bit_offset), table->members[i].bits_offset)
          << member.name;
      EXPECT_EQ(static_cast<int64_t>(member.type.value), table->members[i].type_id)
          << member.name;
      EXPECT_EQ(Normalize(member.declaration), (*c)[i]);
      EXPECT_EQ(member.is_callback, (*c)[i].find("(*") != std::string::npos) << (*c)[i];
      ++checked;
    }
  }
  std::printf("%s: %zu struct_ops members checked against format c\n", GetParam().label,
              checked);
  if (GetParam().expect_tcp_ca) {
    EXPECT_GT(checked, 18u);
  }
}

TEST_P(StructOpsTest, TcpCongestionOpsSsthreshIsDeclaredAsBpftoolPrintsIt) {
  auto it = std::find_if(loaded_->struct_ops.begin(), loaded_->struct_ops.end(),
                         [](const StructOpsType& t) { return t.name == "tcp_congestion_ops"; });
  if (!GetParam().expect_tcp_ca && it == loaded_->struct_ops.end()) {
    GTEST_SKIP() << "this kernel registers no tcp_congestion_ops struct_ops";
  }
  ASSERT_NE(it, loaded_->struct_ops.end());
  EXPECT_FALSE(it->module.has_value());
  auto member = std::find_if(it->members.begin(), it->members.end(),
                             [](const StructOpsMember& m) { return m.name == "ssthresh"; });
  ASSERT_NE(member, it->members.end());
  // BTF keeps no parameter names for function pointer members.
  EXPECT_EQ(member->declaration, "u32 (*ssthresh)(struct sock *)");
  EXPECT_TRUE(member->is_callback);
  EXPECT_EQ(member->bit_offset, 0u);
  std::string error;
  const std::string* c_dump = CDumpOf(std::nullopt, &error);
  ASSERT_NE(c_dump, nullptr) << error;
  std::optional<std::vector<std::string>> c = CStructMembers(*c_dump, "tcp_congestion_ops");
  ASSERT_TRUE(c.has_value() && !c->empty());
  EXPECT_EQ(c->front(), Normalize(member->declaration));
  // Not a callback: the name array.
  auto name = std::find_if(it->members.begin(), it->members.end(),
                           [](const StructOpsMember& m) { return m.name == "name"; });
  ASSERT_NE(name, it->members.end());
  EXPECT_EQ(name->declaration, "char name[16]");
  EXPECT_FALSE(name->is_callback);
}

INSTANTIATE_TEST_SUITE_P(
    Kernels, StructOpsTest,
    ::testing::Values(KernelCase{"Debian61", "debian-6.1.0-50-amd64", true},
                      KernelCase{"Debian612", "debian-6.12.111-amd64", true},
                      KernelCase{"Host618", "host-6.18.44", true},
                      KernelCase{"Running", nullptr, false}),
    [](const ::testing::TestParamInfo<KernelCase>& info) { return info.param.label; });

}  // namespace
}  // namespace kcontract
