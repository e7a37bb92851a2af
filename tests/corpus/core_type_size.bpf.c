/* core_type_size: CO-RE TYPE_SIZE (bpf_core_type_size) of task_struct (a
 * different size in each kernel) and of bpf_wq (absent on 6.1: resolves to
 * 0, not poisoned).
 *
 * Expect: 6.1=passed_relocation 6.12=passed_relocation 6.18=passed_relocation running=passed_relocation
 * Expect-load: running=loaded
 */
#include "kc_corpus.h"

struct task_struct { int pid; } __attribute__((preserve_access_index));
struct bpf_wq { __u64 __opaque[2]; } __attribute__((preserve_access_index));

SEC("syscall")
int type_size(void *ctx)
{
	return bpf_core_type_size(struct task_struct) + bpf_core_type_size(struct bpf_wq);
}

KC_LICENSE;
