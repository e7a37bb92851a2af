// The struct_ops types a kernel registers: each registration generates a
// `struct bpf_struct_ops_<name>` wrapper whose `data` member is the callback
// table, so the wrappers in BTF are the list of what BPF can implement.
#ifndef KCONTRACT_BTFDIFF_INVENTORY_STRUCT_OPS_INVENTORY_H_
#define KCONTRACT_BTFDIFF_INVENTORY_STRUCT_OPS_INVENTORY_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "btfdiff/model/btf.h"
#include "btfdiff/model/kernel_btf.h"

namespace kcontract {

struct StructOpsMember {
  std::string name;
  TypeId type;
  std::string declaration;  // "void (*init)(struct sock *sk)"
  bool is_callback = false; // a function pointer a BPF program may implement
  uint32_t bit_offset = 0;
};

struct StructOpsType {
  std::string name;  // "tcp_congestion_ops"
  TypeId id;         // the callback table struct
  TypeId wrapper;    // struct bpf_struct_ops_<name>
  std::optional<std::string> module;
  std::vector<StructOpsMember> members;
};

// Sorted by (module, name).
std::vector<StructOpsType> CollectStructOps(const KernelBtf& kernel);

// The struct_ops type's members as found in one BTF blob (for tests and for
// C models compiled by clang, which carry no wrapper).
StructOpsType DescribeStructOps(const Btf& btf, TypeId table);

}  // namespace kcontract

#endif  // KCONTRACT_BTFDIFF_INVENTORY_STRUCT_OPS_INVENTORY_H_
