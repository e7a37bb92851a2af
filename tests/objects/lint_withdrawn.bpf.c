// Calls a kfunc that tests/manifests/lint.toml marks withdrawn
// (bpf_kc_gone: went in 6.20, replaced by bpf_kc_replacement).
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

extern int bpf_kc_gone(int value) __ksym;

char LICENSE[] SEC("license") = "GPL";

SEC("socket")
int kc_use_gone(struct __sk_buff *skb) { return bpf_kc_gone(skb->len); }
