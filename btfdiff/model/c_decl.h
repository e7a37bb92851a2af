// Renders BTF types as C, the way a person reads a kernel header: typedef
// names kept (u64, not unsigned long long), pointers and function pointers
// with correct declarator syntax, anonymous aggregates as "struct {...}".
#ifndef KCONTRACT_BTFDIFF_MODEL_C_DECL_H_
#define KCONTRACT_BTFDIFF_MODEL_C_DECL_H_

#include <string>
#include <string_view>

#include "btfdiff/model/btf.h"

namespace kcontract {

// "struct task_struct *", "const char *", "int (*)(void *)".
std::string CTypeName(const Btf& btf, TypeId id);

// A declaration of `name` with type `id`: "int (*init)(struct sock *sk)".
std::string CDeclaration(const Btf& btf, TypeId id, std::string_view name);

// A FUNC as a prototype: "struct task_struct *bpf_task_acquire(struct task_struct *p)".
std::string CFunctionDeclaration(const Btf& btf, TypeId func_id);

}  // namespace kcontract

#endif  // KCONTRACT_BTFDIFF_MODEL_C_DECL_H_
