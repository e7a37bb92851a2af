/* struct_ops_tcp_reno: a tcp_congestion_ops struct_ops map whose callbacks
 * call the tcp_reno_* kfuncs (strong externs; sock declared with a body so
 * the prototypes match). Every kernel has the type, the members and the
 * kfuncs.
 *
 * Expect: 6.1=passed_relocation 6.12=passed_relocation 6.18=passed_relocation running=passed_relocation
 * Expect-load: running=loaded
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

SEC("struct_ops/kc_ssthresh")
u32 BPF_PROG(kc_ssthresh, struct sock *sk)
{
	return tcp_reno_ssthresh(sk);
}

SEC("struct_ops/kc_cong_avoid")
void BPF_PROG(kc_cong_avoid, struct sock *sk, u32 ack, u32 acked)
{
	tcp_reno_cong_avoid(sk, ack, acked);
}

SEC("struct_ops/kc_undo_cwnd")
u32 BPF_PROG(kc_undo_cwnd, struct sock *sk)
{
	return tcp_reno_undo_cwnd(sk);
}

SEC(".struct_ops")
struct tcp_congestion_ops kc_reno = {
	.ssthresh = (void *)kc_ssthresh,
	.cong_avoid = (void *)kc_cong_avoid,
	.undo_cwnd = (void *)kc_undo_cwnd,
	.name = "kc_reno",
};

KC_LICENSE;
