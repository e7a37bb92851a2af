/* Model kernel: BPF-THP RFC v4, revision "rfc-v4".
 *
 * "[RFC PATCH v4 0/4] mm, bpf: BPF based THP order selection", Yafang Shao,
 * 2025-07-29, lore.kernel.org/linux-mm/20250729091807.84310-1-laoar.shao@gmail.com
 *   1/4 <20250729091807.84310-2-laoar.shao@gmail.com>: struct bpf_thp_ops with
 *       get_suggested_order(), registered as "bpf_thp_ops" (mm/bpf_thp.c,
 *       CONFIG_EXPERIMENTAL_BPF_ORDER_SELECTION), and the kernel-side
 *       get_suggested_order() that calls it;
 *   2/4 <...-3-...>: kfuncs bpf_mm_get_mem_cgroup(), bpf_put_mem_cgroup();
 *   3/4 <...-4-...>: kfunc bpf_mm_get_task().
 * Followed exactly: the struct_ops name, its member and the member's
 * prototype, the kfuncs' prototypes.
 * Not modelled: the member's __rcu annotation (a BTF type tag only when the
 * kernel is built by clang; distribution kernels built by gcc carry none);
 * TVA_IN_PF and the other tva_flags are #defines in this base (enum tva_type
 * came later), so they are not in BTF.
 */
#include "model_kernel.h"

struct bpf_thp_ops {
	int (*get_suggested_order)(struct mm_struct *mm, unsigned long tva_flags, int order);
};
KC_REGISTER_STRUCT_OPS(bpf_thp_ops);

/* include/linux/huge_mm.h: the kernel's caller of the hook (not a kfunc). */
KC_KERNEL_FUNC int get_suggested_order(struct mm_struct *mm, unsigned long tva_flags, int order)
{
	return order;
}

__bpf_kfunc struct mem_cgroup *bpf_mm_get_mem_cgroup(struct mm_struct *mm)
{
	return get_mem_cgroup_from_mm(mm);
}

__bpf_kfunc void bpf_put_mem_cgroup(struct mem_cgroup *memcg)
{
}

__bpf_kfunc struct task_struct *bpf_mm_get_task(struct mm_struct *mm)
{
	return mm ? mm->owner : NULL;
}
