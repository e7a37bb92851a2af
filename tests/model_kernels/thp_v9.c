/* Model kernel: BPF-THP v9, revision "v9".
 *
 * "[PATCH v9 mm-new 00/11] mm, bpf: BPF-MM, BPF-THP", Yafang Shao, 2025-09-30,
 * lore.kernel.org/linux-mm/20250930055826.9810-1-laoar.shao@gmail.com
 *   03/11 <20250930055826.9810-4-laoar.shao@gmail.com> "mm: thp: add support
 *         for BPF based THP order selection": typedef thp_order_fn_t,
 *         struct bpf_thp_ops { thp_order_fn_t __rcu *thp_get_order; },
 *         registered as "bpf_thp_ops" (mm/huge_memory_bpf.c, CONFIG_BPF_THP),
 *         and the kernel-side bpf_hook_thp_get_orders() (a global function,
 *         not a kfunc) that calls it;
 *   04/11 <20250930055826.9810-5-laoar.shao@gmail.com>: adds
 *         TVA_SWAP_PAGEFAULT to enum tva_type.
 * enum tva_type's other values are mm-new's at the time (include/linux/
 * huge_mm.h; the same four are in the 6.18 kernel's BTF).
 * v9 adds no kfunc. The RFC v10 cover letter (seed 004) summarises this
 * interface as "v4->v9: Simplify the interface to bpf_hook_thp_get_orders()";
 * RFC v10 keeps the callback but changes the struct (see thp_rfc_v10.c).
 * Not modelled: the member's __rcu annotation (see thp_rfc_v4.c).
 *
 * thp_withdrawn.c and thp_tagged_experimental.c include this file after
 * defining KC_BPF_THP_OPS_TAGS.
 */
#include "model_kernel.h"

#ifndef KC_BPF_THP_OPS_TAGS
#define KC_BPF_THP_OPS_TAGS
#endif

enum tva_type {
	TVA_SMAPS,		/* Exposing "THPeligible:" in smaps. */
	TVA_PAGEFAULT,		/* Serving a non-swap page fault. */
	TVA_KHUGEPAGED,		/* Khugepaged collapse. */
	TVA_FORCED_COLLAPSE,	/* Forced collapse (e.g. MADV_COLLAPSE). */
	TVA_SWAP_PAGEFAULT,	/* serving a swap page fault. */
};

typedef int thp_order_fn_t(struct vm_area_struct *vma, enum tva_type type, unsigned long orders);

struct KC_BPF_THP_OPS_TAGS bpf_thp_ops {
	thp_order_fn_t *thp_get_order;
};
KC_REGISTER_STRUCT_OPS(bpf_thp_ops);

KC_KERNEL_FUNC unsigned long bpf_hook_thp_get_orders(struct vm_area_struct *vma,
						     enum tva_type type,
						     unsigned long orders)
{
	return vma->vm_mm ? orders : 0;
}
