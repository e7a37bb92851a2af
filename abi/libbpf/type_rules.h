// libbpf's type-compatibility rules, reimplemented from their documented
// semantics so that kcontract predicts exactly what libbpf accepts (the same
// in every release from 1.1 to 1.7):
//  - TypesAreCompat: kfunc/ksym externs and CO-RE type relocations
//    (__bpf_core_types_are_compat): kinds must agree after skipping
//    modifiers and typedefs; any two integers are compatible; structs,
//    unions, enums and forward declarations match by kind alone; pointers,
//    arrays and function prototypes recurse.
//  - FieldsAreCompat: the type of a CO-RE field access.
//  - TypesMatch: BPF_CORE_TYPE_MATCHES (bpf_core_type_matches()).
#ifndef KCONTRACT_ABI_LIBBPF_TYPE_RULES_H_
#define KCONTRACT_ABI_LIBBPF_TYPE_RULES_H_

#include <string>
#include <string_view>
#include <vector>

#include "btfdiff/model/btf.h"

namespace kcontract {

// libbpf's answer: 1 compatible, 0 not, -1 malformed or too deep.
enum class Compat { kYes, kNo, kError };

Compat TypesAreCompat(const Btf& local, TypeId local_id, const Btf& target, TypeId target_id);
Compat FieldsAreCompat(const Btf& local, TypeId local_id, const Btf& target, TypeId target_id);
Compat TypesMatch(const Btf& local, TypeId local_id, const Btf& target, TypeId target_id);

// One difference between two function prototypes, for people.
struct ProtoDifference {
  int argument = -1;           // 0-based; -1 for the return type, -2 for the count
  std::string argument_name;   // from the local prototype when it has names
  std::string local_type;      // rendered C
  std::string target_type;
  bool libbpf_rejects = false; // this difference alone makes libbpf refuse
  std::string why;             // why libbpf rejects it, or why it still matters
};

// Differences that matter between a local and a kernel FUNC_PROTO: those
// libbpf rejects, and those it accepts but that change meaning (an integer
// of another size or signedness, a pointer to another struct).
std::vector<ProtoDifference> DiffFuncProtos(const Btf& local, TypeId local_proto,
                                            const Btf& target, TypeId target_proto);

// How a finding says it: "argument 2 'flags' is 'u32' here but 'u64' in
// 6.1.0; libbpf rejects it: ..."; `kernel` names the kernel, `rejects`
// whether libbpf refuses because of it.
std::string DescribeProtoDifference(const ProtoDifference& d, bool rejects,
                                    std::string_view kernel);

}  // namespace kcontract

#endif  // KCONTRACT_ABI_LIBBPF_TYPE_RULES_H_
