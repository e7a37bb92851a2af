/* tp_btf_ipi_send_cpu: a tp_btf program on ipi_send_cpu, a tracepoint added
 * after 6.1: 6.1 has no btf_trace_ipi_send_cpu ("failed to find kernel BTF
 * type ID of 'ipi_send_cpu'").
 *
 * Expect: 6.1=attach_target_missing 6.12=passed_relocation 6.18=passed_relocation running=passed_relocation
 * Expect-load: running=loaded
 */
#include "kc_corpus.h"

SEC("tp_btf/ipi_send_cpu")
int BPF_PROG(on_ipi, unsigned int cpu, unsigned long callsite, void *callback)
{
	return 0;
}

KC_LICENSE;
