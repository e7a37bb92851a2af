/* core_field_signed: CO-RE FIELD_SIGNED (bpf_core_field_signed) on
 * cgroup_freezer_state.e_freeze, really an int (signed) on 6.1 and 6.12 and
 * a bool (unsigned) on 6.18, and on task_struct.pid (signed everywhere).
 *
 * Expect: 6.1=passed_relocation 6.12=passed_relocation 6.18=passed_relocation running=passed_relocation
 * Expect-load: running=loaded
 */
#include "kc_corpus.h"

struct cgroup_freezer_state {
	int e_freeze;
} __attribute__((preserve_access_index));

struct task_struct {
	int pid;
} __attribute__((preserve_access_index));

SEC("kprobe/do_nanosleep")
int field_signed(void *ctx)
{
	struct cgroup_freezer_state *f = 0;
	struct task_struct *t = 0;

	return __builtin_preserve_field_info(f->e_freeze, BPF_FIELD_SIGNED) * 2 +
	       __builtin_preserve_field_info(t->pid, BPF_FIELD_SIGNED);
}

KC_LICENSE;
