/* kconfig_tristate_as_bool: CONFIG_TCP_CONG_BBR declared 'bool'. Debian
 * builds BBR as a module (=m): libbpf refuses to put 'm' in a bool
 * ("value 'm' implies tristate or char type"); 6.18 has it built in (=y).
 *
 * Expect: 6.1=extern_failed 6.12=extern_failed 6.18=passed_relocation running=passed_relocation
 * Expect-load: running=loaded
 */
#include "kc_corpus.h"

extern bool CONFIG_TCP_CONG_BBR __kconfig;

SEC("syscall")
int tristate_as_bool(void *ctx)
{
	return CONFIG_TCP_CONG_BBR;
}

KC_LICENSE;
