#include "abi/report/inventory_report.h"

#include <nlohmann/json.hpp>

#include "abi/report/json_envelope.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "btfdiff/base/text.h"
#include "btfdiff/snapshot/snapshot.h"

namespace kcontract {
namespace {

using nlohmann::ordered_json;

ordered_json OptionalString(const std::optional<std::string>& value) {
  return value ? ordered_json(*value) : ordered_json(nullptr);
}

ordered_json KfuncJson(const Kfunc& kfunc) {
  ordered_json j;
  j["name"] = kfunc.name;
  j["proto"] = kfunc.proto;
  j["flags"] = kfunc.flag_names;
  j["flags_raw"] = kfunc.flags ? ordered_json(*kfunc.flags) : ordered_json(nullptr);
  j["module"] = OptionalString(kfunc.module);
  j["found_by"] = KfuncMethodNames(kfunc.methods);
  j["btf_id"] = kfunc.id.value;
  if (!kfunc.sets.empty()) j["sets"] = kfunc.sets;
  return j;
}

std::string KfuncLine(const Kfunc& kfunc) {
  std::vector<std::string> notes;
  notes.push_back(kfunc.module.value_or("vmlinux"));
  if (!kfunc.flag_names.empty()) notes.push_back(Join(kfunc.flag_names, "|"));
  if (kfunc.unknown_flag_bits != 0) {
    notes.push_back(absl::StrFormat("unknown flags 0x%x", kfunc.unknown_flag_bits));
  }
  notes.push_back(Join(KfuncMethodNames(kfunc.methods), "+"));
  return absl::StrCat(kfunc.proto, ";  /* ", Join(notes, ", "), " */\n");
}

ordered_json StructOpsJson(const StructOpsType& type) {
  ordered_json j;
  j["name"] = type.name;
  j["module"] = OptionalString(type.module);
  j["btf_id"] = type.id.value;
  ordered_json members = ordered_json::array();
  for (const StructOpsMember& member : type.members) {
    members.push_back({{"name", member.name},
                       {"declaration", member.declaration},
                       {"callback", member.is_callback}});
  }
  j["members"] = std::move(members);
  return j;
}

size_t CountModuleKfuncs(const KfuncSet& kfuncs) {
  size_t count = 0;
  for (const Kfunc& kfunc : kfuncs.kfuncs) count += kfunc.module.has_value();
  return count;
}

// Why a method found nothing, in words a distro maintainer can act on.
std::vector<std::string> MethodNotes(const KernelInventory& inventory) {
  std::vector<std::string> notes;
  const KernelBtf& kernel = *inventory.kernel;
  uint8_t used = inventory.kfuncs.methods_used;
  if (!(used & static_cast<uint8_t>(KfuncMethod::kDeclTag))) {
    notes.push_back("no bpf_kfunc decl tags (BTF from pahole < 1.27)");
  }
  bool any_btf_ids = kernel.vmlinux_btf_ids.has_value();
  for (const ModuleBtf& module : kernel.modules) any_btf_ids |= module.btf_ids.has_value();
  if (!any_btf_ids) notes.push_back("no .BTF_ids (no ELF image): KF_* flags unknown");
  return notes;
}

ordered_json OriginJson(const KernelOrigin& origin) {
  return {{"kind", std::string(SourceKindName(origin.kind))},
          {"name", origin.name},
          {"sha256", origin.sha256}};
}

std::string OriginText(const KernelOrigin& origin) {
  return absl::StrFormat("%s (%s, sha256 %s)", origin.name, SourceKindName(origin.kind),
                         origin.sha256);
}

}  // namespace

std::string RenderKernelShow(const KernelInventory& inventory, OutputFormat format) {
  const KernelBtf& kernel = *inventory.kernel;
  std::vector<std::string> methods = KfuncMethodNames(inventory.kfuncs.methods_used);
  size_t module_kfuncs = CountModuleKfuncs(inventory.kfuncs);
  uint64_t vmlinux_types = kernel.vmlinux ? kernel.vmlinux->own_type_count() : 0;
  if (format == OutputFormat::kJson) {
    ordered_json j = JsonEnvelope(kInventoryJsonVersion);
    j["source"] = kernel.source;
    j["source_kind"] = std::string(SourceKindName(kernel.kind));
    if (kernel.origin) j["made_from"] = OriginJson(*kernel.origin);
    if (kernel.module_search) j["modules_searched"] = kernel.module_search->names;
    j["release"] = kernel.release.empty() ? ordered_json(nullptr) : ordered_json(kernel.release);
    j["types"] = kernel.TypeCount();
    j["vmlinux_types"] = vmlinux_types;
    ordered_json modules = ordered_json::array();
    for (const ModuleBtf& module : kernel.modules) {
      modules.push_back({{"name", module.name},
                         {"types", module.btf->own_type_count()},
                         {"btf_ids", module.btf_ids.has_value()}});
    }
    j["modules"] = std::move(modules);
    j["kfuncs"] = inventory.kfuncs.kfuncs.size();
    // Why the kfuncs cannot be known at all in this source (old pahole, no
    // .BTF_ids), or null.
    std::string unknowable = KfuncsUnknowable(kernel, inventory.kfuncs);
    j["kfuncs_unknowable"] = unknowable.empty() ? ordered_json(nullptr) : ordered_json(unknowable);
    j["module_kfuncs"] = module_kfuncs;
    j["struct_ops"] = inventory.struct_ops.size();
    j["methods"] = methods;
    j["config"] = kernel.config.has_value();
    j["warnings"] = kernel.warnings;
    return DumpJson(j);
  }
  std::string out;
  absl::StrAppendFormat(&out, "source:      %s (%s)\n", kernel.source, SourceKindName(kernel.kind));
  if (kernel.origin) absl::StrAppendFormat(&out, "made from:   %s\n", OriginText(*kernel.origin));
  absl::StrAppendFormat(&out, "release:     %s\n",
                        kernel.release.empty() ? "unknown" : kernel.release);
  absl::StrAppendFormat(&out, "types:       %d (vmlinux %d, %d modules)\n", kernel.TypeCount(),
                        vmlinux_types, kernel.modules.size());
  if (kernel.module_search) {
    absl::StrAppendFormat(&out, "searched:    %s\n", ModuleSearchText(*kernel.module_search));
  }
  absl::StrAppendFormat(&out, "kfuncs:      %d (%d in modules)%s\n",
                        inventory.kfuncs.kfuncs.size(), module_kfuncs,
                        KfuncsUnknowable(kernel, inventory.kfuncs).empty()
                            ? ""
                            : ": none can be found in this source (see methods)");
  absl::StrAppendFormat(&out, "struct_ops:  %d\n", inventory.struct_ops.size());
  std::string method_text = methods.empty() ? "none" : Join(methods, ", ");
  std::vector<std::string> notes = MethodNotes(inventory);
  if (!notes.empty()) absl::StrAppend(&method_text, " (", Join(notes, "; "), ")");
  absl::StrAppendFormat(&out, "methods:     %s\n", method_text);
  absl::StrAppendFormat(&out, "config:      %s\n",
                        kernel.config ? absl::StrFormat("%d options", kernel.config->size())
                                      : std::string("none"));
  return out;
}

std::string RenderKfuncs(const KfuncSet& kfuncs, OutputFormat format) {
  if (format == OutputFormat::kJson) {
    ordered_json list = ordered_json::array();
    for (const Kfunc& kfunc : kfuncs.kfuncs) list.push_back(KfuncJson(kfunc));
    ordered_json j = JsonEnvelope(kInventoryJsonVersion);
    j["kfuncs"] = std::move(list);
    return DumpJson(j);
  }
  std::string out;
  for (const Kfunc& kfunc : kfuncs.kfuncs) out += KfuncLine(kfunc);
  return out;
}

std::string RenderStructOps(const std::vector<StructOpsType>& types, OutputFormat format) {
  if (format == OutputFormat::kJson) {
    ordered_json list = ordered_json::array();
    for (const StructOpsType& type : types) list.push_back(StructOpsJson(type));
    ordered_json j = JsonEnvelope(kInventoryJsonVersion);
    j["struct_ops"] = std::move(list);
    return DumpJson(j);
  }
  std::string out;
  for (const StructOpsType& type : types) {
    absl::StrAppendFormat(&out, "struct %s {  /* %s */\n", type.name,
                          type.module.value_or("vmlinux"));
    for (const StructOpsMember& member : type.members) {
      absl::StrAppendFormat(&out, "\t%s;\n", member.declaration);
    }
    out += "};\n";
  }
  return out;
}

std::string RenderSnapshotWritten(const KernelBtf& kernel, const KernelOrigin& origin,
                                  const std::string& path, uint64_t size,
                                  uint32_t format_version, OutputFormat format) {
  uint64_t btf_bytes = kernel.vmlinux ? kernel.vmlinux->RawData().size() : 0;
  for (const ModuleBtf& module : kernel.modules) btf_bytes += module.btf->RawData().size();
  if (format == OutputFormat::kJson) {
    ordered_json j = JsonEnvelope(kInventoryJsonVersion);
    j["snapshot"] = path;
    j["snapshot_format_version"] = format_version;
    j["release"] = kernel.release.empty() ? ordered_json(nullptr) : ordered_json(kernel.release);
    j["made_from"] = OriginJson(origin);
    j["modules"] = kernel.modules.size();
    j["bytes"] = size;
    j["btf_bytes"] = btf_bytes;
    return DumpJson(j);
  }
  return absl::StrFormat("%s: %s from %s: %d modules, %d bytes (BTF %d bytes)\n", path,
                         kernel.release.empty() ? "kernel" : kernel.release, OriginText(origin),
                         kernel.modules.size(), size, btf_bytes);
}

}  // namespace kcontract
