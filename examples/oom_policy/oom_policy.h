/* The OOM policy of the BPF OOM series (manifests/bpf-oom.toml), written once
 * for every revision of the hook: on an out-of-memory event, kill the task
 * that ran into it, unless it is the one process user space protects, or it
 * is already dying; otherwise leave the choice to the kernel's OOM killer.
 *
 * The policy is one global function, kc_oom_handle(), in oom_policy.bpf.c;
 * each revision's C file (oom_v2.bpf.c, oom_v3.bpf.c) adapts the callback it
 * has to it. The three are linked into one object (README.md): kcontract's
 * loader helper keeps the revision the kernel has.
 */
#ifndef KC_EXAMPLE_OOM_POLICY_H_
#define KC_EXAMPLE_OOM_POLICY_H_

#include <linux/types.h>
#include <bpf/bpf_helpers.h>

/* What the policy reads of the kernel's types; CO-RE finds the members. */
struct mem_cgroup;
struct oom_control {
	struct mem_cgroup *memcg;
} __attribute__((preserve_access_index));

/* A pointer argument of a global function the verifier takes as the
 * caller's trusted kernel pointer (kernels >= 6.8; BPF OOM is newer). */
#define KC_ARG_TRUSTED __attribute__((btf_decl_tag("arg:trusted")))

/* 1: memory was freed (the kernel stops there); 0: the next handler, and in
 * the end the kernel's OOM killer, decides. Both revisions mean that.
 * `attached_cgroup`: the cgroup the calling instance serves (0: the system).
 * A global function, not an inline one: it is the only code that calls the
 * kfuncs, so that only one of the linked files declares them (bpftool's
 * linker before libbpf 1.5 refuses a kfunc extern declared in two files). */
int kc_oom_handle(struct oom_control *oc KC_ARG_TRUSTED, __u64 attached_cgroup);

#endif /* KC_EXAMPLE_OOM_POLICY_H_ */
