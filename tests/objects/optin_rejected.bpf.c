// An object with an opt-in that the verifier must refuse (a packet read
// without a bounds check): the load harness of tests/opt_in_test.cc has to
// report this as a failure, or its "loads" results would prove nothing.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <kcontract/opt_in.h>

KCONTRACT_OPT_IN("bpf_thp");

char LICENSE[] SEC("license") = "GPL";

SEC("socket")
int kc_unchecked_read(struct __sk_buff *skb) {
  return *(int *)(long)skb->data;
}
