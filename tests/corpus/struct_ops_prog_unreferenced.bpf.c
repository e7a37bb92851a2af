/* struct_ops_prog_unreferenced: a struct_ops program no struct_ops map
 * refers to (a callback written and then left out of the ops table), in an
 * object whose tcp_congestion_ops map uses the other callbacks. libbpf 1.1.2
 * and 1.3 hand it to the kernel bound to no struct_ops type and the kernel
 * refuses it (-524); 1.5+ refuses it itself before loading anything
 * ("SEC("struct_ops") program isn't referenced anywhere"), for the object
 * alone: prepare_failed.
 *
 * Expect: 6.1=passed_relocation 6.12=passed_relocation 6.18=passed_relocation running=passed_relocation
 * Expect-load: running=verifier_rejected
 * Expect-libbpf-1.3: 6.1=passed_relocation 6.12=passed_relocation 6.18=passed_relocation running=passed_relocation
 * Expect-load-libbpf-1.3: running=verifier_rejected
 * Expect-libbpf-1.5: 6.1=prepare_failed 6.12=prepare_failed 6.18=prepare_failed running=prepare_failed
 * Expect-load-libbpf-1.5: running=prepare_failed
 * Expect-libbpf-1.7: 6.1=prepare_failed 6.12=prepare_failed 6.18=prepare_failed running=prepare_failed
 * Expect-load-libbpf-1.7: running=prepare_failed
 */
#include "kc_tcp_reno.h"

struct tcp_congestion_ops {
	KC_RENO_MEMBERS;
	char name[16];
};

KC_RENO_CALLBACKS(kc_u)

/* Meant for the table, never put there. */
SEC("struct_ops/kc_u_forgotten")
u32 BPF_PROG(kc_u_forgotten, struct sock *sk)
{
	return 2;
}

SEC(".struct_ops")
struct tcp_congestion_ops kc_reno_unref = {
	KC_RENO_OPS(kc_u),
	.name = "kc_reno_unref",
};

KC_LICENSE;
