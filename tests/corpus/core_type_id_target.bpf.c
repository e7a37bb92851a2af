/* core_type_id_target: CO-RE TYPE_ID_TARGET (bpf_core_type_id_kernel) of
 * task_struct (everywhere) and of bpf_wq (6.12 and 6.18, absent on 6.1: a
 * type-based relocation of a missing type resolves to 0, not poisoned).
 *
 * Expect: 6.1=passed_relocation 6.12=passed_relocation 6.18=passed_relocation running=passed_relocation
 * Expect-load: running=loaded
 */
#include "kc_corpus.h"

struct task_struct {
	int pid;
} __attribute__((preserve_access_index));

struct bpf_wq {
	__u64 __opaque[2];
} __attribute__((preserve_access_index));

SEC("syscall")
int type_id_target(void *ctx)
{
	return bpf_core_type_id_kernel(struct task_struct) != 0 &&
	       bpf_core_type_id_kernel(struct bpf_wq) != 0;
}

KC_LICENSE;
