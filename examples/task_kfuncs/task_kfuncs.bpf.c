/* Describe a task (pid, tgid, comm and its length) with whichever kfuncs
 * the running kernel has, from one object:
 *
 *   task lookup   6.18: bpf_task_from_vpid (pid namespace aware)
 *                 6.12: bpf_task_from_pid (the initial namespace's pids)
 *                 6.1:  neither: the object cannot run (the loader refuses)
 *   comm length   6.18: bpf_strnlen; older: a bounded loop
 *
 * A syscall program: user space runs it with BPF_PROG_TEST_RUN, passing
 * struct task_info_args, and reads struct task_info back from .bss
 * (task_kfuncs.c). Syscall programs may call the generic kfuncs (task
 * acquire/release, lookups, string kfuncs) since 6.10 (kernel/bpf/helpers.c
 * registers generic_kfunc_set for BPF_PROG_TYPE_SYSCALL).
 */
#include <linux/types.h>
#include <bpf/bpf_helpers.h>
#include <kcontract/kfunc_revisions.h>

#include "task_kfuncs.h"

char LICENSE[] SEC("license") = "GPL";

/* The members read, found by CO-RE in whichever kernel runs this. */
struct task_struct {
	int pid;
	int tgid;
	char comm[16];
} __attribute__((preserve_access_index));

extern struct task_struct *bpf_task_from_vpid(__s32 vpid) KC_KFUNC_WEAK;
extern struct task_struct *bpf_task_from_pid(__s32 pid) KC_KFUNC_WEAK;
extern void bpf_task_release(struct task_struct *p) KC_KFUNC_WEAK;
extern int bpf_strnlen(const char *s__ign, __u64 count) KC_KFUNC_WEAK;

KC_KFUNC_CHOICE(task_lookup, "bpf_task_from_vpid&bpf_task_release,"
			     "bpf_task_from_pid&bpf_task_release");
KC_KFUNC_OPTIONAL(comm_length, "bpf_strnlen");

struct task_info task_info;

static __always_inline int comm_length(const char *comm)
{
	int n;

	if (KC_CHOSE(comm_length, 0))
		return bpf_strnlen(comm, 16);
	for (n = 0; n < 16 && comm[n]; n++)
		;
	return n;
}

SEC("syscall")
int describe_task(struct task_info_args *args)
{
	struct task_struct *task;

	task_info.lookup_kfunc = KC_CHOSEN(task_lookup);
	task_info.length_kfunc = KC_CHOSEN(comm_length);
	if (KC_CHOSE(task_lookup, 0))
		task = bpf_task_from_vpid(args->pid);
	else if (KC_CHOSE(task_lookup, 1))
		task = bpf_task_from_pid(args->pid);
	else
		return task_info.status = TASK_INFO_NO_LOOKUP;
	if (!task)
		return task_info.status = TASK_INFO_NO_TASK;
	task_info.pid = task->pid;
	task_info.tgid = task->tgid;
	bpf_probe_read_kernel_str(task_info.comm, sizeof(task_info.comm), task->comm);
	bpf_task_release(task);
	task_info.comm_len = comm_length(task_info.comm);
	return task_info.status = 0;
}
