/* Model kernel: the mm types, no THP hook.
 *
 * A kernel like 6.18 as distributions build it: task_struct, mm_struct,
 * vm_area_struct, cgroup, mem_cgroup, oom_control (model_kernel.h) and
 * enum tva_type with the four values 6.18 has (its BTF has them), but no
 * bpf_thp_ops, no bpf_hook_thp_get_orders() and no THP kfunc: the answer of
 * `kcontract probe` must be "no revision".
 */
#include "model_kernel.h"

enum tva_type {
	TVA_SMAPS,		/* Exposing "THPeligible:" in smaps. */
	TVA_PAGEFAULT,		/* Serving a page fault. */
	TVA_KHUGEPAGED,		/* Khugepaged collapse. */
	TVA_FORCED_COLLAPSE,	/* Forced collapse (e.g. MADV_COLLAPSE). */
};

/* mm/huge_memory.c (6.18): puts enum tva_type into BTF, as in a real kernel. */
KC_KERNEL_FUNC unsigned long __thp_vma_allowable_orders(struct vm_area_struct *vma,
							vm_flags_t vm_flags,
							enum tva_type type,
							unsigned long orders)
{
	return type == TVA_SMAPS ? orders : 0;
}
