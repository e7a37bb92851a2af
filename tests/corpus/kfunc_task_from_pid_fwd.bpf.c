/* kfunc_task_from_pid_fwd: the forward-declaration trap. The object only
 * declares 'struct task_struct;' (no body), so its BTF has a FWD where the
 * kernel has a STRUCT, and libbpf 1.1.2 rejects the prototype ("func_proto
 * [N] incompatible with kernel [M]") on every kernel that has the kfunc;
 * 6.1 has no bpf_task_from_pid at all ("not found").
 *
 * Expect: 6.1=extern_failed 6.12=extern_failed 6.18=extern_failed running=extern_failed
 * Expect-load: running=extern_failed
 */
#include "kc_corpus.h"

struct task_struct;

extern struct task_struct *bpf_task_from_pid(s32 pid) __ksym;
extern void bpf_task_release(struct task_struct *p) __ksym;

SEC("syscall")
int task_from_pid_fwd(void *ctx)
{
	struct task_struct *t = bpf_task_from_pid(1);

	if (t)
		bpf_task_release(t);
	return 0;
}

KC_LICENSE;
