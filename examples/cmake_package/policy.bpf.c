/* Looks a task up with whichever kfunc the kernel has (bpf_task_from_vpid
 * since 6.18, bpf_task_from_pid before), from one object: the smallest use
 * of <kcontract/kfunc_revisions.h>, built by this directory's CMakeLists.txt.
 */
#include <linux/types.h>
#include <bpf/bpf_helpers.h>
#include <kcontract/kfunc_revisions.h>

char LICENSE[] SEC("license") = "GPL";

struct task_struct {
	int tgid;
} __attribute__((preserve_access_index));

extern struct task_struct *bpf_task_from_vpid(__s32 vpid) KC_KFUNC_WEAK;
extern struct task_struct *bpf_task_from_pid(__s32 pid) KC_KFUNC_WEAK;
extern void bpf_task_release(struct task_struct *p) KC_KFUNC_WEAK;

KC_KFUNC_CHOICE(task_lookup, "bpf_task_from_vpid&bpf_task_release,"
			     "bpf_task_from_pid&bpf_task_release");

int tgid;

SEC("syscall")
int lookup_init(void *ctx)
{
	struct task_struct *task;

	if (KC_CHOSE(task_lookup, 0))
		task = bpf_task_from_vpid(1);
	else if (KC_CHOSE(task_lookup, 1))
		task = bpf_task_from_pid(1);
	else
		return 1;
	if (!task)
		return 2;
	tgid = task->tgid;
	bpf_task_release(task);
	return 0;
}
