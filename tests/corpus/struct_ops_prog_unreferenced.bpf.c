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
#include "kc_corpus.h"

struct sock {
	u32 sk_priority;
} __attribute__((preserve_access_index));

struct tcp_congestion_ops {
	u32 (*ssthresh)(struct sock *sk);
	void (*cong_avoid)(struct sock *sk, u32 ack, u32 acked);
	u32 (*undo_cwnd)(struct sock *sk);
	char name[16];
};

extern u32 tcp_reno_ssthresh(struct sock *sk) __ksym;
extern void tcp_reno_cong_avoid(struct sock *sk, u32 ack, u32 acked) __ksym;
extern u32 tcp_reno_undo_cwnd(struct sock *sk) __ksym;

SEC("struct_ops/kc_u_ssthresh")
u32 BPF_PROG(kc_u_ssthresh, struct sock *sk)
{
	return tcp_reno_ssthresh(sk);
}

SEC("struct_ops/kc_u_cong_avoid")
void BPF_PROG(kc_u_cong_avoid, struct sock *sk, u32 ack, u32 acked)
{
	tcp_reno_cong_avoid(sk, ack, acked);
}

SEC("struct_ops/kc_u_undo_cwnd")
u32 BPF_PROG(kc_u_undo_cwnd, struct sock *sk)
{
	return tcp_reno_undo_cwnd(sk);
}

/* Meant for the table, never put there. */
SEC("struct_ops/kc_u_forgotten")
u32 BPF_PROG(kc_u_forgotten, struct sock *sk)
{
	return 2;
}

SEC(".struct_ops")
struct tcp_congestion_ops kc_reno_unref = {
	.ssthresh = (void *)kc_u_ssthresh,
	.cong_avoid = (void *)kc_u_cong_avoid,
	.undo_cwnd = (void *)kc_u_undo_cwnd,
	.name = "kc_reno_unref",
};

KC_LICENSE;
