/* A sleepable struct_ops program (SEC("struct_ops.s/...")): libbpf 1.1
 * gives the section no program type, so it refuses the map that uses it
 * when it opens the object; libbpf >= 1.2 knows the section. */
#include "kc_versions.h"

SEC("struct_ops.s/kc_sleepable_init")
int BPF_PROG(kc_sleepable_init, struct kc_state *s)
{
	return 0;
}

SEC(".struct_ops")
struct kc_ops kc_sleepable = {
	.init = (void *)kc_sleepable_init,
};

KC_LICENSE;
