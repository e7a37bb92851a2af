/* The THP order policy of the BPF-THP threads (../shared/seeds 000, 004),
 * written once for every revision of the hook: 4 KB pages only while the
 * system is under memory pressure or for small processes; otherwise no
 * restriction, the largest order the kernel offers.
 *
 * Each revision's C file (thp_rfc_v4.bpf.c, thp_v9.bpf.c) includes this
 * header and adapts the callback it has to kc_thp_base_pages_only(); the
 * settings live in thp_policy.bpf.c. The three are linked into one object
 * (README.md): kcontract's loader helper keeps the revision the kernel has.
 */
#ifndef KC_EXAMPLE_THP_POLICY_H_
#define KC_EXAMPLE_THP_POLICY_H_

#include <linux/types.h>
#include <bpf/bpf_helpers.h>

/* What the policy reads of the kernel's mm_struct; CO-RE finds the member
 * wherever the kernel puts it (6.18 nests it in an anonymous struct). */
struct mm_struct {
	unsigned long total_vm;
} __attribute__((preserve_access_index));

/* Settings user space writes (the .data map, or its initial value before
 * the load): memory pressure comes from whoever watches it, e.g. a daemon
 * reading /proc/pressure/memory; the BPF side only obeys. */
extern volatile __u32 kc_thp_under_pressure;       /* non-zero: 4 KB only */
extern volatile __u64 kc_thp_small_process_pages;  /* below this total_vm: 4 KB only */

static __always_inline int kc_thp_base_pages_only(const struct mm_struct *mm)
{
	if (kc_thp_under_pressure)
		return 1;
	/* No mm (a kernel thread's request): nothing to decide for, stay small. */
	if (!mm)
		return 1;
	return mm->total_vm < kc_thp_small_process_pages;
}

/* The largest order in a bitmask of orders the kernel offers; 0 for none. */
static __always_inline int kc_thp_highest_order(unsigned long orders)
{
	int order;

	for (order = 63; order > 0; order--) {
		if (orders & (1UL << order))
			return order;
	}
	return 0;
}

#endif /* KC_EXAMPLE_THP_POLICY_H_ */
