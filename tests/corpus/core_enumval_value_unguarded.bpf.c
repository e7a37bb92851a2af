/* core_enumval_value_unguarded: CO-RE ENUMVAL_VALUE of BPF_MAP_TYPE_ARENA
 * without an existence check: poisoned on 6.1, whose enum bpf_map_type
 * lacks it.
 *
 * Expect: 6.1=poisoned 6.12=passed_relocation 6.18=passed_relocation running=passed_relocation
 * Expect-load: running=loaded
 */
#include "kc_corpus.h"

enum bpf_map_type { BPF_MAP_TYPE_ARENA = 33 };

SEC("syscall")
int enumval_value_unguarded(void *ctx)
{
	return bpf_core_enum_value(enum bpf_map_type, BPF_MAP_TYPE_ARENA);
}

KC_LICENSE;
