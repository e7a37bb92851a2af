/* A struct_ops map in SEC("?.struct_ops"): libbpf >= 1.4 creates it only
 * when the loader turns autocreate on, and turns its program off with it;
 * earlier releases skip the section, and load kc_opt_init bound to no map,
 * which the kernel refuses. */
#include "kc_versions.h"

SEC("struct_ops/kc_opt_init")
int BPF_PROG(kc_opt_init, struct kc_state *s)
{
	return 0;
}

SEC("?.struct_ops")
struct kc_ops kc_optional = {
	.init = (void *)kc_opt_init,
};

KC_LICENSE;
