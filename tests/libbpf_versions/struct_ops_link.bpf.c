/* A struct_ops map in ".struct_ops.link": libbpf 1.1 skips the section, so
 * kc_link_init is bound to no map and the kernel refuses it; libbpf >= 1.2
 * reads it and creates the map with BPF_F_LINK, which kernels before 6.4
 * refuse. */
#include "kc_versions.h"

SEC("struct_ops/kc_link_init")
int BPF_PROG(kc_link_init, struct kc_state *s)
{
	return 0;
}

SEC(".struct_ops.link")
struct kc_ops kc_link = {
	.init = (void *)kc_link_init,
};

KC_LICENSE;
