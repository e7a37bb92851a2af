// kc_libbpf_oracle acts for a foreign kernel inside the running one: libbpf
// resolves and relocates against the foreign kernel's BTF, then asks the
// running kernel to create maps and load programs. Two of those requests
// cannot mean anything there, and would stop libbpf before stages that do:
//
// - A struct_ops map's value type id is the foreign kernel's. libbpf 1.4+
//   checks a struct_ops map against the kernel only when it creates it (and
//   loads its programs only then), so the oracle leaves creation on and the
//   map is made an array of the same value size. Nothing writes the map
//   before attachment. (Before 1.4 the oracle turns creation off instead:
//   those releases check the map either way.)
// - A program whose verification depends on the kernel's own BTF ids (the
//   oracle's "verifier" answer for it is "n/a") is refused or misjudged by
//   the running kernel. libbpf loads programs one by one and stops at the
//   first refusal, so a refusal of libbpf's own for a later program (no
//   program type, a struct_ops program no map refers to, an attach target
//   the kernel lacks) would never be seen. Such programs get a descriptor of
//   /dev/null, as if the verifier had accepted them. Except a struct_ops
//   program bound to no struct_ops type (attach_btf_id 0: libbpf 1.1.2 and
//   1.3 never bind the programs of a section they do not know): every kernel
//   refuses it, so the running kernel's refusal is the answer.
//
// Feature probes and the rest pass through unchanged: a program is stood in
// for only under one of the object's own program names.
#include "tests/oracle/foreign_stand_ins.h"

#include <dlfcn.h>
#include <fcntl.h>
#include <linux/bpf.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cstdarg>
#include <cstddef>
#include <cstring>

namespace kc_oracle {
namespace {

std::vector<std::string> g_notes;
std::vector<std::string> g_unbound;  // struct_ops programs passed on unbound
std::set<int> g_stand_in_programs;  // descriptors handed out for programs

// Whether `attr` (of `size` bytes, from libbpf) holds at least `end` bytes.
bool Covers(long size, size_t end) { return size >= 0 && static_cast<size_t>(size) >= end; }

std::string Name(const char (&name)[BPF_OBJ_NAME_LEN]) {
  return std::string(name, strnlen(name, BPF_OBJ_NAME_LEN));
}

}  // namespace

StandIns& ForeignStandIns() {
  static StandIns stand_ins;
  return stand_ins;
}

std::vector<std::string> StandInNotes() { return g_notes; }

std::vector<std::string> UnboundStructOpsPrograms() { return g_unbound; }

}  // namespace kc_oracle

using kc_oracle::ForeignStandIns;

// Interposes on libc's for libbpf, linked statically or as libbpf.so.
extern "C" long syscall(long number, ...) {
  using SyscallFn = long (*)(long, ...);
  static const SyscallFn real = reinterpret_cast<SyscallFn>(dlsym(RTLD_NEXT, "syscall"));
  va_list ap;
  va_start(ap, number);
  long a[6];
  for (long& x : a) x = va_arg(ap, long);
  va_end(ap);
  if (number != SYS_bpf || a[1] == 0) return real(number, a[0], a[1], a[2], a[3], a[4], a[5]);

  const auto* attr = reinterpret_cast<const union bpf_attr*>(a[1]);
  const kc_oracle::StandIns& want = ForeignStandIns();
  if (a[0] == BPF_MAP_CREATE && want.struct_ops_maps &&
      kc_oracle::Covers(a[2], offsetof(union bpf_attr, map_name) + BPF_OBJ_NAME_LEN) &&
      attr->map_type == BPF_MAP_TYPE_STRUCT_OPS) {
    union bpf_attr array;
    memset(&array, 0, sizeof(array));
    array.map_type = BPF_MAP_TYPE_ARRAY;
    array.key_size = 4;
    array.value_size = attr->value_size;
    array.max_entries = 1;
    memcpy(array.map_name, attr->map_name, sizeof(array.map_name));
    array.map_name[sizeof(array.map_name) - 1] = '\0';
    kc_oracle::g_notes.push_back("oracle: struct_ops map '" + kc_oracle::Name(array.map_name) +
                                 "' created as an array (the foreign kernel's types)");
    return real(SYS_bpf, static_cast<long>(BPF_MAP_CREATE), &array, sizeof(array));
  }
  if (a[0] == BPF_PROG_LOAD && !want.programs.empty() &&
      kc_oracle::Covers(a[2], offsetof(union bpf_attr, attach_btf_id) + 4) &&
      want.programs.count(kc_oracle::Name(attr->prog_name)) != 0) {
    if (attr->prog_type == BPF_PROG_TYPE_STRUCT_OPS && attr->attach_btf_id == 0) {
      kc_oracle::g_unbound.push_back(kc_oracle::Name(attr->prog_name));
      return real(number, a[0], a[1], a[2], a[3], a[4], a[5]);
    }
    int fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
    if (fd >= 0) {
      kc_oracle::g_stand_in_programs.insert(fd);
      kc_oracle::g_notes.push_back("oracle: program '" + kc_oracle::Name(attr->prog_name) +
                                   "' not loaded into the running kernel (verifier n/a)");
    }
    return fd;
  }
  if (a[0] == BPF_PROG_BIND_MAP && kc_oracle::Covers(a[2], offsetof(union bpf_attr, prog_bind_map) + 8) &&
      kc_oracle::g_stand_in_programs.count(static_cast<int>(attr->prog_bind_map.prog_fd)) != 0) {
    return 0;  // libbpf binds .rodata to each program it loaded
  }
  return real(number, a[0], a[1], a[2], a[3], a[4], a[5]);
}
