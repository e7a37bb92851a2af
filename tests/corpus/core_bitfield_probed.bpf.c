/* core_bitfield_probed: BPF_CORE_READ_BITFIELD_PROBED of task_struct
 * bitfields in_iowait and in_execve (present in every kernel, at different
 * bit offsets): FIELD_BYTE_OFFSET, FIELD_BYTE_SIZE, FIELD_LSHIFT_U64,
 * FIELD_RSHIFT_U64 and FIELD_SIGNED relocations.
 *
 * Expect: 6.1=passed_relocation 6.12=passed_relocation 6.18=passed_relocation running=passed_relocation
 * Expect-load: running=loaded
 */
#include "kc_corpus.h"

struct task_struct {
	unsigned in_execve : 1;
	unsigned in_iowait : 1;
} __attribute__((preserve_access_index));

SEC("kprobe/do_nanosleep")
int bitfield_probed(void *ctx)
{
	struct task_struct *t = (void *)bpf_get_current_task();

	return BPF_CORE_READ_BITFIELD_PROBED(t, in_iowait) +
	       BPF_CORE_READ_BITFIELD_PROBED(t, in_execve);
}

KC_LICENSE;
