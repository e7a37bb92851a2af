/* ksym_typed_middle_gone: a strong typed ksym 'cpu_number' (int, per CPU):
 * present on 6.1, gone on 6.12 (folded into pcpu_hot), back on 6.18.
 *
 * Expect: 6.1=passed_relocation 6.12=extern_failed 6.18=passed_relocation running=passed_relocation
 * Expect-load: running=verifier_rejected
 * (This machine's kernel has CONFIG_KALLSYMS_ALL off, so the kernel cannot
 * find the address of any typed variable ksym: "ldimm64 failed to find the
 * address for kernel symbol". A property of the machine, not the object.)
 */
#include "kc_corpus.h"

struct task_struct;

extern const int cpu_number __ksym;

SEC("tp_btf/sched_switch")
int BPF_PROG(cpu_number_ksym, bool preempt, struct task_struct *prev, struct task_struct *next)
{
	const int *cpu = bpf_this_cpu_ptr(&cpu_number);

	return *cpu;
}

KC_LICENSE;
