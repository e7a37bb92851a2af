// Calls a kfunc that tests/manifests/lint.toml marks deprecated
// (bpf_kc_old_dispatch: removed in 7.2, replaced by bpf_kc_new_dispatch).
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

extern int bpf_kc_old_dispatch(int queue) __ksym;

char LICENSE[] SEC("license") = "GPL";

SEC("socket")
int kc_dispatch(struct __sk_buff *skb) { return bpf_kc_old_dispatch(skb->len); }
