/* kfunc_never_merged: a strong extern to bpf_cgroup_stall(), proposed with
 * the mTHP series (bpf_mthp_ops, 2026) and never merged: no kernel has it.
 *
 * Expect: 6.1=extern_failed 6.12=extern_failed 6.18=extern_failed running=extern_failed
 * Expect-load: running=extern_failed
 */
#include "kc_corpus.h"

struct cgroup {
	int level;
} __attribute__((preserve_access_index));

extern u64 bpf_cgroup_stall(struct cgroup *cgrp, int resource) __ksym;

SEC("syscall")
int never_merged(void *ctx)
{
	return bpf_cgroup_stall(0, 0);
}

KC_LICENSE;
