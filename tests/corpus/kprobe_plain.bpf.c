/* kprobe_plain: a kprobe program with no CO-RE relocation and no extern:
 * the baseline that passes everywhere.
 *
 * Expect: 6.1=passed_relocation 6.12=passed_relocation 6.18=passed_relocation running=passed_relocation
 * Expect-load: running=loaded
 */
#include "kc_corpus.h"

SEC("kprobe/do_nanosleep")
int plain(void *ctx)
{
	return 0;
}

KC_LICENSE;
