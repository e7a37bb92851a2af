/* open_freplace_no_target: an freplace program whose target program the
 * loader must give (bpf_program__set_attach_target) before load; as shipped,
 * libbpf refuses it.
 *
 * Expect: 6.1=open_failed 6.12=open_failed 6.18=open_failed running=open_failed
 * Expect-load: running=open_failed
 * Expect-verdict: 6.1=open 6.12=open 6.18=open running=open
 */
#include "kc_corpus.h"

SEC("freplace/kc_placeholder")
int freplace_no_target(void *ctx)
{
	return 0;
}

KC_LICENSE;
