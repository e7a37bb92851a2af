/* Revision v1 of kc_demo_ops, linked with ops_v2.bpf.c into one object
 * (prepared_ops.o) for tests/prepared_check_test.cc. */
#include <linux/types.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <kcontract/struct_ops_revisions.h>

char LICENSE[] SEC("license") = "GPL";

struct kc_demo_ops {
	int (*act_v1)(int a);
};

SEC("struct_ops/kc_act_v1")
int BPF_PROG(kc_act_v1, int a)
{
	return a;
}

SEC(".struct_ops")
struct kc_demo_ops kc_demo_v1 KC_STRUCT_OPS_REVISION("kc_demo_ops", "v1") = {
	.act_v1 = (void *)kc_act_v1,
};
