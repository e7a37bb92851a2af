/* core_memsz_signed_narrowed: a direct load (tp_btf) of
 * cgroup_freezer_state.e_freeze declared 'int'. It is an int on 6.1 and
 * 6.12 but a bool (1 byte) on 6.18: libbpf cannot resize a load of a signed
 * field ("accesses field incorrectly") and poisons it; the load is
 * reachable, so the running kernel rejects the program.
 *
 * Expect: 6.1=passed_relocation 6.12=passed_relocation 6.18=poisoned running=poisoned
 * Expect-load: running=poison_reached
 */
#include "kc_corpus.h"

struct cgroup_freezer_state {
	int e_freeze;
} __attribute__((preserve_access_index));

struct cgroup {
	struct cgroup_freezer_state freezer;
} __attribute__((preserve_access_index));

struct css_set {
	struct cgroup *dfl_cgrp;
} __attribute__((preserve_access_index));

struct task_struct {
	struct css_set *cgroups;
} __attribute__((preserve_access_index));

SEC("tp_btf/sched_switch")
int BPF_PROG(memsz_signed, bool preempt, struct task_struct *prev, struct task_struct *next)
{
	return prev->cgroups->dfl_cgrp->freezer.e_freeze;
}

KC_LICENSE;
