/* The THP policy for BPF-THP v9, revision "v9" of bpf_thp_ops:
 *   typedef int thp_order_fn_t(struct vm_area_struct *vma, enum tva_type type,
 *                              unsigned long orders);
 *   struct bpf_thp_ops { thp_order_fn_t *thp_get_order; };
 * called from bpf_hook_thp_get_orders(vma, type, orders) (lore
 * 20250930055826.9810-1-laoar.shao@gmail.com). The callback answers with the
 * order to use among `orders`: 0 for 4 KB, the largest offered otherwise. */
#include "thp_policy.h"
#include <bpf/bpf_tracing.h>
#include <kcontract/struct_ops_revisions.h>

struct vm_area_struct {
	struct mm_struct *vm_mm;
} __attribute__((preserve_access_index));

/* v9's enum; the policy does not look at it, but the prototype names it. */
enum tva_type {
	TVA_SMAPS,
	TVA_PAGEFAULT,
	TVA_KHUGEPAGED,
	TVA_FORCED_COLLAPSE,
	TVA_SWAP_PAGEFAULT,
};

struct bpf_thp_ops {
	int (*thp_get_order)(struct vm_area_struct *vma, enum tva_type type, unsigned long orders);
};

SEC("struct_ops/thp_order_v9")
int BPF_PROG(thp_order_v9, struct vm_area_struct *vma, enum tva_type type, unsigned long orders)
{
	if (kc_thp_base_pages_only(vma->vm_mm))
		return 0;
	return kc_thp_highest_order(orders);
}

SEC(".struct_ops")
struct bpf_thp_ops thp_policy_v9 KC_STRUCT_OPS_REVISION("bpf_thp_ops", "v9") = {
	.thp_get_order = (void *)thp_order_v9,
};
