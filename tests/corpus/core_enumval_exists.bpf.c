/* core_enumval_exists: CO-RE ENUMVAL_EXISTS on values added after 6.1:
 * BPF_MAP_TYPE_ARENA (6.12, 6.18) and BPF_TRACE_UPROBE_SESSION (6.18 only).
 * Never poisoned.
 *
 * Expect: 6.1=passed_relocation 6.12=passed_relocation 6.18=passed_relocation running=passed_relocation
 * Expect-load: running=loaded
 */
#include "kc_corpus.h"

enum bpf_map_type { BPF_MAP_TYPE_ARENA = 33 };
enum bpf_attach_type { BPF_TRACE_UPROBE_SESSION = 57 };

SEC("syscall")
int enumval_exists(void *ctx)
{
	return bpf_core_enum_value_exists(enum bpf_map_type, BPF_MAP_TYPE_ARENA) +
	       bpf_core_enum_value_exists(enum bpf_attach_type, BPF_TRACE_UPROBE_SESSION) * 2;
}

KC_LICENSE;
