/* kc_ops declared with a member `newer` the kernel lacks, left zero:
 * libbpf >= 1.4 skips it, earlier releases fail the load. */
#define KC_OWN_KC_OPS
#include "kc_versions.h"

struct kc_ops {
	int (*init)(struct kc_state *s);
	int (*run)(struct kc_state *s, int x);
	int (*newer)(struct kc_state *s);
	unsigned int flags;
	char name[16];
};

SEC("struct_ops/kc_zero_init")
int BPF_PROG(kc_zero_init, struct kc_state *s)
{
	return 0;
}

SEC(".struct_ops")
struct kc_ops kc_zero = {
	.init = (void *)kc_zero_init,
};

KC_LICENSE;
