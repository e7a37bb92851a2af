/* The THP policy for BPF-THP RFC v4, revision "rfc-v4" of bpf_thp_ops:
 *   int (*get_suggested_order)(struct mm_struct *mm, unsigned long tva_flags, int order);
 * (lore 20250729091807.84310-1-laoar.shao@gmail.com). The kernel passes the
 * order it would use; returning it leaves the kernel's choice alone. */
#include "thp_policy.h"
#include <bpf/bpf_tracing.h>
#include <kcontract/struct_ops_revisions.h>

/* libbpf 1.1 finds the kernel's table by this exact name: one revision's
 * definition per C file (see <kcontract/struct_ops_revisions.h>). */
struct bpf_thp_ops {
	int (*get_suggested_order)(struct mm_struct *mm, unsigned long tva_flags, int order);
};

SEC("struct_ops/thp_order_rfc_v4")
int BPF_PROG(thp_order_rfc_v4, struct mm_struct *mm, unsigned long tva_flags, int order)
{
	return kc_thp_base_pages_only(mm) ? 0 : order;
}

SEC(".struct_ops")
struct bpf_thp_ops thp_policy_rfc_v4 KC_STRUCT_OPS_REVISION("bpf_thp_ops", "rfc-v4") = {
	.get_suggested_order = (void *)thp_order_rfc_v4,
};
