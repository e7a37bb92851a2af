/* tp_btf_hrtimer_init: a tp_btf program on hrtimer_init, a tracepoint 6.18
 * no longer has (replaced by hrtimer_setup): present on 6.1 and 6.12.
 *
 * Expect: 6.1=passed_relocation 6.12=passed_relocation 6.18=attach_target_missing running=attach_target_missing
 * Expect-load: running=attach_target_missing
 */
#include "kc_corpus.h"

SEC("tp_btf/hrtimer_init")
int BPF_PROG(on_hrtimer_init, void *hrtimer, int clockid, int mode)
{
	return 0;
}

KC_LICENSE;
