/* core_task_state_flavors: the classic task_struct.state (before 5.14) ->
 * __state rename with a ___pre514 flavour guarded by bpf_core_field_exists.
 * No shared kernel has 'state', so every kernel poisons the dead fallback.
 *
 * Expect: 6.1=poisoned 6.12=poisoned 6.18=poisoned running=poisoned
 * Expect-load: running=loaded
 */
#include "kc_corpus.h"

struct task_struct {
	unsigned int __state;
} __attribute__((preserve_access_index));

struct task_struct___pre514 {
	long state;
} __attribute__((preserve_access_index));

SEC("kprobe/do_nanosleep")
int task_state(void *ctx)
{
	struct task_struct *t = (void *)bpf_get_current_task();

	if (bpf_core_field_exists(struct task_struct___pre514, state))
		return BPF_CORE_READ((struct task_struct___pre514 *)t, state);
	return BPF_CORE_READ(t, __state);
}

KC_LICENSE;
