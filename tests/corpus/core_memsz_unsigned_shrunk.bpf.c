/* core_memsz_unsigned_shrunk: a direct 8-byte load (tp_btf) of
 * inode.i_state declared 'unsigned long' (as on 6.1). 6.12 shrank it to a
 * 4-byte unsigned int: libbpf narrows the load ("mem_sz 8 -> 4"). 6.18 made
 * it an enum: an INT field does not match an ENUM one ("non-matching
 * candidate"), so the field counts as missing and the reachable load is
 * poisoned.
 *
 * Expect: 6.1=passed_relocation 6.12=passed_relocation 6.18=poisoned running=poisoned
 * Expect-load: running=poison_reached
 */
#include "kc_corpus.h"

struct inode {
	unsigned long i_state;
} __attribute__((preserve_access_index));

struct file {
	struct inode *f_inode;
} __attribute__((preserve_access_index));

struct linux_binprm {
	struct file *file;
} __attribute__((preserve_access_index));

struct task_struct;

SEC("tp_btf/sched_process_exec")
int BPF_PROG(memsz_unsigned, struct task_struct *p, pid_t old_pid, struct linux_binprm *bprm)
{
	return bprm->file->f_inode->i_state & 1;
}

KC_LICENSE;
