/* core_field_byte_size: CO-RE FIELD_BYTE_SIZE (bpf_core_field_size) of
 * task_struct.comm (16 everywhere) and flow_dissector.used_keys, whose size
 * really changed: unsigned int (4) on 6.1, unsigned long long (8) on 6.12
 * and 6.18. A size relocation never fails while the field matches.
 *
 * Expect: 6.1=passed_relocation 6.12=passed_relocation 6.18=passed_relocation running=passed_relocation
 * Expect-load: running=loaded
 */
#include "kc_corpus.h"

struct task_struct {
	char comm[16];
} __attribute__((preserve_access_index));

struct flow_dissector {
	unsigned int used_keys;
} __attribute__((preserve_access_index));

SEC("kprobe/do_nanosleep")
int byte_size(void *ctx)
{
	struct task_struct *t = (void *)bpf_get_current_task();
	struct flow_dissector *fd = 0;

	return bpf_core_field_size(t->comm) + bpf_core_field_size(fd->used_keys);
}

KC_LICENSE;
