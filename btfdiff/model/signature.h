// Canonical signatures: an interface's shape rendered from BTF as lines of
// C that people read in a manifest and that are compared exactly. Names of
// parameters are part of a kfunc's signature on purpose: the verifier reads
// their suffixes (__nullable, __sz, __k, __str, __ign) as semantics.
#ifndef KCONTRACT_BTFDIFF_MODEL_SIGNATURE_H_
#define KCONTRACT_BTFDIFF_MODEL_SIGNATURE_H_

#include <string>
#include <string_view>
#include <vector>

#include "btfdiff/model/btf.h"

namespace kcontract {

// One line per element, in declaration order.
using Signature = std::vector<std::string>;

// A FUNC: {"struct task_struct *bpf_task_acquire(struct task_struct *p)"}.
Signature KfuncSignature(const Btf& btf, TypeId func);

// A struct_ops callback table: one declaration per member, in order:
// {"void (*init)(struct sock *sk)", ..., "char name[16]"}.
Signature StructOpsSignature(const Btf& btf, TypeId table);

// One member of a callback table: {"void (*init)(struct sock *sk)"}; empty
// when the table has no such member.
Signature StructOpsMemberSignature(const Btf& btf, TypeId table, std::string_view member);

// A kernel type read through CO-RE: a struct or union's member declarations
// (bitfields as "name:bits"), an enum's "NAME = value" lines, a typedef's
// target; anything else as one rendered type.
Signature KernelTypeSignature(const Btf& btf, TypeId type);

}  // namespace kcontract

#endif  // KCONTRACT_BTFDIFF_MODEL_SIGNATURE_H_
