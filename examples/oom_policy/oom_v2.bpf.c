/* The OOM policy for BPF OOM v2, revision "v2" of bpf_oom_ops:
 *   struct bpf_oom_ctx { u64 cgroup_id; };
 *   int (*handle_out_of_memory)(struct bpf_oom_ctx *ctx, struct oom_control *oc);
 *   void (*handle_cgroup_offline)(struct bpf_oom_ctx *ctx, u64 cgroup_id);
 *   char name[64];
 * (lore 20251027231727.472628-7-roman.gushchin@linux.dev). ctx->cgroup_id is
 * the cgroup the instance is attached to, 0 for the system-wide one. */
#include "oom_policy.h"
#include <bpf/bpf_tracing.h>
#include <kcontract/struct_ops_revisions.h>

struct bpf_oom_ctx {
	__u64 cgroup_id;
} __attribute__((preserve_access_index));

/* libbpf 1.1 finds the kernel's table by this exact name: one revision's
 * definition per C file (see <kcontract/struct_ops_revisions.h>). */
struct bpf_oom_ops {
	int (*handle_out_of_memory)(struct bpf_oom_ctx *ctx, struct oom_control *oc);
	void (*handle_cgroup_offline)(struct bpf_oom_ctx *ctx, __u64 cgroup_id);
	char name[64];
};

volatile __u64 kc_oom_offlined_v2;

SEC("struct_ops/oom_handle_v2")
int BPF_PROG(oom_handle_v2, struct bpf_oom_ctx *oom_ctx, struct oom_control *oc)
{
	return kc_oom_handle(oc, oom_ctx->cgroup_id);
}

/* The cgroup this instance served is gone; v3 has no such callback (its
 * link goes with the cgroup). */
SEC("struct_ops/oom_offline_v2")
int BPF_PROG(oom_offline_v2, struct bpf_oom_ctx *oom_ctx, __u64 cgroup_id)
{
	__sync_fetch_and_add(&kc_oom_offlined_v2, 1);
	return 0;
}

SEC(".struct_ops")
struct bpf_oom_ops oom_policy_v2 KC_STRUCT_OPS_REVISION("bpf_oom_ops", "v2") = {
	.handle_out_of_memory = (void *)oom_handle_v2,
	.handle_cgroup_offline = (void *)oom_offline_v2,
	.name = "kc_oom_policy",
};
