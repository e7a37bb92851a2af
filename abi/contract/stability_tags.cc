#include "abi/contract/stability_tags.h"

#include <bpf/btf.h>

#include <optional>
#include <set>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/strings/str_format.h"
#include "btfdiff/base/text.h"
#include "btfdiff/inventory/struct_ops_inventory.h"
#include "btfdiff/model/type_name.h"

namespace kcontract {
namespace {

constexpr std::string_view kTagPrefix = "kcontract:";

struct TagKey {
  std::string_view name;
  std::string StabilityTag::*field;
};
constexpr TagKey kTagKeys[] = {
    {"since", &StabilityTag::since},
    {"remove", &StabilityTag::remove},
    {"use", &StabilityTag::use},
    {"optin", &StabilityTag::opt_in},
};

const TagKey* FindTagKey(std::string_view name) {
  for (const TagKey& key : kTagKeys) {
    if (key.name == name) return &key;
  }
  return nullptr;
}

absl::Status TagError(const std::string& what) { return absl::InvalidArgumentError(what); }

// A field with no '=': a known key without its value, or the tail of the
// previous value cut at a ':' (which the grammar cannot carry), or noise.
absl::Status FieldWithoutValue(std::string_view field, std::string_view previous_key,
                               std::string_view previous_value) {
  if (FindTagKey(field) != nullptr) {
    return TagError(absl::StrFormat("key '%s' has no value (expected %s=<value>)", field, field));
  }
  if (!previous_key.empty()) {
    return TagError(
        absl::StrFormat("value of '%s' contains ':' ('%s:%s'); values may not contain ':'",
                        previous_key, previous_value, field));
  }
  return TagError(absl::StrFormat("'%s' is not <key>=<value>", field));
}

}  // namespace

absl::StatusOr<StabilityTag> ParseStabilityTag(std::string_view text) {
  if (text.substr(0, kTagPrefix.size()) != kTagPrefix) {
    return absl::NotFoundError("not a kcontract stability tag");
  }
  std::vector<std::string_view> fields = SplitView(text.substr(kTagPrefix.size()), ':');
  std::string_view level_text = fields.front();
  if (level_text.empty()) {
    return TagError("no level after 'kcontract:' (expected stable, experimental, deprecated or "
                    "withdrawn)");
  }
  std::optional<Stability> level = ParseStability(level_text);
  if (!level) {
    return TagError(absl::StrFormat(
        "unknown level '%s' (expected stable, experimental, deprecated or withdrawn)", level_text));
  }
  StabilityTag tag;
  tag.level = *level;
  std::set<std::string_view> seen;
  std::string_view previous_key, previous_value;
  for (size_t i = 1; i < fields.size(); ++i) {
    std::string_view field = fields[i];
    if (field.empty()) return TagError("empty field (two ':' in a row, or a trailing ':')");
    size_t equals = field.find('=');
    if (equals == std::string_view::npos) {
      return FieldWithoutValue(field, previous_key, previous_value);
    }
    std::string_view key = field.substr(0, equals);
    std::string_view value = field.substr(equals + 1);
    if (key.empty()) return TagError(absl::StrFormat("'%s' has no key before '='", field));
    const TagKey* known = FindTagKey(key);
    if (known == nullptr) {
      return TagError(
          absl::StrFormat("unknown key '%s' (expected since, remove, use or optin)", key));
    }
    if (!seen.insert(key).second) return TagError(absl::StrFormat("key '%s' given twice", key));
    if (value.empty()) return TagError(absl::StrFormat("key '%s' has an empty value", key));
    tag.*(known->field) = std::string(value);
    previous_key = key;
    previous_value = value;
  }
  return tag;
}

namespace {

// What a tag is attached to: the interface it governs, or why it governs
// none. `description` names the target in warnings either way.
struct TagTarget {
  std::optional<InterfaceKind> kind;
  std::string name;
  std::string description;     // "kfunc bpf_foo", "VAR bar", ...
  std::string misplaced;       // why no interface, when kind is nullopt
  std::optional<std::string> module;
};

// Registered struct_ops tables, by the blob that owns them (nullopt:
// vmlinux) and their type id; a module's ids never collide with vmlinux's.
using TableSet = std::set<std::pair<std::optional<std::string>, uint32_t>>;

TableSet RegisteredTables(const KernelBtf& kernel) {
  TableSet tables;
  for (const StructOpsType& type : CollectStructOps(kernel)) {
    tables.insert({type.module, type.id.value});
  }
  return tables;
}

class TagReader {
 public:
  TagReader(const KernelBtf& kernel, std::vector<std::string>* warnings)
      : kernel_(kernel),
        label_(KernelLabel(kernel)),
        warnings_(warnings) {
    contract_.name = absl::StrFormat("btf:%s", label_);
    contract_.path = contract_.name;
    contract_.origin = ContractOrigin::kKernelBtf;
  }

