/* core_bitfield_direct: BPF_CORE_READ_BITFIELD (direct loads, tp_btf) of
 * task_struct.sched_reset_on_fork, present in every kernel: byte offset,
 * byte size, lshift, rshift and signed relocations on a direct LDX.
 *
 * Expect: 6.1=passed_relocation 6.12=passed_relocation 6.18=passed_relocation running=passed_relocation
 * Expect-load: running=loaded
 */
#include "kc_corpus.h"

struct task_struct {
	unsigned sched_reset_on_fork : 1;
} __attribute__((preserve_access_index));

SEC("tp_btf/sched_switch")
int BPF_PROG(bitfield_direct, bool preempt, struct task_struct *prev, struct task_struct *next)
{
	return BPF_CORE_READ_BITFIELD(prev, sched_reset_on_fork);
}

KC_LICENSE;
