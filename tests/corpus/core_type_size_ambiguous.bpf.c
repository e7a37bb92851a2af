/* core_type_size_ambiguous: TYPE_SIZE of 'struct remap_data'. 6.1 and 6.12
 * BTF hold two structs of that name (mm/memory.c's, 32 bytes, and Xen's,
 * 104 bytes): relocation decision ambiguity, a hard failure. 6.18 has none,
 * so the type-based relocation resolves to 0.
 *
 * Expect: 6.1=relo_failed 6.12=relo_failed 6.18=passed_relocation running=passed_relocation
 * Expect-load: running=loaded
 */
#include "kc_corpus.h"

struct remap_data {
	unsigned long *pfn;
} __attribute__((preserve_access_index));

SEC("syscall")
int type_size_ambiguous(void *ctx)
{
	return bpf_core_type_size(struct remap_data);
}

KC_LICENSE;
