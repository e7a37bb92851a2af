/* kconfig_not_set: strong 'extern bool CONFIG_SCHED_CLASS_EXT'. 6.12 and
 * 6.18 say "# CONFIG_SCHED_CLASS_EXT is not set" and 6.1 predates it; a
 * not-set option is absent for libbpf, so a strong extern fails everywhere.
 *
 * Expect: 6.1=extern_failed 6.12=extern_failed 6.18=extern_failed running=extern_failed
 * Expect-load: running=extern_failed
 */
#include "kc_corpus.h"

extern bool CONFIG_SCHED_CLASS_EXT __kconfig;

SEC("syscall")
int not_set(void *ctx)
{
	return CONFIG_SCHED_CLASS_EXT;
}

KC_LICENSE;
