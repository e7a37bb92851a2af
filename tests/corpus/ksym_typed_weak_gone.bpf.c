/* ksym_typed_weak_gone: a weak typed ksym 'bpf_redirect_info' (per CPU;
 * 6.1 only, 6.12 moved it into bpf_net_context), used only when its address
 * is non-zero. Weak: unresolved is fine, so libbpf passes everywhere, and
 * the guard makes the use dead code where it is missing.
 *
 * Expect: 6.1=passed_relocation 6.12=passed_relocation 6.18=passed_relocation running=passed_relocation
 * Expect-load: running=loaded
 */
#include "kc_corpus.h"

struct bpf_redirect_info {
	u32 flags;
} __attribute__((preserve_access_index));

struct task_struct;

extern const struct bpf_redirect_info bpf_redirect_info __ksym __weak;

SEC("tp_btf/sched_switch")
int BPF_PROG(redirect_info, bool preempt, struct task_struct *prev, struct task_struct *next)
{
	const struct bpf_redirect_info *ri;

	if (!&bpf_redirect_info)
		return 0;
	ri = bpf_this_cpu_ptr(&bpf_redirect_info);
	return ri->flags;
}

KC_LICENSE;
