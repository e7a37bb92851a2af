/* A strong kfunc extern with a ___flavour suffix: libbpf >= 1.3 resolves
 * it by its essential name (the kernel's bpf_kc_foo), earlier releases look
 * for "bpf_kc_foo___v2" and refuse the object. */
#include "kc_versions.h"

extern int bpf_kc_foo___v2(int x) __ksym;

SEC("syscall")
int call_flavour(void *ctx)
{
	return bpf_kc_foo___v2(1);
}

KC_LICENSE;
