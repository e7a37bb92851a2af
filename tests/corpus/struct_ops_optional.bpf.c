/* struct_ops_optional: a tcp_congestion_ops in SEC("?.struct_ops"): an
 * optional struct_ops map, which libbpf 1.4+ opens with autocreate off (a
 * loader turns it on when the kernel suits it) and whose programs it then
 * does not load either. libbpf 1.1.2 and 1.3 do not know the section: no
 * map, the programs bound to no struct_ops type, and the kernel refuses
 * them (-524). From 1.5 (1.4 by ../shared/README.md) nothing is created or
 * loaded and the load succeeds.
 *
 * Expect: 6.1=passed_relocation 6.12=passed_relocation 6.18=passed_relocation running=passed_relocation
 * Expect-load: running=verifier_rejected
 * Expect-libbpf-1.3: 6.1=passed_relocation 6.12=passed_relocation 6.18=passed_relocation running=passed_relocation
 * Expect-load-libbpf-1.3: running=verifier_rejected
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

SEC("struct_ops/kc_opt_ssthresh")
u32 BPF_PROG(kc_opt_ssthresh, struct sock *sk)
{
	return tcp_reno_ssthresh(sk);
}

SEC("struct_ops/kc_opt_cong_avoid")
void BPF_PROG(kc_opt_cong_avoid, struct sock *sk, u32 ack, u32 acked)
{
	tcp_reno_cong_avoid(sk, ack, acked);
}

SEC("struct_ops/kc_opt_undo_cwnd")
u32 BPF_PROG(kc_opt_undo_cwnd, struct sock *sk)
{
	return tcp_reno_undo_cwnd(sk);
}

SEC("?.struct_ops")
struct tcp_congestion_ops kc_reno_optional = {
	.ssthresh = (void *)kc_opt_ssthresh,
	.cong_avoid = (void *)kc_opt_cong_avoid,
	.undo_cwnd = (void *)kc_opt_undo_cwnd,
	.name = "kc_reno_opt",
};

KC_LICENSE;
