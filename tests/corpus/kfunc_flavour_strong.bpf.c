/* kfunc_flavour_strong: the strong kfunc extern bpf_task_from_pid___v2, a
 * `___flavour` name (how an object declares two prototypes of one kfunc),
 * with bpf_task_release. libbpf 1.3+ drops the suffix and resolves
 * bpf_task_from_pid where the kernel has it (6.2+); 1.1.2 looks for the
 * whole name, which no kernel has ("not found in kernel or module BTFs").
 *
 * Expect: 6.1=extern_failed 6.12=extern_failed 6.18=extern_failed running=extern_failed
 * Expect-load: running=extern_failed
 * Expect-libbpf-1.3: 6.1=extern_failed 6.12=passed_relocation 6.18=passed_relocation running=passed_relocation
 * Expect-load-libbpf-1.3: running=loaded
 * Expect-libbpf-1.5: 6.1=extern_failed 6.12=passed_relocation 6.18=passed_relocation running=passed_relocation
 * Expect-load-libbpf-1.5: running=loaded
 * Expect-libbpf-1.7: 6.1=extern_failed 6.12=passed_relocation 6.18=passed_relocation running=passed_relocation
 * Expect-load-libbpf-1.7: running=loaded
 */
#include "kc_corpus.h"

struct task_struct {
	int pid;
} __attribute__((preserve_access_index));

extern struct task_struct *bpf_task_from_pid___v2(s32 pid) __ksym;
extern void bpf_task_release(struct task_struct *p) __ksym;

SEC("syscall")
int flavour_strong(void *ctx)
{
	struct task_struct *t = bpf_task_from_pid___v2(1);
	int pid = 0;

	if (t) {
		pid = t->pid;
		bpf_task_release(t);
	}
	return pid;
}

KC_LICENSE;
