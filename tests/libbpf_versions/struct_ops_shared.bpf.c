/* One program for the same member of two maps, of kc_ops and its flavour
 * kc_ops___v2 (the pattern of one policy carrying two revisions of a
 * table): libbpf >= 1.4 ties the program to the kernel's type, the same for
 * both; earlier releases tie it to the first map's local type and refuse
 * the second at open. */
#include "kc_versions.h"

struct kc_ops___v2 {
	int (*init)(struct kc_state *s);
	int (*run)(struct kc_state *s, int x);
};

SEC("struct_ops/kc_shared_init")
int BPF_PROG(kc_shared_init, struct kc_state *s)
{
	return 0;
}

SEC(".struct_ops")
struct kc_ops kc_shared_v1 = {
	.init = (void *)kc_shared_init,
};

SEC(".struct_ops")
struct kc_ops___v2 kc_shared_v2 = {
	.init = (void *)kc_shared_init,
};

KC_LICENSE;
