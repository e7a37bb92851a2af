/* guard_none_lru_gen: the read of mm_struct.lru_gen with no guard: on 6.18,
 * which lacks the member, the poisoned instruction is reachable and the
 * verifier rejects the program.
 *
 * Expect: 6.1=passed_relocation 6.12=passed_relocation 6.18=poisoned running=poisoned
 * Expect-load: running=poison_reached
 * Expect-verdict: 6.1=loads 6.12=loads 6.18=verifier running=verifier
 */
#include "kc_corpus.h"

struct list_head {
	struct list_head *next, *prev;
};

struct mm_struct {
	struct {
		struct list_head list;
		unsigned long bitmap;
	} lru_gen;
} __attribute__((preserve_access_index));

struct task_struct {
	struct mm_struct *mm;
} __attribute__((preserve_access_index));

SEC("kprobe/do_nanosleep")
int none_lru_gen(void *ctx)
{
	struct task_struct *t = (void *)bpf_get_current_task();

	return BPF_CORE_READ(t, mm, lru_gen.bitmap) != 0;
}

KC_LICENSE;
