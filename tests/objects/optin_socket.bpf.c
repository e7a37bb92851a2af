// A socket filter that opts in to two experimental interfaces, one from each
// of two places in the file. It must load with libbpf 1.1.2 exactly as its
// control (optin_control.bpf.c: this file without the opt-ins) does.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <kcontract/opt_in.h>

#ifndef KC_WITHOUT_OPT_IN
KCONTRACT_OPT_IN("bpf_thp");
#endif

char LICENSE[] SEC("license") = "GPL";

#ifndef KC_WITHOUT_OPT_IN
KCONTRACT_OPT_IN("sched_ext");
#endif

SEC("socket")
int kc_accept_all(struct __sk_buff *skb) { return skb->len; }
