/* guard_sibling_subprog: struct bpf_iter_num (6.4 and later) read through
 * one flavour in a static subprogram, guarded in the program by the
 * existence of a sibling flavour. On 6.1 the read is poisoned, but the call
 * is on the branch the guard closes, so the verifier never reaches it.
 *
 * Expect: 6.1=poisoned 6.12=passed_relocation 6.18=passed_relocation running=passed_relocation
 * Expect-load: running=loaded
 * Expect-verdict: 6.1=loads 6.12=loads 6.18=loads running=loads
 */
#include "kc_corpus.h"

struct bpf_iter_num___probe {
	int unused;
};

struct bpf_iter_num___read {
	__u64 __opaque[1];
} __attribute__((preserve_access_index));

static __attribute__((noinline)) int read_iter(struct bpf_iter_num___read *it)
{
	return BPF_CORE_READ(it, __opaque[0]) != 0;
}

SEC("kprobe/do_nanosleep")
int sibling_subprog(void *ctx)
{
	if (bpf_core_type_exists(struct bpf_iter_num___probe))
		return read_iter((void *)bpf_get_current_task());
	return 0;
}

KC_LICENSE;
