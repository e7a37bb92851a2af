/* core_bitfield_gone: BPF_CORE_READ_BITFIELD_PROBED of
 * task_struct.in_lru_fault, a bitfield of 6.1 and 6.12 that 6.18 removed,
 * read without an existence check. On 6.18 all five relocations of the read
 * are poisoned, and the poisoned instructions are reachable, so the running
 * kernel's verifier rejects the program.
 *
 * Expect: 6.1=passed_relocation 6.12=passed_relocation 6.18=poisoned running=poisoned
 * Expect-load: running=poison_reached
 */
#include "kc_corpus.h"

struct task_struct {
	unsigned in_lru_fault : 1;
} __attribute__((preserve_access_index));

SEC("kprobe/do_nanosleep")
int bitfield_gone(void *ctx)
{
	struct task_struct *t = (void *)bpf_get_current_task();

	return BPF_CORE_READ_BITFIELD_PROBED(t, in_lru_fault);
}

KC_LICENSE;
