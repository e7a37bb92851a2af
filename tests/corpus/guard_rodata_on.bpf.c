/* guard_rodata_on: a read of mm_struct.lru_gen behind a `const volatile`
 * flag the loader may set, initially true: as shipped, the verifier reads
 * the frozen .rodata value and reaches the read poisoned on 6.18. A
 * load profile saying user space sets the flag makes that depend on its value.
 *
 * Expect: 6.1=passed_relocation 6.12=passed_relocation 6.18=poisoned running=poisoned
 * Expect-load: running=poison_reached
 * Expect-verdict: 6.1=loads 6.12=loads 6.18=verifier running=verifier
 */
#include "kc_corpus.h"

const volatile bool use_lru_gen = true;

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
int rodata_on(void *ctx)
{
	struct task_struct *t = (void *)bpf_get_current_task();

	if (use_lru_gen)
		return BPF_CORE_READ(t, mm, lru_gen.bitmap) != 0;
	return 0;
}

KC_LICENSE;
