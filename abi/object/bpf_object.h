// BpfObject: what a compiled BPF object needs from a kernel, read from its
// ELF file without loading it: programs and their attach targets, maps
// (struct_ops maps with the members they set), kfunc and ksym externs,
// kconfig externs, helper calls and CO-RE relocations.
#ifndef KCONTRACT_ABI_OBJECT_BPF_OBJECT_H_
#define KCONTRACT_ABI_OBJECT_BPF_OBJECT_H_

#include <linux/bpf.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "abi/object/object_code.h"
#include "absl/status/statusor.h"
#include "btfdiff/base/bytes.h"
#include "btfdiff/model/btf.h"

namespace kcontract {

struct BpfProgram {
  std::string name;              // the program's function symbol
  std::string section;           // "tp_btf/sched_switch", "struct_ops/init", ... (as libbpf
                                 // names it: without the "?" of an autoload-off section)
  std::string prog_type;         // libbpf's name: "tracing", "struct_ops", ...; "" if unknown
  std::string attach_type;       // libbpf's name: "trace_fentry", ...; "" if none
  std::string attach_target;     // "sched_switch", "do_unlinkat"; "" if the section names none
  std::vector<int32_t> helper_calls;      // helper ids, sorted, unique
  std::vector<std::string> kfunc_calls;   // extern kfunc names, sorted, unique
  // helper_calls and kfunc_calls include the calls of every subprogram
  // (.text function) the program calls, directly or not.
  uint64_t section_offset = 0;   // byte offset of the program in its section
  uint64_t insn_count = 0;
  bool global = true;            // libbpf 1.x refuses static (STB_LOCAL) programs
  bool autoload = true;          // false for SEC("?...")
};

struct StructOpsMemberUse {
  std::string member;   // "init"
  std::string program;  // the program that implements it
};

struct BpfMap {
  std::string name;
  std::string section;    // ".maps", ".struct_ops", ".struct_ops.link"
  uint32_t type = 0;      // BPF_MAP_TYPE_*
  std::string type_name;  // libbpf's name: "hash", "struct_ops", ...
  // For struct_ops maps: the callback table type (local BTF) and what is set.
  std::string struct_ops_type;
  TypeId struct_ops_type_id;
  std::vector<StructOpsMemberUse> struct_ops_programs;
  std::vector<std::string> struct_ops_data_members;  // non-callback members with non-zero bytes
};

enum class ExternKind { kKfunc, kKsymVar, kKconfig };

struct BpfExtern {
  std::string name;
  ExternKind kind = ExternKind::kKfunc;
  bool weak = false;
  TypeId type;             // local BTF: FUNC_PROTO (kfunc) or the variable's type
  std::string declaration; // rendered C, e.g. "struct task_struct *bpf_task_acquire(struct task_struct *p)"
};

struct CoreRelocation {
  std::string program;       // the program (function) the instruction belongs to
  std::string section;
  uint32_t insn_offset = 0;  // byte offset within the section
  uint8_t insn_code = 0;     // opcode of the relocated instruction (libbpf
                             // poisons size-changing loads/stores only)
  bpf_core_relo_kind kind = BPF_CORE_FIELD_BYTE_OFFSET;
  TypeId root;               // local BTF root type
  std::string root_name;     // "task_struct", possibly with a ___flavour suffix
  std::string access_spec;   // raw "0:1:2"
  std::string access_path;   // rendered: "task_struct->mm->def_flags"; enum: "enum x::VAL"
};

// libbpf's name of a CO-RE relocation kind: "byte_off", "field_exists", ...
std::string_view CoreRelocationKindName(bpf_core_relo_kind kind);

// "bpf_map_lookup_elem" for a helper id, from the uapi header's
// __BPF_FUNC_MAPPER of the build host; "" for an id it does not know.
std::string_view BpfHelperName(int32_t id);

// "kfunc", "ksym", "kconfig".
std::string_view ExternKindName(ExternKind kind);

class BpfObject {
 public:
  std::string path;                 // file (and offset, for embedded objects)
  std::string license;
  std::unique_ptr<Btf> btf;         // null when the object has no .BTF
  bool has_btf_ext = false;
  std::vector<BpfProgram> programs;
  std::vector<BpfMap> maps;
  std::vector<BpfExtern> externs;
  std::vector<CoreRelocation> core_relocations;
  // Experimental interfaces the object acknowledges with KCONTRACT_OPT_IN
  // (abi/opt_in_tags.h): tokens, sorted, unique.
  std::vector<std::string> opt_ins;
  std::vector<std::string> warnings;  // what could not be analysed, and why
  // The instructions and data as libbpf links them (verifier-reach analysis).
  ObjectCode code;
  std::string sha256;                 // of the object's bytes (an embedded one's own)
};

// Parses one BPF ELF object (EM_BPF) held in `bytes`; `what` names it.
absl::StatusOr<std::unique_ptr<BpfObject>> ReadBpfObject(ByteView bytes, std::string_view what);

// The byte ranges of EM_BPF ELF images embedded in `file` (libbpf
// skeletons embed the object in executables and libraries).
struct EmbeddedRange {
  uint64_t offset = 0;
  uint64_t size = 0;
};
std::vector<EmbeddedRange> FindEmbeddedBpfObjects(ByteView file);

// Every BPF object in the file at `path`: the file itself when it is one,
// else each embedded image (named "path@0xOFFSET"). Fails when none is found.
absl::StatusOr<std::vector<std::unique_ptr<BpfObject>>> ReadBpfObjects(const std::string& path);

// The same for a file's bytes already in memory; `what` names them as the
// path would.
absl::StatusOr<std::vector<std::unique_ptr<BpfObject>>> ReadBpfObjectsFromBytes(
    ByteView bytes, const std::string& what);

}  // namespace kcontract

#endif  // KCONTRACT_ABI_OBJECT_BPF_OBJECT_H_
