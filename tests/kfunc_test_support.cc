#include "tests/kfunc_test_support.h"

#include <algorithm>
#include <cctype>
#include <iterator>
#include <memory>

namespace kcontract::testing {
namespace {

namespace fs = std::filesystem;

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

}  // namespace

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

const BtfDump* BpftoolDump(const fs::path& file, const fs::path& base, std::string* error) {
  static std::map<std::string, std::unique_ptr<BtfDump>> cache;
  const std::string key = file.string() + "|" + base.string();
  if (auto it = cache.find(key); it != cache.end()) return it->second.get();
  std::string command = BpftoolDumpCommand(file, base);
  std::string text;
  if (!RunToText(command, &text, error)) return nullptr;
  auto dump = std::make_unique<BtfDump>(ParseBpftoolDump(text));
  return (cache[key] = std::move(dump)).get();
}
std::vector<const Kfunc*> LoadedKernel::ModuleKfuncs(
    const std::optional<std::string>& module) const {
  std::vector<const Kfunc*> out;
  for (const Kfunc& kfunc : kfuncs.kfuncs) {
    if (kfunc.module == module) out.push_back(&kfunc);
  }
  return out;
}

const LoadedKernel* LoadKfuncs(const std::string& source, std::string* error) {
  static std::map<std::string, std::unique_ptr<LoadedKernel>> cache;
  if (auto it = cache.find(source); it != cache.end()) return it->second.get();
  const CachedKernel* cached = LoadKernelOnce(source, error);
  if (cached == nullptr) return nullptr;
  auto loaded = std::make_unique<LoadedKernel>();
  loaded->kernel = cached->kernel.get();
  loaded->vmlinux_btf = cached->vmlinux_btf;
  loaded->kfuncs = CollectKfuncs(*loaded->kernel);
  return (cache[source] = std::move(loaded)).get();
}

bool HaveBpftool() {
  static const bool have = HaveTool("bpftool");
  return have;
}

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
}  // namespace kcontract::testing
