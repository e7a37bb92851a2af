/* kconfig_retpoline_strong: strong 'extern bool CONFIG_RETPOLINE'. 6.9
 * renamed the option CONFIG_MITIGATION_RETPOLINE: only 6.1's config has it
 * ("extern 'CONFIG_RETPOLINE' (strong): not resolved" elsewhere).
 *
 * Expect: 6.1=passed_relocation 6.12=extern_failed 6.18=extern_failed running=extern_failed
 * Expect-load: running=extern_failed
 */
#include "kc_corpus.h"

extern bool CONFIG_RETPOLINE __kconfig;

SEC("syscall")
int retpoline_strong(void *ctx)
{
	return CONFIG_RETPOLINE;
}

KC_LICENSE;
