/* core_field_byte_off: CO-RE FIELD_BYTE_OFFSET through bpf_probe_read_kernel
 * (BPF_CORE_READ), including a pointer chase (task->real_parent->tgid).
 * task_struct.pid/tgid/real_parent exist in every kernel at different
 * offsets (pid: 2416 on 6.1, 2432 on 6.12, 1264 on 6.18), so all relocate.
 *
 * Expect: 6.1=passed_relocation 6.12=passed_relocation 6.18=passed_relocation running=passed_relocation
 * Expect-load: running=loaded
 */
#include "kc_corpus.h"

struct task_struct {
	int pid;
	int tgid;
	struct task_struct *real_parent;
} __attribute__((preserve_access_index));

SEC("kprobe/do_nanosleep")
int byte_off(void *ctx)
{
	struct task_struct *t = (void *)bpf_get_current_task();

	return BPF_CORE_READ(t, pid) + BPF_CORE_READ(t, real_parent, tgid);
}

KC_LICENSE;
