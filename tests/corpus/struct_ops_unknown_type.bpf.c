/* struct_ops_unknown_type: a struct_ops map of type bpf_mthp_ops, modelled
 * on the mTHP policy series (2026) that never merged: no kernel has the
 * type ("struct_ops init_kern: struct bpf_mthp_ops is not found in kernel
 * BTF").
 *
 * Expect: 6.1=struct_ops_failed 6.12=struct_ops_failed 6.18=struct_ops_failed running=struct_ops_failed
 * Expect-load: running=struct_ops_failed
 */
#include "kc_corpus.h"

struct cgroup {
	int level;
} __attribute__((preserve_access_index));

struct bpf_mthp_ops {
	unsigned long (*choose)(struct cgroup *cgrp, unsigned long orders);
	char name[16];
};

SEC("struct_ops/mthp_choose")
unsigned long BPF_PROG(mthp_choose, struct cgroup *cgrp, unsigned long orders)
{
	return orders & 1;
}

SEC(".struct_ops")
struct bpf_mthp_ops kc_mthp = {
	.choose = (void *)mthp_choose,
	.name = "kc_mthp",
};

KC_LICENSE;
