/* open_extern_fwd: a typed ksym whose type the object only declares
 * (struct rq, never defined here): its BTF is a forward declaration.
 *
 * Expect: 6.1=extern_failed 6.12=extern_failed 6.18=extern_failed running=extern_failed
 * Expect-load: running=extern_failed
 * Expect-verdict: 6.1=extern 6.12=extern 6.18=extern running=extern
 */
#include "kc_corpus.h"

struct rq;
extern struct rq runqueues __ksym;

SEC("kprobe/do_nanosleep")
int extern_fwd(void *ctx)
{
	return bpf_this_cpu_ptr(&runqueues) != 0;
}

KC_LICENSE;
