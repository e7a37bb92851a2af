/* open_static_program: a program function declared static, which libbpf 1.x
 * refuses ("program ... is static and not supported").
 *
 * Expect: 6.1=open_failed 6.12=open_failed 6.18=open_failed running=open_failed
 * Expect-load: running=open_failed
 * Expect-verdict: 6.1=open 6.12=open 6.18=open running=open
 */
#include "kc_corpus.h"

SEC("kprobe/do_nanosleep")
static __attribute__((used)) int static_program(void *ctx)
{
	return 0;
}

KC_LICENSE;
