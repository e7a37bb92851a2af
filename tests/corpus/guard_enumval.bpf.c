/* guard_enumval: an enumerator read behind bpf_core_enum_value_exists():
 * BPF_MAP_TYPE_ARENA (6.9) is missing on 6.1, where its value relocation is
 * poisoned and dead.
 *
 * Expect: 6.1=poisoned 6.12=passed_relocation 6.18=passed_relocation running=passed_relocation
 * Expect-load: running=loaded
 * Expect-verdict: 6.1=loads 6.12=loads 6.18=loads running=loads
 */
#include "kc_corpus.h"

enum bpf_map_type {
	BPF_MAP_TYPE_ARENA = 33,
};

SEC("kprobe/do_nanosleep")
int enumval(void *ctx)
{
	if (bpf_core_enum_value_exists(enum bpf_map_type, BPF_MAP_TYPE_ARENA))
		return bpf_core_enum_value(enum bpf_map_type, BPF_MAP_TYPE_ARENA);
	return 0;
}

KC_LICENSE;
