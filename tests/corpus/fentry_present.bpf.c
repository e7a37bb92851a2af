/* fentry_present: an fentry program on do_nanosleep (every kernel has it).
 * libbpf passes everywhere; this machine's kernel refuses fentry loads with
 * EPERM, a property of the machine, not of the object.
 *
 * Expect: 6.1=passed_relocation 6.12=passed_relocation 6.18=passed_relocation running=passed_relocation
 * Expect-load: running=eperm
 */
#include "kc_corpus.h"

SEC("fentry/do_nanosleep")
int BPF_PROG(on_nanosleep, void *t, int mode)
{
	return 0;
}

KC_LICENSE;
