#include "abi/object/core_relocations.h"

#include <linux/bpf.h>

#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "absl/strings/str_format.h"
#include "btfdiff/base/status_macros.h"
#include "btfdiff/base/text.h"
#include "btfdiff/model/c_decl.h"

namespace kcontract {
namespace {

constexpr uint32_t kMaxCoreReloKind = BPF_CORE_TYPE_MATCHES;

absl::StatusOr<std::vector<uint32_t>> ParseAccessSpec(std::string_view spec) {
  std::vector<uint32_t> indexes;
  for (std::string_view piece : SplitView(spec, ':')) {
    if (piece.empty() || piece.size() > 10) {
      return absl::InvalidArgumentError("not a list of indexes");
    }
    uint64_t value = 0;
    for (char c : piece) {
      if (c < '0' || c > '9') return absl::InvalidArgumentError("not a list of indexes");
      value = value * 10 + static_cast<uint64_t>(c - '0');
    }
    if (value > UINT32_MAX) return absl::InvalidArgumentError("index out of range");
    indexes.push_back(static_cast<uint32_t>(value));
  }
  if (indexes.size() > 64) return absl::InvalidArgumentError("more than 64 indexes");
  return indexes;
}

// "task_struct->mm", "sk_buff->cb[2]", "task_struct[1]->pid": the root
// type's name, an array index on the root when not 0, then the members
// (anonymous ones skipped) and array elements the spec walks through.
absl::StatusOr<std::string> RenderFieldPath(const Btf& btf, const CoreRelocation& relo,
                                            const std::vector<uint32_t>& spec) {
  std::string path = relo.root_name.empty() ? "(anon)" : relo.root_name;
  if (spec[0] != 0) path += absl::StrFormat("[%d]", spec[0]);
  std::string_view separator = "->";
  TypeId current = btf.SkipModsAndTypedefs(relo.root);
  for (size_t i = 1; i < spec.size(); ++i) {
    const btf_type* t = btf.Type(current);
    if (t == nullptr) return absl::InvalidArgumentError("invalid type");
    if (btf_is_composite(t)) {
      if (spec[i] >= btf_vlen(t)) {
        return absl::InvalidArgumentError(absl::StrFormat(
            "member index %d out of range for %s (%d members)", spec[i],
            CTypeName(btf, current), btf_vlen(t)));
      }
      const btf_member& member = btf_members(t)[spec[i]];
      std::string_view name = btf.String(member.name_off);
      if (!name.empty()) {
        path += absl::StrFormat("%s%s", separator, name);
        separator = ".";
      }
      current = btf.SkipModsAndTypedefs(TypeId{member.type});
    } else if (btf_is_array(t)) {
      path += absl::StrFormat("[%d]", spec[i]);
      current = btf.SkipModsAndTypedefs(TypeId{btf_array(t)->type});
    } else {
      return absl::InvalidArgumentError(absl::StrFormat(
          "index %d applied to %s, which is neither a struct, a union nor an array", spec[i],
          CTypeName(btf, current)));
    }
  }
  return path;
}

absl::StatusOr<std::string> RenderAccessPath(const Btf& btf, const CoreRelocation& relo) {
  KC_ASSIGN_OR_RETURN(std::vector<uint32_t> spec, ParseAccessSpec(relo.access_spec));
  switch (relo.kind) {
    case BPF_CORE_TYPE_ID_LOCAL:
    case BPF_CORE_TYPE_ID_TARGET:
    case BPF_CORE_TYPE_EXISTS:
    case BPF_CORE_TYPE_SIZE:
    case BPF_CORE_TYPE_MATCHES:
      return CTypeName(btf, relo.root);
    case BPF_CORE_ENUMVAL_EXISTS:
    case BPF_CORE_ENUMVAL_VALUE: {
      const btf_type* t = btf.Type(btf.SkipModsAndTypedefs(relo.root));
      if (t == nullptr || !(btf_is_enum(t) || btf_is_enum64(t))) {
        return absl::InvalidArgumentError("root type is not an enum");
      }
      if (spec.size() != 1 || spec[0] >= btf_vlen(t)) {
        return absl::InvalidArgumentError(
            absl::StrFormat("enumerator index out of range (%d values)", btf_vlen(t)));
      }
      uint32_t name_off = btf_is_enum(t) ? btf_enum(t)[spec[0]].name_off
                                         : btf_enum64(t)[spec[0]].name_off;
      return absl::StrFormat("%s::%s", CTypeName(btf, relo.root), btf.String(name_off));
    }
    case BPF_CORE_FIELD_BYTE_OFFSET:
    case BPF_CORE_FIELD_BYTE_SIZE:
    case BPF_CORE_FIELD_EXISTS:
    case BPF_CORE_FIELD_SIGNED:
    case BPF_CORE_FIELD_LSHIFT_U64:
    case BPF_CORE_FIELD_RSHIFT_U64:
      return RenderFieldPath(btf, relo, spec);
  }
  return relo.access_spec;  // not reached: kinds are checked before
}

}  // namespace

absl::Status CollectCoreRelocations(const ObjectElf& elf, const FunctionTable& functions,
                                    const BtfExt& btf_ext, BpfObject* object) {
  const Btf& btf = *object->btf;
  for (const auto& block : btf_ext.core_relos) {
    const ElfSection* section = elf.Find(block.section);
    if (section == nullptr || !IsCodeSection(*section)) {
      return MalformedObject(object->path,
                             absl::StrFormat(".BTF.ext has CO-RE relocations for section %s, "
                                             "which is not a code section of the object",
                                             PrintableName(block.section)));
    }
    for (const BtfExtCoreRelo& record : block.records) {
      if (record.insn_off % kInsnSize != 0 || record.insn_off >= section->size) {
        return MalformedObject(object->path, absl::StrFormat(
            ".BTF.ext CO-RE relocation at offset %d lies outside section %s (%d bytes)",
            record.insn_off, PrintableName(block.section), section->size));
      }
      // libbpf fails the load on a kind it does not know; so do we, and
      // never hold an out-of-range value in the enum.
      if (record.kind > kMaxCoreReloKind) {
        return MalformedObject(object->path, absl::StrFormat(
            ".BTF.ext CO-RE relocation in %s at offset %d has unknown kind %d",
            PrintableName(block.section), record.insn_off, record.kind));
      }
      CoreRelocation relo;
      relo.section = block.section;
      relo.insn_offset = record.insn_off;
      if (record.insn_off < section->data.size()) relo.insn_code = section->data[record.insn_off];
      relo.kind = static_cast<bpf_core_relo_kind>(record.kind);
      relo.root = record.type;
      relo.root_name = std::string(btf.Name(record.type));
      relo.access_spec = record.access;
      relo.program = functions.NameAt(elf, section->index, record.insn_off).value_or("");
      absl::StatusOr<std::string> path = RenderAccessPath(btf, relo);
      if (!path.ok()) {
        return MalformedObject(object->path, absl::StrFormat(
            ".BTF.ext CO-RE relocation in %s at offset %d (%s of %s, access \"%s\"): %s",
            PrintableName(block.section), record.insn_off, CoreRelocationKindName(relo.kind),
            PrintableName(CTypeName(btf, relo.root)), PrintableName(relo.access_spec),
            PrintableName(std::string(path.status().message()))));
      }
      relo.access_path = std::move(*path);
      object->core_relocations.push_back(std::move(relo));
    }
  }
  return absl::OkStatus();
}

std::string_view CoreRelocationKindName(bpf_core_relo_kind kind) {
  switch (static_cast<std::underlying_type_t<bpf_core_relo_kind>>(kind)) {
    case BPF_CORE_FIELD_BYTE_OFFSET: return "byte_off";
    case BPF_CORE_FIELD_BYTE_SIZE: return "byte_sz";
    case BPF_CORE_FIELD_EXISTS: return "field_exists";
    case BPF_CORE_FIELD_SIGNED: return "signed";
    case BPF_CORE_FIELD_LSHIFT_U64: return "lshift_u64";
    case BPF_CORE_FIELD_RSHIFT_U64: return "rshift_u64";
    case BPF_CORE_TYPE_ID_LOCAL: return "local_type_id";
    case BPF_CORE_TYPE_ID_TARGET: return "target_type_id";
    case BPF_CORE_TYPE_EXISTS: return "type_exists";
    case BPF_CORE_TYPE_MATCHES: return "type_matches";
    case BPF_CORE_TYPE_SIZE: return "type_size";
    case BPF_CORE_ENUMVAL_EXISTS: return "enumval_exists";
    case BPF_CORE_ENUMVAL_VALUE: return "enumval_value";
  }
  return "unknown";
}

}  // namespace kcontract
