/* core_type_id_local: CO-RE TYPE_ID_LOCAL (bpf_core_type_id_local): the
 * object's own BTF id, resolved without any kernel type.
 *
 * Expect: 6.1=passed_relocation 6.12=passed_relocation 6.18=passed_relocation running=passed_relocation
 * Expect-load: running=loaded
 */
#include "kc_corpus.h"

struct task_struct {
	int pid;
} __attribute__((preserve_access_index));

SEC("syscall")
int type_id_local(void *ctx)
{
	return bpf_core_type_id_local(struct task_struct);
}

KC_LICENSE;
