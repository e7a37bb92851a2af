/* struct_ops_dummy_sleepable: a bpf_dummy_ops struct_ops map setting
 * test_1 and test_sleepable. bpf_dummy_ops gained test_sleepable after 6.1:
 * on 6.1 libbpf 1.1.2 stops at "Cannot find member test_sleepable".
 *
 * Expect: 6.1=struct_ops_failed 6.12=passed_relocation 6.18=passed_relocation running=passed_relocation
 * Expect-load: running=loaded
 */
#include "kc_corpus.h"

struct bpf_dummy_ops_state {
	int val;
};

struct bpf_dummy_ops {
	int (*test_1)(struct bpf_dummy_ops_state *cb);
	int (*test_sleepable)(struct bpf_dummy_ops_state *cb);
};

SEC("struct_ops/dummy_test_1")
int BPF_PROG(dummy_test_1, struct bpf_dummy_ops_state *state)
{
	return 1;
}

SEC("struct_ops/dummy_sleepable")
int BPF_PROG(dummy_sleepable, struct bpf_dummy_ops_state *state)
{
	return 2;
}

SEC(".struct_ops")
struct bpf_dummy_ops kc_dummy = {
	.test_1 = (void *)dummy_test_1,
	.test_sleepable = (void *)dummy_sleepable,
};

KC_LICENSE;
