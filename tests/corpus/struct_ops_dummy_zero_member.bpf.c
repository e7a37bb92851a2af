/* struct_ops_dummy_zero_member: bpf_dummy_ops declared with test_sleepable
 * but leaving it NULL. libbpf >= 1.4 skips zero members the kernel lacks;
 * 1.1.2 does not, so 6.1 still fails ("Cannot find member test_sleepable");
 * nor does 1.3. From 1.5 6.1 passes (1.4, where ../shared/README.md dates the change,
 * is not built here).
 *
 * Expect: 6.1=struct_ops_failed 6.12=passed_relocation 6.18=passed_relocation running=passed_relocation
 * Expect-load: running=loaded
 * Expect-libbpf-1.5: 6.1=passed_relocation 6.12=passed_relocation 6.18=passed_relocation running=passed_relocation
 */
#include "kc_corpus.h"

struct bpf_dummy_ops_state {
	int val;
};

struct bpf_dummy_ops {
	int (*test_1)(struct bpf_dummy_ops_state *cb);
	int (*test_sleepable)(struct bpf_dummy_ops_state *cb);
};

SEC("struct_ops/zero_test_1")
int BPF_PROG(zero_test_1, struct bpf_dummy_ops_state *state)
{
	return 1;
}

SEC(".struct_ops")
struct bpf_dummy_ops kc_dummy_zero = {
	.test_1 = (void *)zero_test_1,
};

KC_LICENSE;
