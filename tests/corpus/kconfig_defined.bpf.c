/* kconfig_defined: strong kconfig externs every kernel's config defines
 * (CONFIG_HZ as int, CONFIG_BPF_LSM as bool, CONFIG_TCP_CONG_BBR as
 * tristate: m on Debian, y on 6.18) and the virtual LINUX_KERNEL_VERSION.
 *
 * Expect: 6.1=passed_relocation 6.12=passed_relocation 6.18=passed_relocation running=passed_relocation
 * Expect-load: running=loaded
 */
#include "kc_corpus.h"

extern int CONFIG_HZ __kconfig;
extern bool CONFIG_BPF_LSM __kconfig;
extern enum libbpf_tristate CONFIG_TCP_CONG_BBR __kconfig;
extern unsigned int LINUX_KERNEL_VERSION __kconfig;

SEC("syscall")
int kconfig_defined(void *ctx)
{
	return CONFIG_HZ + CONFIG_BPF_LSM + (CONFIG_TCP_CONG_BBR == TRI_MODULE) +
	       (LINUX_KERNEL_VERSION > 0);
}

KC_LICENSE;
