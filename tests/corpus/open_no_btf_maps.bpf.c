/* open_no_btf_maps: a BTF-defined map (SEC(".maps")) in an object built
 * without -g: with no .BTF, libbpf 1.1.2 cannot read the map's definition
 * and the program's reference to it cannot be relocated.
 *
 * Build: no_btf
 * Expect: 6.1=open_failed 6.12=open_failed 6.18=open_failed running=open_failed
 * Expect-load: running=open_failed
 * Expect-verdict: 6.1=open 6.12=open 6.18=open running=open
 */
#include "kc_corpus.h"

struct {
	__uint(type, 2); /* BPF_MAP_TYPE_ARRAY */
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} counts SEC(".maps");

SEC("kprobe/do_nanosleep")
int no_btf_maps(void *ctx)
{
	__u32 key = 0;
	__u64 *value = bpf_map_lookup_elem(&counts, &key);

	if (value)
		__sync_fetch_and_add(value, 1);
	return 0;
}

KC_LICENSE;
