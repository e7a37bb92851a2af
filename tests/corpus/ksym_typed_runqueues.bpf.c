/* ksym_typed_runqueues: a typed ksym (per-CPU variable) present in every
 * kernel, 'runqueues' (struct rq), read through bpf_this_cpu_ptr with a
 * CO-RE relocated rq->nr_running.
 *
 * Expect: 6.1=passed_relocation 6.12=passed_relocation 6.18=passed_relocation running=passed_relocation
 * Expect-load: running=verifier_rejected
 * (This machine's kernel has CONFIG_KALLSYMS_ALL off, so the kernel cannot
 * find the address of any typed variable ksym: "ldimm64 failed to find the
 * address for kernel symbol". A property of the machine, not the object.)
 */
#include "kc_corpus.h"

struct rq {
	unsigned int nr_running;
} __attribute__((preserve_access_index));

struct task_struct;

extern const struct rq runqueues __ksym;

SEC("tp_btf/sched_switch")
int BPF_PROG(runqueues_ksym, bool preempt, struct task_struct *prev, struct task_struct *next)
{
	const struct rq *rq = bpf_this_cpu_ptr(&runqueues);

	return rq->nr_running;
}

KC_LICENSE;
