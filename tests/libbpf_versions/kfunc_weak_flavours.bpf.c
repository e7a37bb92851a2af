/* sched_ext's compat pattern: two weak flavours of one kfunc whose
 * argument count changed, the new one chosen when it exists. libbpf >= 1.3
 * resolves ___new (compatible) and leaves ___old (one argument, the kernel's
 * takes two) unresolved: the old call is dead. Earlier releases find
 * neither by its full name: the old call is reached, unresolved. */
#include "kc_versions.h"

extern int bpf_kc_bar___new(int x, int y) __ksym __weak;
extern int bpf_kc_bar___old(int x) __ksym __weak;

SEC("syscall")
int call_either(void *ctx)
{
	if (kc_ksym_exists(bpf_kc_bar___new))
		return bpf_kc_bar___new(1, 2);
	return bpf_kc_bar___old(1);
}

KC_LICENSE;
