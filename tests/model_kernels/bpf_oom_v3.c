/* Model kernel: BPF OOM v3, bpf_oom_ops attached through cgroup struct_ops
 * links + the kfuncs of the series whose v3 text was found.
 *
 * "[PATCH bpf-next v3 00/17] mm: BPF OOM", Roman Gushchin, 2026-01-27,
 * lore.kernel.org/linux-mm/20260127024421.494929-1-roman.gushchin@linux.dev
 * Followed:
 *   07/17 <20260127024421.494929-8-roman.gushchin@linux.dev> "mm: introduce
 *         BPF OOM struct ops": the commit message (patchew's copy of -8):
 *         the callback "receives struct oom_control as an argument" and
 *         "bpf_struct_ops_link as the second argument, so it can detect the
 *         cgroup level at which this specific instance is attached"; "the
 *         struct ops has the name field". The replies quoting the patch
 *         (Martin KaFai Lau, lkml.iu.edu 2601.3/08465, and 2602.0/01949)
 *         show bpf_handle_oom() calling bpf_ops_handle_oom(ops, st_link, oc),
 *         oc->bpf_memory_freed, and bpf_oom_ops_reg() reading
 *         st_link->cgroup (struct_ops links gained a cgroup in 02/17). The
 *         header's text as posted, `int (*handle_out_of_memory)(struct
 *         oom_control *oc, struct bpf_struct_ops_link *st_link); char
 *         name[BPF_OOM_NAME_MAX_LEN];`, was read from the BPF CI's copy of
 *         the posting (github.com/kernel-patches/bpf, include/linux/bpf_oom.h
 *         at 1ab98bb59cc1, whose mm/bpf_oom.c is the quoted one line for
 *         line); that copy also has oom_control's bpf_handler_name (v2's
 *         bpf_policy_name, renamed). No struct bpf_oom_ctx and no
 *         handle_cgroup_offline any more.
 *   08/17 <...494929-9-...> "mm: introduce bpf_oom_kill_process() bpf
 *         kfunc": parameters (oc, task, message__str) from its kernel-doc as
 *         quoted in the thread (lkml.iu.edu 2604.3/08958).
 *   10/17 <...494929-11-...> (patchew's copy): `bool
 *         bpf_task_is_oom_victim(struct task_struct *task)`, and the kfunc
 *         set { bpf_oom_kill_process KF_SLEEPABLE, bpf_task_is_oom_victim }.
 * Assumed: bpf_oom_kill_process returns int (v2's type; the quoted v3 text
 * stops before it). The members of struct bpf_struct_ops_link and bpf_link
 * are a subset (6.18's names) plus `cgroup`, placed by us.
 * Not modelled: 09/17 <...494929-10-...> bpf_out_of_memory(): its commit
 * message (openwall, linux-kernel 2026/01/28/1802) names a memcg, the order
 * and a flags word (BPF_OOM_FLAGS_WAIT_ON_OOM_LOCK), but its full prototype
 * (whether v2's constraint_text__nullable stayed) was not found; the
 * series' bpf_psi_ops and memcg kfuncs.
 */
#define KC_OOM_CONTROL_EXTRA                                               \
	bool bpf_memory_freed;                                             \
	const char *bpf_handler_name;
#include "model_kernel.h"

#define BPF_OOM_NAME_MAX_LEN 64

struct bpf_map;

struct bpf_link {
	atomic64_t refcnt;
	u32 id;
	u32 flags;
};

struct bpf_struct_ops_link {
	struct bpf_link link;
	struct bpf_map *map;
	struct cgroup *cgroup;
};

struct bpf_oom_ops {
	int (*handle_out_of_memory)(struct oom_control *oc, struct bpf_struct_ops_link *st_link);
	char name[BPF_OOM_NAME_MAX_LEN];
};
KC_REGISTER_STRUCT_OPS(bpf_oom_ops);

/* Held by value so that clang emits the link's members, not a FWD. */
struct bpf_struct_ops_link kc_model_st_link;

KC_KERNEL_FUNC bool bpf_handle_oom(struct oom_control *oc)
{
	return oc->bpf_memory_freed;
}

__bpf_kfunc int bpf_oom_kill_process(struct oom_control *oc, struct task_struct *task,
				     const char *message__str)
{
	return task ? 0 : -22;
}

__bpf_kfunc bool bpf_task_is_oom_victim(struct task_struct *task)
{
	return task->exit_state != 0;
}
