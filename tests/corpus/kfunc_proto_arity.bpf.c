/* kfunc_proto_arity: bpf_task_acquire declared with one parameter too many
 * (as an object built against a kernel where a kfunc gained or lost an
 * argument, like bbr_main between 6.1 and 6.10: that one lives in a module
 * on Debian, so this object makes the change on a vmlinux kfunc). libbpf
 * compares parameter counts: "func_proto incompatible" where the kfunc
 * exists, "not found" on 6.1.
 *
 * Expect: 6.1=extern_failed 6.12=extern_failed 6.18=extern_failed running=extern_failed
 * Expect-load: running=extern_failed
 */
#include "kc_corpus.h"

struct task_struct {
	int pid;
} __attribute__((preserve_access_index));

extern struct task_struct *bpf_task_acquire(struct task_struct *p, u64 flags) __ksym;
extern void bpf_task_release(struct task_struct *p) __ksym;

SEC("tp_btf/sched_switch")
int BPF_PROG(proto_arity, bool preempt, struct task_struct *prev, struct task_struct *next)
{
	struct task_struct *t = bpf_task_acquire(prev, 0);

	if (t)
		bpf_task_release(t);
	return 0;
}

KC_LICENSE;
