/* What the objects of tests/libbpf_rules_test.cc share: the kernel's types
 * as the objects declare them (kernel.c), and libbpf's BPF-side headers. */
#ifndef KCONTRACT_TESTS_LIBBPF_VERSIONS_KC_VERSIONS_H_
#define KCONTRACT_TESTS_LIBBPF_VERSIONS_KC_VERSIONS_H_

#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <kcontract/kfunc_revisions.h>

struct kc_state {
	int val;
};

/* An object declaring kc_ops its own way defines KC_OWN_KC_OPS first. */
#ifndef KC_OWN_KC_OPS
struct kc_ops {
	int (*init)(struct kc_state *s);
	int (*run)(struct kc_state *s, int x);
	unsigned int flags;
	char name[16];
};
#endif

#define KC_LICENSE char LICENSE[] SEC("license") = "GPL"

#endif /* KCONTRACT_TESTS_LIBBPF_VERSIONS_KC_VERSIONS_H_ */
