/* A weak kfunc no kernel has, called only when it resolved. libbpf 1.1
 * leaves the dead call at BTF id 0, which kernels before 6.4 reject;
 * libbpf >= 1.2 poisons it, and the verifier never reaches it. */
#include "kc_versions.h"

extern int bpf_kc_absent(int x) __ksym __weak;

SEC("syscall")
int call_absent(void *ctx)
{
	if (kc_ksym_exists(bpf_kc_absent))
		return bpf_kc_absent(1);
	return 0;
}

KC_LICENSE;
