/* core_type_id_ambiguous: TYPE_ID_TARGET of 'struct console'. 6.12 and 6.18
 * BTF hold two different structs named console (printk's, 280 bytes, and
 * hvc_xen's, 40 bytes); both are candidates with different ids, so libbpf
 * fails the relocation ("relocation decision ambiguity"). 6.1 has one.
 *
 * Expect: 6.1=passed_relocation 6.12=relo_failed 6.18=relo_failed running=relo_failed
 * Expect-load: running=relo_failed
 */
#include "kc_corpus.h"

struct console {
	char name[16];
} __attribute__((preserve_access_index));

SEC("syscall")
int type_id_ambiguous(void *ctx)
{
	return bpf_core_type_id_kernel(struct console) != 0;
}

KC_LICENSE;
