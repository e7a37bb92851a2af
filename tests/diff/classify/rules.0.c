/* diff_classify_test's model, old side: one kfunc, callback, struct or enum
 * per classification rule; rules.1.c is the new side, with the same names.
 * Compiled by clang -target bpf -g -O2; only the BTF is used. Not a golden
 * pair (tests/diff/<name>.0.c): the test asks for each rule directly. */
#include "../kc_diff_model.h"

struct task { int pid; };
struct file { int fd; };

/* Kfunc arguments (written by callers) and return types (read by them). */
KFUNC int kc_widened(u32 value) { return value; }
KFUNC int kc_narrowed(u64 value) { return value; }
KFUNC int kc_sign(u32 value) { return value; }
KFUNC int kc_retarget(struct task *t) { return t->pid; }
KFUNC int kc_kind(struct task *t) { return t->pid; }
KFUNC int kc_typedef_only(u32 flags) { return flags; }
KFUNC int kc_const_removed(const char *buf) { return buf[0]; }
KFUNC int kc_const_added(char *buf) { return buf[0]; }
KFUNC int kc_tagged(struct task *t) { return t->pid; }
KFUNC u32 kc_ret_widened(int x) { return x; }
KFUNC u64 kc_ret_narrowed(int x) { return x; }
KFUNC void kc_ret_void_to_value(int x) {}
KFUNC int kc_ret_value_to_void(int x) { return x; }
KFUNC struct task *kc_ret_const_added(int x) { return 0; }

/* Callbacks: arguments written by the kernel, results read by it. */
struct kc_ops {
	int (*widened)(u32 value);
	int (*narrowed)(u64 value);
	u32 (*ret_widened)(int x);
	void (*ret_void_to_value)(int x);
	int (*ret_value_to_void)(int x);
};
STRUCT_OPS(kc_ops);

/* Kernel types, read by programs through CO-RE. */
struct kc_appended { int a; };
struct kc_inserted { int a; int c; };
struct kc_removed { int a; int gone; };
struct kc_unsigned { u32 len; };
struct kc_signed { s32 delta; };
struct kc_arrays { char comm[16]; char tail[8]; };
struct kc_bits { u32 flags : 3; u32 rest : 29; };
struct kc_pointer { struct task *owner; };
enum kc_values { KC_KEPT = 1, KC_MOVED = 2, KC_GONE = 3 };

struct kc_appended kc_appended_v;
struct kc_inserted kc_inserted_v;
struct kc_removed kc_removed_v;
struct kc_unsigned kc_unsigned_v;
struct kc_signed kc_signed_v;
struct kc_arrays kc_arrays_v;
struct kc_bits kc_bits_v;
struct kc_pointer kc_pointer_v;
enum kc_values kc_values_v;

LICENSE;
