/* kfunc_weak_unguarded: a weak extern bpf_strlen (6.18 only) called with no
 * guard at all. libbpf 1.1.2 resolves it where it exists and otherwise
 * leaves the call at BTF id 0 without complaint, so libbpf passes on every
 * kernel; on 6.1/6.12 the kernel's verifier would then reject the reachable
 * unresolved call (a result only a real load on those kernels can show).
 *
 * Expect: 6.1=passed_relocation 6.12=passed_relocation 6.18=passed_relocation running=passed_relocation
 * Expect-load: running=loaded
 */
#include "kc_corpus.h"

extern int bpf_strlen(const char *s__ign) __ksym __weak;

SEC("syscall")
int weak_unguarded(void *ctx)
{
	return bpf_strlen("kcontract");
}

KC_LICENSE;
