/* The OOM policy for BPF OOM v3, revision "v3" of bpf_oom_ops:
 *   int (*handle_out_of_memory)(struct oom_control *oc,
 *                               struct bpf_struct_ops_link *st_link);
 *   char name[64];
 * (lore 20260127024421.494929-8-roman.gushchin@linux.dev): the instance is
 * attached to a cgroup through its struct_ops link, and the link says which. */
#include "oom_policy.h"
#include <bpf/bpf_tracing.h>
#include <kcontract/struct_ops_revisions.h>

struct kernfs_node {
	__u64 id;
} __attribute__((preserve_access_index));
struct cgroup {
	struct kernfs_node *kn;
} __attribute__((preserve_access_index));
struct bpf_struct_ops_link {
	struct cgroup *cgroup;
} __attribute__((preserve_access_index));

struct bpf_oom_ops {
	int (*handle_out_of_memory)(struct oom_control *oc, struct bpf_struct_ops_link *st_link);
	char name[64];
};

SEC("struct_ops/oom_handle_v3")
int BPF_PROG(oom_handle_v3, struct oom_control *oc, struct bpf_struct_ops_link *st_link)
{
	return kc_oom_handle(oc, st_link->cgroup->kn->id);
}

SEC(".struct_ops")
struct bpf_oom_ops oom_policy_v3 KC_STRUCT_OPS_REVISION("bpf_oom_ops", "v3") = {
	.handle_out_of_memory = (void *)oom_handle_v3,
	.name = "kc_oom_policy",
};
