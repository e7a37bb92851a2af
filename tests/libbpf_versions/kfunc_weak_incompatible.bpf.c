/* A weak kfunc declared with one argument where the kernel's takes two,
 * called only when it resolved: libbpf >= 1.3 leaves it unresolved (the
 * guard is false, the call dead); earlier releases refuse the object. */
#include "kc_versions.h"

extern int bpf_kc_bar(int x) __ksym __weak;

SEC("syscall")
int call_guarded(void *ctx)
{
	if (kc_ksym_exists(bpf_kc_bar))
		return bpf_kc_bar(1);
	return 0;
}

KC_LICENSE;
