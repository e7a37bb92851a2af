/* A struct_ops map whose type is a flavour (kc_ops___v2): libbpf >= 1.4
 * looks up the kernel's kc_ops, earlier releases "kc_ops___v2", which no
 * kernel has. */
#include "kc_versions.h"

struct kc_ops___v2 {
	int (*init)(struct kc_state *s);
	int (*run)(struct kc_state *s, int x);
};

SEC("struct_ops/kc_v2_init")
int BPF_PROG(kc_v2_init, struct kc_state *s)
{
	return 0;
}

SEC(".struct_ops")
struct kc_ops___v2 kc_v2 = {
	.init = (void *)kc_v2_init,
};

KC_LICENSE;
