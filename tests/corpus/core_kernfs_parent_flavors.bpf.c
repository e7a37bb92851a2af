/* core_kernfs_parent_flavors: ___flavour types for the kernfs_node.parent ->
 * __parent rename (6.18), chosen by bpf_core_field_exists. Every kernel
 * poisons the branch for the other shape (so libbpf reports poisoned
 * relocations everywhere), but the guard makes them dead code.
 *
 * Expect: 6.1=poisoned 6.12=poisoned 6.18=poisoned running=poisoned
 * Expect-load: running=loaded
 */
#include "kc_corpus.h"

struct kernfs_node {
	const char *name;
} __attribute__((preserve_access_index));

struct kernfs_node___old {
	struct kernfs_node *parent;
} __attribute__((preserve_access_index));

struct kernfs_node___new {
	struct kernfs_node *__parent;
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
int kernfs_parent_flavors(void *ctx)
{
	struct task_struct *t = (void *)bpf_get_current_task();
	struct kernfs_node *kn = BPF_CORE_READ(t, cgroups, dfl_cgrp, kn);
	struct kernfs_node *parent;

	if (bpf_core_field_exists(struct kernfs_node___new, __parent))
		parent = BPF_CORE_READ((struct kernfs_node___new *)kn, __parent);
	else
		parent = BPF_CORE_READ((struct kernfs_node___old *)kn, parent);
	return parent != 0;
}

KC_LICENSE;
