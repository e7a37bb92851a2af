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
#include <set>
#include <string>
#include <vector>

#include "abi/object/loader_settings.h"
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
  // Only on an object as the loader prepares it (a load profile,
  // abi/profile/apply_profile.h): the loader sets the attach target at run
  // time (bpf_program__set_attach_target); attach_target is then the one it
  // sets, or "" when only user space knows it (the profile's "unknown").
  bool attach_target_set_by_loader = false;
};

struct StructOpsMemberUse {
  std::string member;   // "init"
  std::string program;  // the program that implements it
};

struct BpfMap {
  std::string name;
  std::string section;    // ".maps", ".struct_ops", ".struct_ops.link", "?.struct_ops"...
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

// A variable of a read-only global-data section (.rodata, .rodata.*): the
// map libbpf makes of the section is frozen before the programs load, so the
// verifier reads its values as constants; user space may set them between
// open and load, which is what a `const volatile` variable is declared for.
struct RodataVariable {
  std::string name;
  std::string section;         // ".rodata"
  uint32_t offset = 0;         // bytes into the section
  uint32_t size = 0;
  TypeId type;                 // local BTF: the variable's type
  std::string declaration;     // rendered C: "const volatile int targ_pid"
  bool const_volatile = false;
  std::vector<uint8_t> initial;      // its bytes in the object (zeros for a NOBITS section)
  std::vector<std::string> read_by;  // programs loading its address, directly or in a
                                     // subprogram they call; sorted, unique
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
  // Built for big-endian BPF (clang -target bpfeb). Of such an object only
  // what does not depend on its byte order is read: the license, the
  // programs' names, sections and sizes (from the ELF symbols); not its BTF
  // nor its instructions, so btf is null and nothing else is filled in.
  bool big_endian = false;
  std::unique_ptr<Btf> btf;         // null when the object has no .BTF (or is big-endian)
  bool has_btf_ext = false;
  // Facts libbpf judges when it opens the object, whatever the kernel
  // (abi/libbpf/open_rules.h); the programs' own are in BpfProgram (global,
  // prog_type, attach_target).
  // A "maps" section: map definitions the pre-1.0 way (struct bpf_map_def).
  bool legacy_maps = false;
  // The sections libbpf reads through the object's BTF that it has:
  // ".maps" (BTF-defined maps), ".struct_ops" and its other forms
  // (".struct_ops.link", "?.struct_ops", "?.struct_ops.link"), which only
  // some releases read (abi/libbpf/section_rules.h).
  std::vector<std::string> btf_described_sections;
  // The extern symbols, as libbpf collects them (undefined, global or weak,
  // untyped): what the object's BTF must describe.
  std::vector<std::string> extern_symbols;
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
  std::vector<RodataVariable> rodata; // in section, then offset order
  // What the loader does before load, on an object as it prepares it; empty
  // on an object as read.
  LoaderSettings loader;
};

// A copy of `object` without the maps and the programs named, as a loader
// leaves them out (autocreate and autoload off): a program's CO-RE
// relocations go with it, its code stays (the reach analysis links only the
// programs left). nullptr when the object's BTF cannot be copied.
std::unique_ptr<BpfObject> CopyBpfObjectWithout(const BpfObject& object,
                                                const std::set<std::string>& maps,
                                                const std::set<std::string>& programs);

// Parses one BPF ELF object (EM_BPF) held in `bytes`; `what` names it.
absl::StatusOr<std::unique_ptr<BpfObject>> ReadBpfObject(ByteView bytes, std::string_view what);

// The byte ranges of EM_BPF ELF images embedded in `file` (libbpf
// skeletons embed the object in executables and libraries).
struct EmbeddedRange {
  uint64_t offset = 0;
  uint64_t size = 0;
};
std::vector<EmbeddedRange> FindEmbeddedBpfObjects(ByteView file);

// BPF objects one file may embed: a skeleton embeds one per BPF program
// set; a tool shipping dozens is rare.
inline constexpr size_t kMaxEmbeddedObjects = 256;

// Every BPF object in the file at `path`: the file itself when it is one,
// else each embedded image (named "path@0xOFFSET"). Fails when none is
// found, or more than kMaxEmbeddedObjects are.
absl::StatusOr<std::vector<std::unique_ptr<BpfObject>>> ReadBpfObjects(const std::string& path);

// The same for a file's bytes already in memory; `what` names them as the
// path would.
absl::StatusOr<std::vector<std::unique_ptr<BpfObject>>> ReadBpfObjectsFromBytes(
    ByteView bytes, const std::string& what);

}  // namespace kcontract

#endif  // KCONTRACT_ABI_OBJECT_BPF_OBJECT_H_
