/* open_freplace_no_target: an freplace program whose target program the
 * loader must give (bpf_program__set_attach_target) before load; as shipped,
 * libbpf refuses it.
 *
 * Expect: 6.1=prepare_failed 6.12=prepare_failed 6.18=prepare_failed running=prepare_failed
 * Expect-load: running=prepare_failed
 * Expect-verdict: 6.1=attach 6.12=attach 6.18=attach running=attach
 */
#include "kc_corpus.h"

SEC("freplace/kc_placeholder")
int freplace_no_target(void *ctx)
{
	return 0;
}

KC_LICENSE;
