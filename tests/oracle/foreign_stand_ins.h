// What kc_libbpf_oracle puts in the running kernel in place of what only the
// foreign kernel it acts for could take: it interposes on libc's syscall(),
// through which libbpf makes every bpf() call, while libbpf loads an object
// relocated for that kernel. See foreign_stand_ins.cc.
#ifndef KCONTRACT_TESTS_ORACLE_FOREIGN_STAND_INS_H_
#define KCONTRACT_TESTS_ORACLE_FOREIGN_STAND_INS_H_

#include <set>
#include <string>
#include <vector>

namespace kc_oracle {

struct StandIns {
  // BPF_MAP_CREATE of a struct_ops map makes an array of its value size.
  bool struct_ops_maps = false;
  // BPF_PROG_LOAD of a program of these names (as libbpf passes them: at
  // most 15 characters) returns a descriptor of /dev/null.
  std::set<std::string> programs;
};

// Set before bpf_object__load; nothing is stood in for until then.
StandIns& ForeignStandIns();

// One line per stand-in made, for the oracle's "detail".
std::vector<std::string> StandInNotes();

// The struct_ops programs among StandIns::programs that libbpf asked to load
// bound to no struct_ops type: handed to the running kernel, which refuses
// them as any kernel does.
std::vector<std::string> UnboundStructOpsPrograms();

}  // namespace kc_oracle

#endif  // KCONTRACT_TESTS_ORACLE_FOREIGN_STAND_INS_H_
