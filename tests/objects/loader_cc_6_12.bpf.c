// The other revision of tcp_congestion_ops for tests/loader_test.cc (see
// loader_cc_6_1.bpf.c): 6.12's, also 6.18's, whose cong_control takes
// (sk, ack, flag, rs).
#include <linux/types.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <kcontract/struct_ops_revisions.h>

struct sock;

struct rate_sample {
  int delivered;
} __attribute__((preserve_access_index));

struct tcp_congestion_ops {
  __u32 (*ssthresh)(struct sock *sk);
  void (*cong_avoid)(struct sock *sk, __u32 ack, __u32 acked);
  void (*cong_control)(struct sock *sk, __u32 ack, int flag, const struct rate_sample *rs);
  __u32 (*undo_cwnd)(struct sock *sk);
  char name[16];
};

char LICENSE[] SEC("license") = "GPL";

int kc_cc_6_12_delivered;

SEC("struct_ops/kc_cc_6_12_ssthresh")
__u32 BPF_PROG(kc_cc_6_12_ssthresh, struct sock *sk) { return 2; }

SEC("struct_ops/kc_cc_6_12_cong_avoid")
void BPF_PROG(kc_cc_6_12_cong_avoid, struct sock *sk, __u32 ack, __u32 acked) {}

SEC("struct_ops/kc_cc_6_12_cong_control")
void BPF_PROG(kc_cc_6_12_cong_control, struct sock *sk, __u32 ack, int flag,
              const struct rate_sample *rs) {
  kc_cc_6_12_delivered = rs->delivered;
}

SEC("struct_ops/kc_cc_6_12_undo_cwnd")
__u32 BPF_PROG(kc_cc_6_12_undo_cwnd, struct sock *sk) { return 10; }

SEC(".struct_ops")
struct tcp_congestion_ops kc_cc_6_12 KC_STRUCT_OPS_REVISION("tcp_congestion_ops",
                                                            "6.12.111+deb12-amd64") = {
    .ssthresh = (void *)kc_cc_6_12_ssthresh,
    .cong_avoid = (void *)kc_cc_6_12_cong_avoid,
    .cong_control = (void *)kc_cc_6_12_cong_control,
    .undo_cwnd = (void *)kc_cc_6_12_undo_cwnd,
    .name = "kc_cc_6_12",
};
