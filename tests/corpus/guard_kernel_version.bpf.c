/* guard_kernel_version: the kernfs_node.parent -> __parent rename (6.18),
 * chosen by LINUX_KERNEL_VERSION, which libbpf computes from the release of
 * the machine loading the object. Each kernel's other branch is poisoned
 * and dead. (For a foreign kernel the oracle reports that kernel's release
 * from uname(), so libbpf computes the version the kernel would give.)
 *
 * Expect: 6.1=poisoned 6.12=poisoned 6.18=poisoned running=poisoned
 * Expect-load: running=loaded
 * Expect-verdict: 6.1=loads 6.12=loads 6.18=loads running=loads
 */
#include "kc_corpus.h"

extern int LINUX_KERNEL_VERSION __kconfig;

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
int kernel_version(void *ctx)
{
	struct task_struct *t = (void *)bpf_get_current_task();
	struct kernfs_node *kn = BPF_CORE_READ(t, cgroups, dfl_cgrp, kn);
	struct kernfs_node *parent;

	if (LINUX_KERNEL_VERSION >= KERNEL_VERSION(6, 18, 0))
		parent = BPF_CORE_READ((struct kernfs_node___new *)kn, __parent);
	else
		parent = BPF_CORE_READ((struct kernfs_node___old *)kn, parent);
	return parent != 0;
}

KC_LICENSE;
