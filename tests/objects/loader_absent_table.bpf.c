// A struct_ops map of a table the running kernel does not have (BPF-THP
// RFC v4's bpf_thp_ops), beside a syscall program that loads anywhere: for
// tests/loader_test.cc, what libbpf 1.1.2 does with the map, and what the
// loader helper's settings make it do.
#include <linux/types.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <kcontract/struct_ops_revisions.h>

char LICENSE[] SEC("license") = "GPL";

struct mm_struct;

struct bpf_thp_ops {
  int (*get_suggested_order)(struct mm_struct *mm, unsigned long tva_flags, int order);
};

SEC("struct_ops/kc_absent_order")
int BPF_PROG(kc_absent_order, struct mm_struct *mm, unsigned long tva_flags, int order) {
  return 0;
}

SEC(".struct_ops")
struct bpf_thp_ops kc_absent_thp KC_STRUCT_OPS_REVISION("bpf_thp_ops", "rfc-v4") = {
    .get_suggested_order = (void *)kc_absent_order,
};

int kc_absent_runs;

SEC("syscall")
int kc_absent_plain(void *ctx) {
  kc_absent_runs++;
  return 0;
}
