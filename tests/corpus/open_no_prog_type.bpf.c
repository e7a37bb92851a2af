/* open_no_prog_type: a program in a section whose name gives libbpf no
 * program type; libbpf refuses to load it ("missing BPF prog type").
 *
 * Expect: 6.1=prepare_failed 6.12=prepare_failed 6.18=prepare_failed running=prepare_failed
 * Expect-load: running=prepare_failed
 * Expect-verdict: 6.1=attach 6.12=attach 6.18=attach running=attach
 */
#include "kc_corpus.h"

SEC("kc_no_such_type")
int no_prog_type(void *ctx)
{
	return 0;
}

KC_LICENSE;
