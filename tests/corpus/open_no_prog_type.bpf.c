/* open_no_prog_type: a program in a section whose name gives libbpf no
 * program type; libbpf refuses to load it ("missing BPF prog type").
 *
 * Expect: 6.1=open_failed 6.12=open_failed 6.18=open_failed running=open_failed
 * Expect-load: running=open_failed
 * Expect-verdict: 6.1=open 6.12=open 6.18=open running=open
 */
#include "kc_corpus.h"

SEC("kc_no_such_type")
int no_prog_type(void *ctx)
{
	return 0;
}

KC_LICENSE;
