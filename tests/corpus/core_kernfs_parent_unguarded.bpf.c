/* core_kernfs_parent_unguarded: reads cgroup->kn->parent with BPF_CORE_READ
 * and no existence check. 6.18 renamed kernfs_node.parent to __parent, so
 * there the relocation is poisoned and reachable: the running kernel's
 * verifier rejects the program ("failed to resolve CO-RE relocation").
 *
 * Expect: 6.1=passed_relocation 6.12=passed_relocation 6.18=poisoned running=poisoned
 * Expect-load: running=poison_reached
 */
#include "kc_corpus.h"

struct kernfs_node {
	struct kernfs_node *parent;
	const char *name;
} __attribute__((preserve_access_index));

struct cgroup {
	struct kernfs_node *kn;
} __attribute__((preserve_access_index));

struct css_set {
	struct cgroup *dfl_cgrp;
} __attribute__((preserve_access_index));

struct task_struct {
	struct css_set *cgroups;
} __attribute__((preserve_access_index));

SEC("kprobe/do_nanosleep")
int kernfs_parent(void *ctx)
{
	struct task_struct *t = (void *)bpf_get_current_task();
	struct kernfs_node *parent = BPF_CORE_READ(t, cgroups, dfl_cgrp, kn, parent);

	return parent != 0;
}

KC_LICENSE;
