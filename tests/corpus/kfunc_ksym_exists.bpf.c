/* kfunc_ksym_exists: weak bpf_task_from_vpid (6.18 only) and
 * bpf_task_release, called only when the extern resolved
 * (KC_KSYM_EXISTS, i.e. libbpf 1.2's bpf_ksym_exists: the kfunc's address
 * in an ld_imm64, zero when unresolved). The in-program guard that
 * replaces kfunc_weak_guarded's rodata flag; kernels need 6.4+ to verify
 * it. libbpf 1.3+ poisons the dead unresolved calls ("poisoning insn ...
 * that calls kfunc") and sets the address to zero.
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

extern struct task_struct *bpf_task_from_vpid(s32 vpid) __ksym __weak;
extern void bpf_task_release(struct task_struct *p) __ksym __weak;

SEC("syscall")
int ksym_exists(void *ctx)
{
	int pid = 0;

	if (KC_KSYM_EXISTS(bpf_task_from_vpid)) {
		struct task_struct *t = bpf_task_from_vpid(1);

		if (t) {
			pid = t->pid;
			bpf_task_release(t);
		}
	}
	return pid;
}

KC_LICENSE;
