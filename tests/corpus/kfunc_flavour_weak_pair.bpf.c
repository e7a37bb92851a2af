/* kfunc_flavour_weak_pair: one kfunc under two prototypes, the way sched_ext's
 * compat headers carry a kfunc across a signature change: weak
 * bpf_task_from_pid___new(s32, u64) (a prototype no kernel has, standing for
 * a future one) and weak bpf_task_from_pid___old(s32) (the real one), the
 * call chosen by whether each resolved (KC_KSYM_EXISTS, bpf_ksym_exists).
 * libbpf 1.3+ strips the flavours: ___old resolves where the kernel has
 * bpf_task_from_pid (6.2+); ___new is incompatible and, being weak, left
 * unresolved. 1.1.2 resolves neither (no kernel has the suffixed names),
 * so both tests are false and the calls are dead code.
 *
 * Expect: 6.1=passed_relocation 6.12=passed_relocation 6.18=passed_relocation running=passed_relocation
 * Expect-load: running=loaded
 * Expect-libbpf-1.3: 6.1=passed_relocation 6.12=passed_relocation 6.18=passed_relocation running=passed_relocation
 * Expect-load-libbpf-1.3: running=loaded
 * Expect-libbpf-1.5: 6.1=passed_relocation 6.12=passed_relocation 6.18=passed_relocation running=passed_relocation
 * Expect-load-libbpf-1.5: running=loaded
 * Expect-libbpf-1.7: 6.1=passed_relocation 6.12=passed_relocation 6.18=passed_relocation running=passed_relocation
 * Expect-load-libbpf-1.7: running=loaded
 */
#include "kc_corpus.h"

struct task_struct {
	int pid;
} __attribute__((preserve_access_index));

extern struct task_struct *bpf_task_from_pid___new(s32 pid, u64 flags) __ksym __weak;
extern struct task_struct *bpf_task_from_pid___old(s32 pid) __ksym __weak;
extern void bpf_task_release(struct task_struct *p) __ksym __weak;

static struct task_struct *task_from_pid(s32 pid)
{
	if (KC_KSYM_EXISTS(bpf_task_from_pid___new))
		return bpf_task_from_pid___new(pid, 0);
	if (KC_KSYM_EXISTS(bpf_task_from_pid___old))
		return bpf_task_from_pid___old(pid);
	return NULL;
}

SEC("syscall")
int flavour_weak_pair(void *ctx)
{
	struct task_struct *t = task_from_pid(1);
	int pid = 0;

	if (t) {
		pid = t->pid;
		bpf_task_release(t);
	}
	return pid;
}

KC_LICENSE;
