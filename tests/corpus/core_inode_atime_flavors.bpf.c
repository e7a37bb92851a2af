/* core_inode_atime_flavors: the inode.i_atime (timespec64, 6.1) ->
 * i_atime_sec (6.12, 6.18) change handled with ___flavour types and
 * bpf_core_field_exists, reading through direct loads in a tp_btf program
 * (bprm->file->f_inode). Each kernel poisons the other shape's (dead) load.
 *
 * Expect: 6.1=poisoned 6.12=poisoned 6.18=poisoned running=poisoned
 * Expect-load: running=loaded
 */
#include "kc_corpus.h"

struct timespec64 {
	long tv_sec;
	long tv_nsec;
};

struct inode___ts64 {
	struct timespec64 i_atime;
} __attribute__((preserve_access_index));

struct inode___sec {
	long i_atime_sec;
} __attribute__((preserve_access_index));

struct inode {
	unsigned long i_ino;
} __attribute__((preserve_access_index));

struct file {
	struct inode *f_inode;
} __attribute__((preserve_access_index));

struct linux_binprm {
	struct file *file;
} __attribute__((preserve_access_index));

struct task_struct;

SEC("tp_btf/sched_process_exec")
int BPF_PROG(atime_flavors, struct task_struct *p, pid_t old_pid, struct linux_binprm *bprm)
{
	struct inode *inode = bprm->file->f_inode;

	if (bpf_core_field_exists(struct inode___sec, i_atime_sec))
		return ((struct inode___sec *)inode)->i_atime_sec & 1;
	return ((struct inode___ts64 *)inode)->i_atime.tv_sec & 1;
}

KC_LICENSE;
