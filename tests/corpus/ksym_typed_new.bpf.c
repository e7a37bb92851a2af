/* ksym_typed_new: a typed ksym that appeared after 6.1,
 * bpf_cgrp_storage_busy (int, per CPU; 6.2+): "extern (var ksym)
 * 'bpf_cgrp_storage_busy': not found in kernel BTF" on 6.1.
 *
 * Expect: 6.1=extern_failed 6.12=passed_relocation 6.18=passed_relocation running=passed_relocation
 * Expect-load: running=verifier_rejected
 * (This machine's kernel has CONFIG_KALLSYMS_ALL off, so the kernel cannot
 * find the address of any typed variable ksym: "ldimm64 failed to find the
 * address for kernel symbol". A property of the machine, not the object.)
 */
#include "kc_corpus.h"

struct task_struct;

extern const int bpf_cgrp_storage_busy __ksym;

SEC("tp_btf/sched_switch")
int BPF_PROG(cgrp_busy, bool preempt, struct task_struct *prev, struct task_struct *next)
{
	const int *busy = bpf_this_cpu_ptr(&bpf_cgrp_storage_busy);

	return *busy;
}

KC_LICENSE;
