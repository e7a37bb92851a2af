/* kfunc_task_from_pid: strong kfunc externs bpf_task_from_pid and
 * bpf_task_release (added in 6.2) with task_struct fully declared, in a
 * syscall program. 6.1 has no such functions in its BTF.
 *
 * Expect: 6.1=extern_failed 6.12=passed_relocation 6.18=passed_relocation running=passed_relocation
 * Expect-load: running=loaded
 */
#include "kc_corpus.h"

struct task_struct {
	int pid;
} __attribute__((preserve_access_index));

extern struct task_struct *bpf_task_from_pid(s32 pid) __ksym;
extern void bpf_task_release(struct task_struct *p) __ksym;

SEC("syscall")
int task_from_pid(void *ctx)
{
	struct task_struct *t = bpf_task_from_pid(1);
	int pid = 0;

	if (t) {
		pid = t->pid;
		bpf_task_release(t);
	}
	return pid;
}

KC_LICENSE;
