/* core_enumval_value_guarded: CO-RE ENUMVAL_VALUE of BPF_MAP_TYPE_ARENA
 * (6.12+) and BPF_TRACE_UPROBE_SESSION (6.18 only), each guarded by
 * ENUMVAL_EXISTS. Where a value is missing its ENUMVAL_VALUE relocation is
 * poisoned (6.1: both; 6.12: the uprobe one), but the guard makes the
 * poisoned instruction dead code.
 *
 * Expect: 6.1=poisoned 6.12=poisoned 6.18=passed_relocation running=passed_relocation
 * Expect-load: running=loaded
 */
#include "kc_corpus.h"

enum bpf_map_type { BPF_MAP_TYPE_ARENA = 33 };
enum bpf_attach_type { BPF_TRACE_UPROBE_SESSION = 57 };

SEC("syscall")
int enumval_value_guarded(void *ctx)
{
	int v = 0;

	if (bpf_core_enum_value_exists(enum bpf_map_type, BPF_MAP_TYPE_ARENA))
		v += bpf_core_enum_value(enum bpf_map_type, BPF_MAP_TYPE_ARENA);
	if (bpf_core_enum_value_exists(enum bpf_attach_type, BPF_TRACE_UPROBE_SESSION))
		v += bpf_core_enum_value(enum bpf_attach_type, BPF_TRACE_UPROBE_SESSION);
	return v;
}

KC_LICENSE;
