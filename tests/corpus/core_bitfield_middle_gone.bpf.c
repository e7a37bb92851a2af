/* core_bitfield_middle_gone: direct BPF_CORE_READ_BITFIELD of
 * task_struct.in_user_fault, which 6.1 has, 6.12 dropped and 6.18 has again
 * (present -> absent -> present). Unguarded: poisoned on 6.12 only.
 *
 * Expect: 6.1=passed_relocation 6.12=poisoned 6.18=passed_relocation running=passed_relocation
 * Expect-load: running=loaded
 */
#include "kc_corpus.h"

struct task_struct {
	unsigned in_user_fault : 1;
} __attribute__((preserve_access_index));

SEC("tp_btf/sched_switch")
int BPF_PROG(bitfield_middle_gone, bool preempt, struct task_struct *prev, struct task_struct *next)
{
	return BPF_CORE_READ_BITFIELD(next, in_user_fault);
}

KC_LICENSE;
