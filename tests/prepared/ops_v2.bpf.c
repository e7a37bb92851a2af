/* Revision v2 of kc_demo_ops (see ops_v1.bpf.c). */
#include <linux/types.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <kcontract/struct_ops_revisions.h>

struct kc_demo_ops {
	int (*act)(int a, long b);
};

SEC("struct_ops/kc_act_v2")
int BPF_PROG(kc_act_v2, int a, long b)
{
	return a + b;
}

SEC(".struct_ops")
struct kc_demo_ops kc_demo_v2 KC_STRUCT_OPS_REVISION("kc_demo_ops", "v2") = {
	.act = (void *)kc_act_v2,
};
