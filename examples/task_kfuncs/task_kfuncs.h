/* What the task_kfuncs program and its loader share: the program's input
 * (the syscall program's context) and its output (the .bss variable
 * `task_info`). */
#ifndef KC_EXAMPLE_TASK_KFUNCS_H_
#define KC_EXAMPLE_TASK_KFUNCS_H_

#include <linux/types.h>

struct task_info_args {
	__s32 pid;  /* the task to describe, in the caller's pid namespace */
};

struct task_info {
	__s32 status;        /* 0, or why not: TASK_INFO_NO_LOOKUP, TASK_INFO_NO_TASK */
	__s32 pid;
	__s32 tgid;
	__s32 comm_len;
	char comm[16];
	__s32 lookup_kfunc;  /* the task_lookup candidate used: 0 vpid, 1 pid */
	__s32 length_kfunc;  /* the comm_length candidate used: 0 bpf_strnlen, -1 a loop */
};

#define TASK_INFO_NO_LOOKUP 1  /* no task lookup kfunc: not prepared by kcontract? */
#define TASK_INFO_NO_TASK 2    /* no task with that pid */

#endif /* KC_EXAMPLE_TASK_KFUNCS_H_ */
