/* struct_ops_link_tcp: a tcp_congestion_ops (tcp_reno_* kfunc callbacks,
 * as struct_ops_tcp_reno) in SEC(".struct_ops.link"), the section objects
 * written for bpf_link-based struct_ops attachment use (libbpf 1.2+; every
 * sched_ext scheduler does). libbpf 1.1.2 does not know the section: it
 * makes no map of it, so the struct_ops programs are bound to no struct_ops
 * type and the kernel refuses them (ENOTSUPP, -524): on every kernel, so
 * the oracle reports that refusal for the foreign kernels too. 1.3 and
 * later create the map and load it.
 *
 * Expect: 6.1=passed_relocation 6.12=passed_relocation 6.18=passed_relocation running=passed_relocation
 * Expect-load: running=verifier_rejected
 * Expect-libbpf-1.3: 6.1=passed_relocation 6.12=passed_relocation 6.18=passed_relocation running=passed_relocation
 * Expect-load-libbpf-1.3: running=loaded
 * Expect-libbpf-1.5: 6.1=passed_relocation 6.12=passed_relocation 6.18=passed_relocation running=passed_relocation
 * Expect-load-libbpf-1.5: running=loaded
 * Expect-libbpf-1.7: 6.1=passed_relocation 6.12=passed_relocation 6.18=passed_relocation running=passed_relocation
 * Expect-load-libbpf-1.7: running=loaded
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

SEC("struct_ops/kc_link_ssthresh")
u32 BPF_PROG(kc_link_ssthresh, struct sock *sk)
{
	return tcp_reno_ssthresh(sk);
}

SEC("struct_ops/kc_link_cong_avoid")
void BPF_PROG(kc_link_cong_avoid, struct sock *sk, u32 ack, u32 acked)
{
	tcp_reno_cong_avoid(sk, ack, acked);
}

SEC("struct_ops/kc_link_undo_cwnd")
u32 BPF_PROG(kc_link_undo_cwnd, struct sock *sk)
{
	return tcp_reno_undo_cwnd(sk);
}

SEC(".struct_ops.link")
struct tcp_congestion_ops kc_reno_link = {
	.ssthresh = (void *)kc_link_ssthresh,
	.cong_avoid = (void *)kc_link_cong_avoid,
	.undo_cwnd = (void *)kc_link_undo_cwnd,
	.name = "kc_reno_link",
};

KC_LICENSE;
