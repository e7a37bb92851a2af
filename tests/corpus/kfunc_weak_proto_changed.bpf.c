/* kfunc_weak_proto_changed: weak bpf_task_acquire declared with one
 * parameter too many (built against a kernel whose prototype differs), its
 * call guarded by KC_KSYM_EXISTS. libbpf 1.1.2 only forgives a weak
 * kfunc's absence: where bpf_task_acquire exists (6.2+) it still refuses
 * the prototype ("func_proto incompatible"). 1.3+ treats an incompatible
 * weak kfunc as absent: unresolved, the guard false, the call dead.
 *
 * Expect: 6.1=passed_relocation 6.12=extern_failed 6.18=extern_failed running=extern_failed
 * Expect-load: running=extern_failed
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

extern struct task_struct *bpf_task_acquire(struct task_struct *p, u64 flags) __ksym __weak;
extern void bpf_task_release(struct task_struct *p) __ksym __weak;

SEC("tp_btf/sched_switch")
int BPF_PROG(weak_proto_changed, bool preempt, struct task_struct *prev, struct task_struct *next)
{
	int pid = 0;

	if (KC_KSYM_EXISTS(bpf_task_acquire)) {
		struct task_struct *t = bpf_task_acquire(next, 0);

		if (t) {
			pid = t->pid;
			bpf_task_release(t);
		}
	}
	return pid;
}

KC_LICENSE;
