/* kfunc_weak_fwd: weak kfunc externs with a forward-declared task_struct.
 * 'weak' only forgives absence: on 6.1 (no bpf_task_from_pid) libbpf leaves
 * them unresolved and carries on, on 6.12/6.18 it finds them and still
 * rejects the FWD-vs-STRUCT prototype. libbpf 1.3+ forgives an
 * incompatible weak kfunc too: unresolved, its calls poisoned (dead code
 * here, behind the rodata flag), and the load succeeds.
 *
 * Expect: 6.1=passed_relocation 6.12=extern_failed 6.18=extern_failed running=extern_failed
 * Expect-load: running=extern_failed
 * Expect-libbpf-1.3: 6.1=passed_relocation 6.12=passed_relocation 6.18=passed_relocation running=passed_relocation
 * Expect-load-libbpf-1.3: running=loaded
 */
#include "kc_corpus.h"

struct task_struct;

extern struct task_struct *bpf_task_from_pid(s32 pid) __ksym __weak;
extern void bpf_task_release(struct task_struct *p) __ksym __weak;

const volatile bool have_task_kfuncs = false;

SEC("syscall")
int weak_fwd(void *ctx)
{
	if (have_task_kfuncs) {
		struct task_struct *t = bpf_task_from_pid(1);

		if (t)
			bpf_task_release(t);
	}
	return 0;
}

KC_LICENSE;
