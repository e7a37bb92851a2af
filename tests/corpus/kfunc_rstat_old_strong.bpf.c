/* kfunc_rstat_old_strong: a strong extern to cgroup_rstat_flush, the kfunc
 * 6.18 renamed to css_rstat_flush: fine on 6.1 and 6.12, "not found in
 * kernel or module BTFs" on 6.18. (The call sits behind a rodata flag so
 * the program is valid where it resolves.) The program reads cgrp->level so
 * that clang emits struct cgroup in full: see kfunc_clang_fwd.
 *
 * Expect: 6.1=passed_relocation 6.12=passed_relocation 6.18=extern_failed running=extern_failed
 * Expect-load: running=extern_failed
 */
#include "kc_corpus.h"

struct cgroup {
	int level;
} __attribute__((preserve_access_index));

struct css_set {
	struct cgroup *dfl_cgrp;
} __attribute__((preserve_access_index));

struct task_struct {
	struct css_set *cgroups;
} __attribute__((preserve_access_index));

extern void cgroup_rstat_flush(struct cgroup *cgrp) __ksym;

const volatile bool do_flush = false;

SEC("tp_btf/sched_switch")
int BPF_PROG(rstat_old_strong, bool preempt, struct task_struct *prev, struct task_struct *next)
{
	struct cgroup *cgrp = prev->cgroups->dfl_cgrp;

	if (do_flush)
		cgroup_rstat_flush(cgrp);
	return cgrp->level;
}

KC_LICENSE;
