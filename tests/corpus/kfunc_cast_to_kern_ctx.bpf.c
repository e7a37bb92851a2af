/* kfunc_cast_to_kern_ctx: strong extern bpf_cast_to_kern_ctx (6.2+) from a
 * kprobe program: not in 6.1's BTF.
 *
 * Expect: 6.1=extern_failed 6.12=passed_relocation 6.18=passed_relocation running=passed_relocation
 * Expect-load: running=loaded
 */
#include "kc_corpus.h"

extern void *bpf_cast_to_kern_ctx(void *obj) __ksym;

SEC("kprobe/do_nanosleep")
int cast_ctx(void *ctx)
{
	return bpf_cast_to_kern_ctx(ctx) != 0;
}

KC_LICENSE;
