// A policy implementing a callback table that tests/manifests/lint.toml
// marks experimental (bpf_thp_ops, opt-in "bpf_thp"). Without an opt-in:
// lint_thp_opted_in.bpf.c is this file with KCONTRACT_OPT_IN("bpf_thp").
// The table is declared locally: lint needs no kernel that has it.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <kcontract/opt_in.h>

#ifdef KC_OPT_IN_THP
KCONTRACT_OPT_IN("bpf_thp");
#endif

struct vm_area_struct;

struct bpf_thp_ops {
  int (*thp_get_order)(struct vm_area_struct *vma, int type, unsigned long orders);
  void (*thp_exit)(void);
  char name[16];
};

char LICENSE[] SEC("license") = "GPL";

SEC("struct_ops/kc_get_order")
int BPF_PROG(kc_get_order, struct vm_area_struct *vma, int type, unsigned long orders) {
  return 0;
}

SEC("struct_ops/kc_exit")
void BPF_PROG(kc_exit) {}

SEC(".struct_ops")
struct bpf_thp_ops kc_thp = {
    .thp_get_order = (void *)kc_get_order,
    .thp_exit = (void *)kc_exit,
    .name = "kc_thp",
};
