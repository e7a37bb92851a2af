/* kfuncs.0.c as a later kernel has it. */
#include "kc_diff_model.h"

struct task { int pid; };
struct file { int fd; };
struct sock { int state; };

KFUNC int kf_unchanged(struct task *t) { return t->pid; }
KFUNC int kf_widened(u64 value) { return value; }
KFUNC int kf_narrowed(u32 value) { return value; }
KFUNC int kf_signedness(s32 serial) { return serial; }
KFUNC int kf_retarget(struct file *t) { return 0; }
KFUNC int kf_arg_count(struct sock *sk, int a, u32 b) { return a + b; }
KFUNC int kf_void_to_int(struct task *t) { return 0; }
KFUNC void kf_int_to_void(struct task *t) {}
KFUNC struct file *kf_return_retarget(int pid) { return 0; }
KFUNC u64 kf_return_widened(int x) { return x; }
KFUNC int kf_typedef_rename(__u32 flags) { return flags; }
KFUNC int kf_const_added(const struct task *t) { return 0; }
KFUNC int kf_const_removed(char *buf, int buf__sz) { return buf__sz; }
KFUNC int kf_ptr_to_int(long t) { return 0; }
KFUNC int kf_suffix_k(int flags__k) { return flags__k; }
KFUNC int kf_suffix_nullable(struct task *t__nullable) { return 0; }
KFUNC int kf_suffix_nullable_dropped(struct task *t) { return 0; }
KFUNC int kf_suffix_ign_to_prog(void *aux__prog) { return 0; }
KFUNC int kf_plain_rename(int new_name) { return new_name; }
__attribute__((btf_decl_tag("kc_test:module=kc_mod"))) KFUNC int kf_to_module(int x) { return x; }
KFUNC int kf_added(struct task *t) { return 0; }
KF(KF_ACQUIRE) KF(KF_TRUSTED_ARGS) KFUNC struct task *kf_flags_tightened(int pid) { return 0; }
KF(KF_RCU) KFUNC int kf_flags_relaxed(struct task *t) { return 0; }
KFUNC void kf_flags_release_lost(struct task *t) {}

LICENSE;
