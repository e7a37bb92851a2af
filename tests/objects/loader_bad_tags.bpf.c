// Revision tags that are not the shape the shims write, for
// tests/loader_test.cc: each must be reported and never used.
#include <linux/types.h>
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

#define KC_TAG(text) __attribute__((btf_decl_tag(text)))

// A revision tag on a global variable, not a struct_ops map.
int kc_not_a_map KC_TAG("kcontract:revision=bpf_thp_ops@v9");

// A slot whose candidate list is not "kfunc[@rev][&kfunc...]".
static const volatile int kc_bad_list KC_TAG("kcontract:kfunc_choice=bpf_x;rm -rf,") = -1;

// A slot that is not a 4-byte int.
static const volatile long kc_wide_slot KC_TAG("kcontract:kfunc_choice=bpf_task_from_pid") = -1;

int kc_out;

SEC("syscall")
int kc_bad_tags(void *ctx) {
  kc_out = kc_not_a_map + kc_bad_list + (int)kc_wide_slot;
  return 0;
}
