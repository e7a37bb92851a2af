/* Kfunc changes, seen by callers: prototypes argument by argument, return
 * types, argument counts, name suffixes the verifier reads, KF_* flags,
 * kfuncs added, removed and moved to a module. */
#include "kc_diff_model.h"

struct task { int pid; };
struct file { int fd; };
struct sock { int state; };

KFUNC int kf_unchanged(struct task *t) { return t->pid; }
KFUNC int kf_removed(int x) { return x; }
KFUNC int kf_widened(u32 value) { return value; }
KFUNC int kf_narrowed(u64 value) { return value; }
KFUNC int kf_signedness(u32 serial) { return serial; }
KFUNC int kf_retarget(struct task *t) { return 0; }
KFUNC int kf_arg_count(struct sock *sk, int a) { return a; }
KFUNC void kf_void_to_int(struct task *t) {}
KFUNC int kf_int_to_void(struct task *t) { return 1; }
KFUNC struct task *kf_return_retarget(int pid) { return 0; }
KFUNC u32 kf_return_widened(int x) { return x; }
KFUNC int kf_typedef_rename(u32 flags) { return flags; }
KFUNC int kf_const_added(struct task *t) { return 0; }
KFUNC int kf_const_removed(const char *buf, int buf__sz) { return buf__sz; }
KFUNC int kf_ptr_to_int(struct task *t) { return 0; }
KFUNC int kf_suffix_k(int flags) { return flags; }
KFUNC int kf_suffix_nullable(struct task *t) { return 0; }
KFUNC int kf_suffix_nullable_dropped(struct task *t__nullable) { return 0; }
KFUNC int kf_suffix_ign_to_prog(void *aux__ign) { return 0; }
KFUNC int kf_plain_rename(int old_name) { return old_name; }
KFUNC int kf_to_module(int x) { return x; }
KF(KF_ACQUIRE) KF(KF_RET_NULL) KFUNC struct task *kf_flags_tightened(int pid) { return 0; }
KF(KF_SLEEPABLE) KF(KF_TRUSTED_ARGS) KFUNC int kf_flags_relaxed(struct task *t) { return 0; }
KF(KF_RELEASE) KFUNC void kf_flags_release_lost(struct task *t) {}

LICENSE;
