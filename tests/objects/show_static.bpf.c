// A static program: libbpf 1.x refuses to open the object.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

SEC("tp_btf/sched_switch")
static __attribute__((used)) int kc_hidden(void *ctx) { return 0; }

SEC("tp_btf/sched_wakeup")
int kc_visible(void *ctx) { return 0; }
