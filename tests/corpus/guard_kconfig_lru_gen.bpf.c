/* guard_kconfig_lru_gen: a read of mm_struct.lru_gen (CONFIG_LRU_GEN=y on the
 * Debian 6.1 and 6.12 kernels, not set on 6.18) guarded by the kconfig extern
 * CONFIG_LRU_GEN: where the member is missing, the weak extern is 0, the
 * verifier sees a constant and never reaches the poisoned read.
 *
 * Expect: 6.1=passed_relocation 6.12=passed_relocation 6.18=poisoned running=poisoned
 * Expect-load: running=loaded
 * Expect-verdict: 6.1=loads 6.12=loads 6.18=loads running=loads
 */
#include "kc_corpus.h"

extern bool CONFIG_LRU_GEN __kconfig __weak;

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
int kconfig_lru_gen(void *ctx)
{
	struct task_struct *t = (void *)bpf_get_current_task();

	if (CONFIG_LRU_GEN)
		return BPF_CORE_READ(t, mm, lru_gen.bitmap) != 0;
	return 0;
}

KC_LICENSE;
