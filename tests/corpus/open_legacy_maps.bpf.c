/* open_legacy_maps: a map defined the pre-1.0 way, a struct bpf_map_def in
 * SEC("maps"), which libbpf 1.x no longer reads: opening the object fails
 * on every kernel.
 *
 * Expect: 6.1=open_failed 6.12=open_failed 6.18=open_failed running=open_failed
 * Expect-load: running=open_failed
 * Expect-verdict: 6.1=open 6.12=open 6.18=open running=open
 */
#include "kc_corpus.h"

struct legacy_map_def {
	unsigned int type;
	unsigned int key_size;
	unsigned int value_size;
	unsigned int max_entries;
	unsigned int map_flags;
};

struct legacy_map_def SEC("maps") legacy_counts = {
	.type = 1, /* BPF_MAP_TYPE_HASH */
	.key_size = sizeof(__u32),
	.value_size = sizeof(__u64),
	.max_entries = 16,
};

SEC("kprobe/do_nanosleep")
int legacy_maps(void *ctx)
{
	__u32 key = 0;
	__u64 *value = bpf_map_lookup_elem(&legacy_counts, &key);

	return value ? 1 : 0;
}

KC_LICENSE;
