/* kfunc_rstat_renamed: a real kfunc rename, cgroup_rstat_flush(struct
 * cgroup *) (6.1, 6.12) -> css_rstat_flush(struct cgroup_subsys_state *)
 * (6.18), survived with two weak externs picked by rodata flags that user
 * space sets after probing (sched_ext compat.bpf.h style). Each kernel
 * resolves one of them; the other stays unresolved (weak).
 *
 * Expect: 6.1=passed_relocation 6.12=passed_relocation 6.18=passed_relocation running=passed_relocation
 * Expect-load: running=loaded
 */
#include "kc_corpus.h"

struct cgroup_subsys_state {
	int id;
} __attribute__((preserve_access_index));

struct cgroup {
	struct cgroup_subsys_state self;
} __attribute__((preserve_access_index));

struct css_set {
	struct cgroup *dfl_cgrp;
} __attribute__((preserve_access_index));

struct task_struct {
	struct css_set *cgroups;
} __attribute__((preserve_access_index));

extern void cgroup_rstat_flush(struct cgroup *cgrp) __ksym __weak;
extern void css_rstat_flush(struct cgroup_subsys_state *css) __ksym __weak;

const volatile bool have_cgroup_rstat_flush = false;
const volatile bool have_css_rstat_flush = false;

SEC("tp_btf/sched_switch")
int BPF_PROG(rstat_renamed, bool preempt, struct task_struct *prev, struct task_struct *next)
{
	struct cgroup *cgrp = prev->cgroups->dfl_cgrp;

	if (have_css_rstat_flush)
		css_rstat_flush(&cgrp->self);
	else if (have_cgroup_rstat_flush)
		cgroup_rstat_flush(cgrp);
	return 0;
}

KC_LICENSE;
