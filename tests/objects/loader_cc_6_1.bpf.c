// One revision of a real callback table for tests/loader_test.cc:
// tcp_congestion_ops as 6.1 has it, whose cong_control takes (sk, rs).
// Linked with loader_cc_6_12.bpf.c into loader_cc_revisions.o; the
// revision names are those manifests/kernel-kfuncs.toml records.
//
// On a 6.12 or later kernel the verifier refuses this cong_control: the
// kernel passes `u32 ack` where this program reads `rs`, and it reads a
// member through it. Only the loader helper's choice makes the object load.
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
  void (*cong_control)(struct sock *sk, const struct rate_sample *rs);
  __u32 (*undo_cwnd)(struct sock *sk);
  char name[16];
};

int kc_cc_6_1_delivered;

SEC("struct_ops/kc_cc_6_1_ssthresh")
__u32 BPF_PROG(kc_cc_6_1_ssthresh, struct sock *sk) { return 2; }

SEC("struct_ops/kc_cc_6_1_cong_avoid")
void BPF_PROG(kc_cc_6_1_cong_avoid, struct sock *sk, __u32 ack, __u32 acked) {}

SEC("struct_ops/kc_cc_6_1_cong_control")
void BPF_PROG(kc_cc_6_1_cong_control, struct sock *sk, const struct rate_sample *rs) {
  kc_cc_6_1_delivered = rs->delivered;
}

SEC("struct_ops/kc_cc_6_1_undo_cwnd")
__u32 BPF_PROG(kc_cc_6_1_undo_cwnd, struct sock *sk) { return 10; }

SEC(".struct_ops")
struct tcp_congestion_ops kc_cc_6_1 KC_STRUCT_OPS_REVISION("tcp_congestion_ops",
                                                           "6.1.0-50-amd64") = {
    .ssthresh = (void *)kc_cc_6_1_ssthresh,
    .cong_avoid = (void *)kc_cc_6_1_cong_avoid,
    .cong_control = (void *)kc_cc_6_1_cong_control,
    .undo_cwnd = (void *)kc_cc_6_1_undo_cwnd,
    .name = "kc_cc_6_1",
};
