/* A struct_ops program no map uses: the kernel refuses it (-524) when
 * libbpf 1.1 to 1.4 load it; libbpf >= 1.5 refuses it before the kernel
 * sees it. */
#include "kc_versions.h"

SEC("struct_ops/kc_used_init")
int BPF_PROG(kc_used_init, struct kc_state *s)
{
	return 0;
}

SEC("struct_ops/kc_forgotten")
int BPF_PROG(kc_forgotten, struct kc_state *s)
{
	return 1;
}

SEC(".struct_ops")
struct kc_ops kc_used = {
	.init = (void *)kc_used_init,
};

KC_LICENSE;
