/* kconfig_mitigation_strong: strong 'extern bool
 * CONFIG_MITIGATION_RETPOLINE', the 6.9 name of CONFIG_RETPOLINE: missing
 * from 6.1's config.
 *
 * Expect: 6.1=extern_failed 6.12=passed_relocation 6.18=passed_relocation running=passed_relocation
 * Expect-load: running=loaded
 */
#include "kc_corpus.h"

extern bool CONFIG_MITIGATION_RETPOLINE __kconfig;

SEC("syscall")
int mitigation_strong(void *ctx)
{
	return CONFIG_MITIGATION_RETPOLINE;
}

KC_LICENSE;
