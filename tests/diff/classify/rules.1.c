/* diff_classify_test's model, new side: see rules.0.c. */
#include "../kc_diff_model.h"

struct task { int pid; };
struct file { int fd; };

KFUNC int kc_widened(u64 value) { return value; }
KFUNC int kc_narrowed(u32 value) { return value; }
KFUNC int kc_sign(s32 value) { return value; }
KFUNC int kc_retarget(struct file *f) { return f->fd; }
KFUNC int kc_kind(u64 t) { return t; }
KFUNC int kc_typedef_only(__u32 flags) { return flags; }
KFUNC int kc_const_removed(char *buf) { return buf[0]; }
KFUNC int kc_const_added(const char *buf) { return buf[0]; }
KFUNC int kc_tagged(struct task __attribute__((btf_type_tag("rcu"))) *t) { return t->pid; }
KFUNC u64 kc_ret_widened(int x) { return x; }
KFUNC u32 kc_ret_narrowed(int x) { return x; }
KFUNC int kc_ret_void_to_value(int x) { return x; }
KFUNC void kc_ret_value_to_void(int x) {}
KFUNC const struct task *kc_ret_const_added(int x) { return 0; }

struct kc_ops {
	int (*widened)(u64 value);
	int (*narrowed)(u32 value);
	u64 (*ret_widened)(int x);
	int (*ret_void_to_value)(int x);
	void (*ret_value_to_void)(int x);
};
STRUCT_OPS(kc_ops);

struct kc_appended { int a; int b; };
struct kc_inserted { int a; int b; int c; };
struct kc_removed { int a; };
struct kc_unsigned { u64 len; };
struct kc_signed { s64 delta; };
struct kc_arrays { char comm[32]; char tail[4]; };
struct kc_bits { u32 flags : 5; u32 rest : 27; };
struct kc_pointer { struct file *owner; };
enum kc_values { KC_KEPT = 1, KC_MOVED = 5, KC_ADDED = 6 };

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