  Contract Read() {
    std::vector<Tag> tags;
    if (kernel_.vmlinux) CollectTags(*kernel_.vmlinux, std::nullopt, tags);
    for (const ModuleBtf& module : kernel_.modules) CollectTags(*module.btf, module.name, tags);
    // Telling tables from other structs needs a scan for wrappers; most
    // kernels carry no stability tag at all, and pay nothing.
    if (!tags.empty()) tables_ = RegisteredTables(kernel_);
    for (const Tag& tag : tags) Apply(tag);
    return std::move(contract_);
  }

 private:
  struct Tag {
    const Btf* btf;
    std::optional<std::string> module;  // the blob the tag is in
    TypeId target;
    int component;
    std::string text;
  };

  static void CollectTags(const Btf& btf, const std::optional<std::string>& module,
                          std::vector<Tag>& out) {
    const struct btf* raw_btf = btf.libbpf();
    for (uint32_t raw = btf.first_id().value; raw < btf.end_id().value; ++raw) {
      const btf_type* t = btf__type_by_id(raw_btf, raw);
      if (t == nullptr || btf_kind(t) != BTF_KIND_DECL_TAG) continue;
      std::string_view text = btf.String(t->name_off);
      if (text.substr(0, kTagPrefix.size()) != kTagPrefix) continue;
      out.push_back({&btf, module, TypeId{t->type}, btf_decl_tag(t)->component_idx,
                     std::string(text)});
    }
  }

  // The blob a target id belongs to: a module's split BTF may tag a type of
  // vmlinux, whose ids lie below the module's own.
  static std::optional<std::string> Owner(const Tag& tag) {
    return tag.target < tag.btf->first_id() ? std::nullopt : tag.module;
  }

  TagTarget Classify(const Tag& tag) const {
    const Btf& btf = *tag.btf;
    TagTarget target;
    target.module = Owner(tag);
    uint32_t kind = btf.Kind(tag.target);
    std::string_view name = btf.Name(tag.target);
    target.description = absl::StrFormat("%s %s", KindName(kind), name.empty() ? "(anon)" : name);
    if (name.empty()) {
      target.misplaced = "an anonymous type has no name for a contract to use";
    } else if (kind == BTF_KIND_FUNC) {
      ClassifyFunction(tag, name, target);
    } else if (kind == BTF_KIND_STRUCT &&
               tables_.count({target.module, tag.target.value}) != 0) {
      ClassifyTable(tag, name, target);
    } else if (!KernelTypeInterfaceName(btf, tag.target).empty()) {
      ClassifyKernelType(tag, target);
    } else {
      target.misplaced =
          "stability tags go on a kfunc, a struct_ops table or one of its members, or a named "
          "struct, union, enum or typedef";
    }
    if (target.kind) {
      target.description = absl::StrFormat("%s %s", InterfaceKindName(*target.kind), target.name);
    }
    if (target.module) absl::StrAppendFormat(&target.description, " (module %s)", *target.module);
    return target;
  }

