/* The OOM policy itself (oom_policy.h), its settings and counters, its
 * licence and its acknowledgement that BPF OOM is experimental
 * (manifests/bpf-oom.toml). The revisions' callbacks call kc_oom_handle(). */
#include <stdbool.h>
#include "oom_policy.h"
#include <kcontract/opt_in.h>

KCONTRACT_OPT_IN("bpf_oom");

char LICENSE[] SEC("license") = "GPL";

struct task_struct {
	int tgid;
} __attribute__((preserve_access_index));

/* The same prototypes in v2 and v3 (one revision, "v2", in the contract). */
extern int bpf_oom_kill_process(struct oom_control *oc, struct task_struct *task,
				const char *message__str) __ksym;
extern bool bpf_task_is_oom_victim(struct task_struct *task) __ksym;

/* Settings user space writes (the .data map, or its initial value before the
 * load), and what the policy did, for user space to read. */
volatile __u32 kc_oom_protected_tgid;  /* never kill this process; 0: none */
volatile __u32 kc_oom_memcg_only;      /* non-zero: leave system-wide OOMs alone */
volatile __u64 kc_oom_kills;           /* tasks this policy killed */
volatile __u64 kc_oom_passed;          /* events left to the kernel */
volatile __u64 kc_oom_attached_cgroup; /* the cgroup the last instance called serves */

__attribute__((noinline)) int kc_oom_handle(struct oom_control *oc KC_ARG_TRUSTED,
					    __u64 attached_cgroup)
{
	struct task_struct *task;

	kc_oom_attached_cgroup = attached_cgroup;
	if (kc_oom_memcg_only && !oc->memcg)
		goto pass;
	task = bpf_get_current_task_btf();
	if (kc_oom_protected_tgid && task->tgid == (int)kc_oom_protected_tgid)
		goto pass;
	/* Already killed: its memory is on the way back; killing more helps no one. */
	if (bpf_task_is_oom_victim(task))
		goto pass;
	if (bpf_oom_kill_process(oc, task, "kc_oom_policy: the allocating task") != 0)
		goto pass;
	__sync_fetch_and_add(&kc_oom_kills, 1);
	return 1;
pass:
	__sync_fetch_and_add(&kc_oom_passed, 1);
	return 0;
}
