/* Model kernel: BPF-THP RFC v10, revision "rfc-v10".
 *
 * "[RFC PATCH v10 mm-new 0/9] mm, bpf: BPF-MM, BPF-THP", Yafang Shao,
 * 2025-10-15 (seed 004), lore.kernel.org/linux-mm/20251015141716.887-1-laoar.shao@gmail.com
 *   3/9 <20251015141716.887-4-laoar.shao@gmail.com>: the same thp_order_fn_t
 *       callback and bpf_hook_thp_get_orders() as v9, but struct bpf_thp_ops
 *       gains `pid_t pid` (the process to attach to) before the callback and
 *       a private `struct bpf_thp_mm_list mm_list` after it, and mm_struct
 *       gains `struct bpf_mm_ops bpf_mm` (CONFIG_BPF_MM, CONFIG_BPF_THP);
 *   4/9: enum tva_type with TVA_SWAP_PAGEFAULT, as in v9.
 * So "which revision" is not only the callback's prototype: v9 and RFC v10
 * share it and still differ in the struct_ops type.
 * Not modelled: bpf_thp_exit_mm(), bpf_thp_retain_mm(), bpf_thp_fork()
 * (kernel-internal), the member's __rcu annotation (see thp_rfc_v4.c).
 */
#define KC_MM_STRUCT_EXTRA                                                 \
	struct bpf_mm_ops {                                                \
		struct bpf_thp_ops *bpf_thp;                               \
		struct list_head bpf_thp_list;                             \
	} bpf_mm;
#include "model_kernel.h"

enum tva_type {
	TVA_SMAPS,		/* Exposing "THPeligible:" in smaps. */
	TVA_PAGEFAULT,		/* Serving a non-swap page fault. */
	TVA_KHUGEPAGED,		/* Khugepaged collapse. */
	TVA_FORCED_COLLAPSE,	/* Forced collapse (e.g. MADV_COLLAPSE). */
	TVA_SWAP_PAGEFAULT,	/* serving a swap page fault. */
};

typedef int thp_order_fn_t(struct vm_area_struct *vma, enum tva_type type, unsigned long orders);

struct bpf_thp_mm_list {
	struct list_head list;
};

struct bpf_thp_ops {
	pid_t pid; /* The pid to attach */
	thp_order_fn_t *thp_get_order;

	/* private*/
	/* The list of mm_struct this ops is operated on */
	struct bpf_thp_mm_list mm_list;
};
KC_REGISTER_STRUCT_OPS(bpf_thp_ops);

KC_KERNEL_FUNC unsigned long bpf_hook_thp_get_orders(struct vm_area_struct *vma,
						     enum tva_type type,
						     unsigned long orders)
{
	return vma->vm_mm && vma->vm_mm->bpf_mm.bpf_thp ? orders : 0;
}
