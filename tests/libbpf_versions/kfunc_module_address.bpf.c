/* The address of a kfunc a module defines (nf_conntrack's bpf_ct_release,
 * in the shared Debian 6.1 kernel): libbpf 1.1 relocates it against
 * vmlinux's BTF, libbpf >= 1.2 against the module's. */
#include "kc_versions.h"

struct nf_conn {
	int placeholder;
};

extern void bpf_ct_release(struct nf_conn *ct) __ksym __weak;

SEC("syscall")
int has_ct_release(void *ctx)
{
	return kc_ksym_exists(bpf_ct_release);
}

KC_LICENSE;
