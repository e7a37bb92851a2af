/* A netfilter program and a kprobe session program: libbpf >= 1.3 types
 * SEC("netfilter"), >= 1.5 SEC("kprobe.session/..."); earlier releases find
 * no program type for them. */
#include "kc_versions.h"

SEC("netfilter")
int kc_nf(void *ctx)
{
	return 1;
}

SEC("kprobe.session/do_sys_openat2")
int kc_session(void *ctx)
{
	return 0;
}

KC_LICENSE;
