/* ksym_type_changed: typed ksym 'hrtimer_interrupts' declared 'unsigned
 * long', its type on 6.1; 6.12 and 6.18 made it a struct, and libbpf
 * rejects the mismatch ("extern (var ksym) 'hrtimer_interrupts':
 * incompatible types").
 *
 * Expect: 6.1=passed_relocation 6.12=extern_failed 6.18=extern_failed running=extern_failed
 * Expect-load: running=extern_failed
 */
#include "kc_corpus.h"

struct task_struct;

extern const unsigned long hrtimer_interrupts __ksym;

SEC("tp_btf/sched_switch")
int BPF_PROG(hrtimer_irqs, bool preempt, struct task_struct *prev, struct task_struct *next)
{
	const unsigned long *n = bpf_this_cpu_ptr(&hrtimer_interrupts);

	return *n & 1;
}

KC_LICENSE;
