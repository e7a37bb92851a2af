/* tp_btf_sched_switch: a tp_btf program on sched_switch, a raw tracepoint
 * every kernel has (btf_trace_sched_switch), reading next->pid directly.
 *
 * Expect: 6.1=passed_relocation 6.12=passed_relocation 6.18=passed_relocation running=passed_relocation
 * Expect-load: running=loaded
 */
#include "kc_corpus.h"

struct task_struct {
	int pid;
} __attribute__((preserve_access_index));

SEC("tp_btf/sched_switch")
int BPF_PROG(on_switch, bool preempt, struct task_struct *prev, struct task_struct *next)
{
	return next->pid;
}

KC_LICENSE;
