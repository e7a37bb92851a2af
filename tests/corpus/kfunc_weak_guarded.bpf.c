/* kfunc_weak_guarded: weak externs bpf_task_from_vpid (6.18 only) and
 * bpf_task_release (6.2+), called only when user space sets the rodata flag
 * use_vpid (the libbpf 1.1 / pre-6.4 pattern: no bpf_ksym_exists). Absent
 * weak kfuncs are left unresolved ("(weak): not resolved, defaulting to
 * zero"), so libbpf passes everywhere; with the flag at its default (false)
 * the calls are dead code for the verifier.
 *
 * Expect: 6.1=passed_relocation 6.12=passed_relocation 6.18=passed_relocation running=passed_relocation
 * Expect-load: running=loaded
 */
#include "kc_corpus.h"

struct task_struct {
	int pid;
} __attribute__((preserve_access_index));

extern struct task_struct *bpf_task_from_vpid(s32 vpid) __ksym __weak;
extern void bpf_task_release(struct task_struct *p) __ksym __weak;

const volatile bool use_vpid = false;

SEC("syscall")
int weak_guarded(void *ctx)
{
	int pid = 0;

	if (use_vpid) {
		struct task_struct *t = bpf_task_from_vpid(1);

		if (t) {
			pid = t->pid;
			bpf_task_release(t);
		}
	}
	return pid;
}

KC_LICENSE;
