/* kconfig_weak: weak kconfig externs for both names of the retpoline option
 * (CONFIG_RETPOLINE before 6.9, CONFIG_MITIGATION_RETPOLINE after): a
 * missing weak option reads as zero, so every kernel passes.
 *
 * Expect: 6.1=passed_relocation 6.12=passed_relocation 6.18=passed_relocation running=passed_relocation
 * Expect-load: running=loaded
 */
#include "kc_corpus.h"

extern bool CONFIG_RETPOLINE __kconfig __weak;
extern bool CONFIG_MITIGATION_RETPOLINE __kconfig __weak;

SEC("syscall")
int kconfig_weak(void *ctx)
{
	return CONFIG_RETPOLINE || CONFIG_MITIGATION_RETPOLINE;
}

KC_LICENSE;
