// Corners of object reading: a struct_ops map in ".struct_ops.link" (which
// libbpf 1.1 ignores), a section with two programs, a global subprogram in
// .text called through its function symbol, an autoload-off ("?") section
// and a kprobe (a program type without an expected attach type).
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

struct sock;

struct tcp_congestion_ops {
  void (*init)(struct sock *sk);
  __u32 (*ssthresh)(struct sock *sk);
  __u32 flags;
  char name[16];
};

char LICENSE[] SEC("license") = "Dual BSD/GPL";

__noinline int kc_global_sub(int x) { return x + (int)bpf_ktime_get_ns(); }

SEC("kprobe/do_exit")
int kc_exit_a(void *ctx) { return kc_global_sub(1); }

SEC("kprobe/do_exit")
int kc_exit_b(void *ctx) { return (int)bpf_get_prandom_u32(); }

SEC("?tp_btf/sched_wakeup")
int kc_wakeup(void *ctx) { return 0; }

SEC("struct_ops/kc_link_init")
void BPF_PROG(kc_link_init, struct sock *sk) {}

SEC(".struct_ops.link")
struct tcp_congestion_ops kc_link = {
    .init = (void *)kc_link_init,
    .flags = 1,
};
