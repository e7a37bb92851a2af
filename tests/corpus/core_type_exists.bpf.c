/* core_type_exists: CO-RE TYPE_EXISTS (bpf_core_type_exists) of types that
 * appeared after 6.1 (bpf_wq, bpf_arena, bpf_cpumask: in 6.12 and 6.18) and
 * of sched_ext_ops (in none: 6.1 predates sched_ext, 6.12 and 6.18 are
 * built without it). Never poisoned.
 *
 * Expect: 6.1=passed_relocation 6.12=passed_relocation 6.18=passed_relocation running=passed_relocation
 * Expect-load: running=loaded
 */
#include "kc_corpus.h"

struct bpf_wq { __u64 __opaque[2]; } __attribute__((preserve_access_index));
struct bpf_arena { __u64 user_vm_start; } __attribute__((preserve_access_index));
struct bpf_cpumask { int usage; } __attribute__((preserve_access_index));
struct sched_ext_ops { char name[128]; } __attribute__((preserve_access_index));

SEC("syscall")
int type_exists(void *ctx)
{
	return bpf_core_type_exists(struct bpf_wq) + bpf_core_type_exists(struct bpf_arena) * 2 +
	       bpf_core_type_exists(struct bpf_cpumask) * 4 +
	       bpf_core_type_exists(struct sched_ext_ops) * 8;
}

KC_LICENSE;
