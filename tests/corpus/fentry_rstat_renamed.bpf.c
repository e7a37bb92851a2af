/* fentry_rstat_renamed: an fentry program on cgroup_rstat_flush, renamed
 * css_rstat_flush in 6.18: there libbpf cannot find the attach target
 * (before the kernel would answer EPERM on this machine).
 *
 * Expect: 6.1=passed_relocation 6.12=passed_relocation 6.18=attach_target_missing running=attach_target_missing
 * Expect-load: running=attach_target_missing
 */
#include "kc_corpus.h"

struct cgroup;

SEC("fentry/cgroup_rstat_flush")
int BPF_PROG(on_rstat_flush, struct cgroup *cgrp)
{
	return 0;
}

KC_LICENSE;
