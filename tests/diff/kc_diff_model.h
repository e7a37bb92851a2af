/* Shared by the C models of tests/diff: what makes a function a kfunc and a
 * struct a struct_ops type in BTF, as a kernel built with pahole >= 1.27
 * shows them. Compiled by clang -target bpf -g -O2; only the BTF is used. */
#ifndef KC_DIFF_MODEL_H
#define KC_DIFF_MODEL_H

typedef unsigned char __u8;
typedef unsigned short __u16;
typedef unsigned int __u32;
typedef unsigned long long __u64;
typedef int __s32;
typedef long long __s64;
typedef __u8 u8;
typedef __u32 u32;
typedef __u64 u64;
typedef __s32 s32;
typedef __s64 s64;

/* A kfunc: a defined global function with the "bpf_kfunc" decl tag. */
#define KFUNC __attribute__((noinline, btf_decl_tag("bpf_kfunc")))
/* KF_* flags live in .BTF_ids, which clang cannot make: the golden test
 * reads them from these tags instead (never a kernel convention). */
#define KF(flag) __attribute__((btf_decl_tag("kc_test:" #flag)))

/* A struct_ops type: the wrapper the kernel's registration generates, with
 * the callback table as its `data`, and a variable so that it lands in BTF. */
#define STRUCT_OPS(name)                 \
	struct bpf_struct_ops_##name {   \
		int refcnt;              \
		int state;               \
		struct name data;        \
	};                               \
	struct bpf_struct_ops_##name name##_wrapper

#define LICENSE char _license[] __attribute__((section("license"))) = "GPL"

#endif
