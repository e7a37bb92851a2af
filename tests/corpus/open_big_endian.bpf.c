/* open_big_endian: an object built for big-endian BPF (clang -target bpfeb):
 * an EM_BPF object in the other byte order, which libbpf on a little-endian
 * host refuses to open.
 *
 * Build: big_endian
 * Expect: 6.1=open_failed 6.12=open_failed 6.18=open_failed running=open_failed
 * Expect-load: running=open_failed
 * Expect-verdict: 6.1=open 6.12=open 6.18=open running=open
 */
#include "kc_corpus.h"

SEC("kprobe/do_nanosleep")
int big_endian(void *ctx)
{
	return 0;
}

KC_LICENSE;
