/* kfunc_clang_fwd: a forward declaration the source does not show. struct
 * cgroup is declared with a body, but the program never reads a member of
 * it, so clang 14 emits it into the object's BTF as a FWD; the prototype of
 * the strong extern cgroup_rstat_flush(struct cgroup *) then does not match
 * the kernel's ("func_proto [N] incompatible with kernel [M]") on 6.1 and
 * 6.12, and 6.18 has no cgroup_rstat_flush at all (renamed
 * css_rstat_flush). Compare kfunc_rstat_old_strong, which reads
 * cgrp->level.
 *
 * Expect: 6.1=extern_failed 6.12=extern_failed 6.18=extern_failed running=extern_failed
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
int BPF_PROG(clang_fwd, bool preempt, struct task_struct *prev, struct task_struct *next)
{
	if (do_flush)
		cgroup_rstat_flush(prev->cgroups->dfl_cgrp);
	return 0;
}

KC_LICENSE;
