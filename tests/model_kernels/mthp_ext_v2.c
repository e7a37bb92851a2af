/* Model kernel: mthp_ext v2 (NACKed), bpf_mthp_ops + its kfuncs.
 *
 * "[PATCH v2 0/4] mm: introduce mthp_ext via cgroup-bpf to make mTHP more
 * transparent", Vernon Yang, 2026-05-08 (seed 003; v1:
 * lore.kernel.org/linux-mm/20260503165024.1526680-1-vernon2gm@gmail.com).
 * Source of the declarations: the series as kept by the BPF CI in
 * github.com/kernel-patches/bpf, include/linux/bpf_huge_memory.h and
 * mm/bpf_huge_memory.c, and its sample samples/bpf/mthp_ext.bpf.c.
 * Followed exactly: struct bpf_mthp_ops { mthp_choose(struct cgroup *,
 * unsigned long) } registered as "bpf_mthp_ops"; the kernel-side
 * bpf_mthp_choose(struct mm_struct *, unsigned long); struct cgroup's new
 * `struct bpf_mthp_ops *mthp_ops` (cgroup-defs.h); enum psi_states as the
 * 6.18 kernel's BTF has it.
 * ASSUMED (the patch text of 2/4 "bpf: add bpf_cgroup_{flush_stats,stall}
 * function" was not found): the kfuncs' prototypes. bpf_cgroup_stall()
 * returns u64 (the v2 changelog: "fix return type to u64") and takes the
 * cgroup and a PSI state (the sample calls bpf_cgroup_stall(cgrp,
 * PSI_MEM_FULL), an enum psi_states value; "Add bounds check" fits an index
 * below NR_PSI_STATES); bpf_cgroup_flush_stats() takes the cgroup and
 * returns nothing, like its memcg sibling bpf_mem_cgroup_flush_stats().
 * The parameter names and the place of mthp_ops in struct cgroup are ours.
 * Also here: the upstream memcg kfuncs the series' base has and its sample
 * calls (bpf_get_mem_cgroup, bpf_put_mem_cgroup, bpf_mem_cgroup_flush_stats,
 * bpf_mem_cgroup_page_state; "landed" per seed 001), with their upstream
 * prototypes.
 */
#define KC_CGROUP_EXTRA struct bpf_mthp_ops *mthp_ops;
#include "model_kernel.h"

#ifndef KC_MTHP_TAGS
#define KC_MTHP_TAGS
#endif

enum psi_states {
	PSI_IO_SOME,
	PSI_IO_FULL,
	PSI_MEM_SOME,
	PSI_MEM_FULL,
	PSI_CPU_SOME,
	PSI_CPU_FULL,
	PSI_NONIDLE,
	NR_PSI_STATES,
};

struct KC_MTHP_TAGS bpf_mthp_ops {
	unsigned long (*mthp_choose)(struct cgroup *cgrp, unsigned long orders);
};
KC_REGISTER_STRUCT_OPS(bpf_mthp_ops);

/* mm/bpf_huge_memory.c: the kernel's caller of the hook (not a kfunc). */
KC_KERNEL_FUNC unsigned long bpf_mthp_choose(struct mm_struct *mm, unsigned long orders)
{
	return mm ? orders : 0;
}

/* 2/4: the series' own kfuncs (prototypes ASSUMED, see above). */
__bpf_kfunc KC_MTHP_TAGS void bpf_cgroup_flush_stats(struct cgroup *cgrp)
{
}

__bpf_kfunc KC_MTHP_TAGS u64 bpf_cgroup_stall(struct cgroup *cgrp, enum psi_states state)
{
	return state < NR_PSI_STATES ? (u64)cgrp->level : 0;
}

/* Upstream memcg kfuncs (mm/bpf_memcontrol.c) the sample uses. */
__bpf_kfunc struct mem_cgroup *bpf_get_mem_cgroup(struct cgroup_subsys_state *css)
{
	return NULL;
}

__bpf_kfunc void bpf_put_mem_cgroup(struct mem_cgroup *memcg)
{
}

__bpf_kfunc void bpf_mem_cgroup_flush_stats(struct mem_cgroup *memcg)
{
}

__bpf_kfunc unsigned long bpf_mem_cgroup_page_state(struct mem_cgroup *memcg, int idx)
{
	return idx < 0 ? (unsigned long)-1 : 0;
}
