/* stage_order: two problems in one object, to pin libbpf's stage order
 * (externs are resolved before CO-RE relocation): a strong
 * bpf_task_from_pid (absent on 6.1) and a TYPE_ID_TARGET of the ambiguous
 * 'struct console' (two candidates on 6.12/6.18). 6.1 stops at the extern,
 * the others at the relocation.
 *
 * Expect: 6.1=extern_failed 6.12=relo_failed 6.18=relo_failed running=relo_failed
 * Expect-load: running=relo_failed
 */
#include "kc_corpus.h"

struct task_struct {
	int pid;
} __attribute__((preserve_access_index));

struct console {
	char name[16];
} __attribute__((preserve_access_index));

extern struct task_struct *bpf_task_from_pid(s32 pid) __ksym;
extern void bpf_task_release(struct task_struct *p) __ksym;

SEC("syscall")
int stage_order(void *ctx)
{
	struct task_struct *t = bpf_task_from_pid(1);

	if (t)
		bpf_task_release(t);
	return bpf_core_type_id_kernel(struct console) != 0;
}

KC_LICENSE;