  static void ClassifyFunction(const Tag& tag, std::string_view name, TagTarget& target) {
    if (tag.component >= 0) {
      target.misplaced = absl::StrFormat(
          "the tag is on parameter %d; a kfunc's stability tag goes on the function",
          int64_t{tag.component} + 1);
      return;
    }
    target.kind = InterfaceKind::kKfunc;
    target.name = std::string(name);
  }

  static void ClassifyTable(const Tag& tag, std::string_view name, TagTarget& target) {
    if (tag.component < 0) {
      target.kind = InterfaceKind::kStructOps;
      target.name = std::string(name);
      return;
    }
    const btf_type* table = tag.btf->Type(tag.target);
    if (tag.component >= btf_vlen(table)) {
      target.misplaced = absl::StrFormat("member %d does not exist (struct %s has %d members)",
                                         tag.component, name, btf_vlen(table));
      return;
    }
    target.kind = InterfaceKind::kStructOpsMember;
    target.name = absl::StrFormat("%s.%s", name,
                                  tag.btf->String(btf_members(table)[tag.component].name_off));
  }

  static void ClassifyKernelType(const Tag& tag, TagTarget& target) {
    std::string name = KernelTypeInterfaceName(*tag.btf, tag.target);
    if (tag.component >= 0) {
      target.misplaced = absl::StrFormat(
          "the tag is on a member of %s, which is no registered struct_ops table (no struct "
          "bpf_struct_ops_<name> wraps it); members of other types carry no stability",
          name);
      return;
    }
    target.kind = InterfaceKind::kKernelType;
    target.name = std::move(name);
  }

  void Apply(const Tag& tag) {
    TagTarget target = Classify(tag);
    if (!target.kind) return Warn(tag, target, target.misplaced);
    absl::StatusOr<StabilityTag> parsed = ParseStabilityTag(tag.text);
    if (!parsed.ok()) return Warn(tag, target, std::string(parsed.status().message()));
    Interface interface = MakeInterface(*parsed, target);
    auto [it, inserted] = recorded_.try_emplace({interface.kind, interface.name},
                                                Recorded{contract_.interfaces.size(), tag.text});
    if (inserted) {
      contract_.interfaces.push_back(std::move(interface));
      return;
    }
    // Two tags on one interface: identical ones are one statement; different
    // ones contradict each other, and the stricter is kept, as between two
    // entries of one origin in a ContractSet.
    Recorded& first = it->second;
    if (first.text == tag.text) return;
    Warn(tag, target,
         absl::StrFormat("contradicts the tag '%s' on the same interface; the stricter one is kept",
                         first.text));
    Interface& kept = contract_.interfaces[first.index];
    if (*interface.stability > *kept.stability) {
      kept = std::move(interface);
      first.text = tag.text;
    }
  }

  Interface MakeInterface(const StabilityTag& parsed, const TagTarget& target) const {
    Interface interface;
    interface.name = target.name;
    interface.kind = *target.kind;
    interface.stability = parsed.level;
    interface.opt_in = parsed.opt_in;
    interface.since = parsed.since;
    interface.remove = parsed.remove;
    interface.replacement = parsed.use;
    interface.module = target.module.value_or("");
    interface.location = SourceLocation{contract_.path, 0, 0};
    interface.contract = contract_.name;
    return interface;
  }

  void Warn(const Tag& tag, const TagTarget& target, const std::string& what) {
    if (warnings_ == nullptr) return;
    warnings_->push_back(absl::StrFormat("%s: BTF decl tag '%s' on %s: %s", label_, tag.text,
                                         target.description, what));
  }

  const KernelBtf& kernel_;
  std::string label_;
  std::vector<std::string>* warnings_;
  Contract contract_;
  TableSet tables_;
  // The interface each tag made, and the text that made it.
  struct Recorded {
    size_t index;  // into contract_.interfaces
    std::string text;
  };
  absl::flat_hash_map<std::pair<InterfaceKind, std::string>, Recorded> recorded_;
};

}  // namespace

Contract ReadStabilityTags(const KernelBtf& kernel, std::vector<std::string>* warnings) {
  return TagReader(kernel, warnings).Read();
}

}  // namespace kcontract
