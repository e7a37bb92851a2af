/* Model kernel: BPF OOM v2, bpf_oom_ops + its kfuncs.
 *
 * "[PATCH v2 00/23] mm: BPF OOM", Roman Gushchin, 2025-10-27,
 * lore.kernel.org/linux-mm/20251027231727.472628-1-roman.gushchin@linux.dev
 * (patches 11-23 were sent as 20251027232206.473085-*):
 *   06/23 <20251027231727.472628-7-roman.gushchin@linux.dev> "mm: introduce
 *         BPF struct ops for OOM handling": struct bpf_oom_ctx, struct
 *         bpf_oom_ops (handle_out_of_memory, handle_cgroup_offline, name),
 *         registered as "bpf_oom_ops"; mem_cgroup's `bpf_oom` after
 *         oom_group; oom_control's bpf_memory_freed and bpf_policy_name;
 *         bpf_handle_oom() and bpf_oom_memcg_offline() (not kfuncs);
 *   07/23 <...472628-8-...>: kfunc bpf_oom_kill_process();
 *   bpf_out_of_memory() with (memcg__nullable, order, flags), to which
 *   14/23 <20251027232206.473085-4-roman.gushchin@linux.dev> adds
 *         constraint_text__nullable, CONSTRAINT_BPF and oom_control's
 *         bpf_constraint;
 *   15/23 <20251027232206.473085-5-roman.gushchin@linux.dev>: kfunc
 *         bpf_task_is_oom_victim().
 * Followed exactly: the above. The series' next revision, v3, is
 * bpf_oom_v3.c. Not modelled: the series' bpf_psi_ops struct_ops and its
 * memcg kfuncs, enum bpf_oom_flags (not referenced by any BTF type).
 */
#define KC_MEM_CGROUP_EXTRA struct bpf_oom_ops *bpf_oom;
#define KC_OOM_CONSTRAINT_EXTRA CONSTRAINT_BPF,
#define KC_OOM_CONTROL_EXTRA                                               \
	bool bpf_memory_freed;                                             \
	const char *bpf_policy_name;                                       \
	const char *bpf_constraint;
#include "model_kernel.h"

#define BPF_OOM_NAME_MAX_LEN 64

struct bpf_oom_ctx {
	/*
	 * If bpf_oom_ops is attached to a cgroup, id of this cgroup.
	 * 0 otherwise.
	 */
	u64 cgroup_id;
};

struct bpf_oom_ops {
	int (*handle_out_of_memory)(struct bpf_oom_ctx *ctx, struct oom_control *oc);
	void (*handle_cgroup_offline)(struct bpf_oom_ctx *ctx, u64 cgroup_id);
	char name[BPF_OOM_NAME_MAX_LEN];
};
KC_REGISTER_STRUCT_OPS(bpf_oom_ops);

KC_KERNEL_FUNC bool bpf_handle_oom(struct oom_control *oc)
{
	return oc->bpf_memory_freed;
}

KC_KERNEL_FUNC void bpf_oom_memcg_offline(struct mem_cgroup *memcg)
{
}

__bpf_kfunc int bpf_oom_kill_process(struct oom_control *oc, struct task_struct *task,
				     const char *message__str)
{
	return task ? 0 : -22;
}

__bpf_kfunc int bpf_out_of_memory(struct mem_cgroup *memcg__nullable, int order, u64 flags,
				  const char *constraint_text__nullable)
{
	return order < 0 ? -22 : 0;
}

__bpf_kfunc bool bpf_task_is_oom_victim(struct task_struct *task)
{
	return task->exit_state != 0;
}
