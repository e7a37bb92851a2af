/* A sched_ext scheduler's compat layer, written for the corpus after the
 * patterns of sched_ext's own compat headers (tools/sched_ext/include/scx/
 * compat.bpf.h and common.bpf.h): one object for kernels before and after
 * the 6.13 kfunc renames.
 *
 * - Every kfunc a release renamed is declared weak under both names, the
 *   old one as a `___compat` flavour (so both can be declared at once; a
 *   libbpf 1.3+ loader drops the suffix), and a wrapper calls whichever the
 *   loader resolved (KC_KSYM_EXISTS, libbpf's bpf_ksym_exists).
 * - Kfuncs that never changed are strong.
 * - The ops table goes in SEC(".struct_ops.link") (attached by bpf_link),
 *   and declares the members of the newest kernel it knows; a member an
 *   older kernel lacks is left zero, which libbpf 1.4+ skips on that kernel
 *   (sched_ext's user-space side also checks members before load; a loader
 *   does that, not the object).
 * - The init callback is sleepable: SEC("struct_ops.s/...").
 *
 * The types are the subset the scheduler touches, as in kernel/sched/ext.c
 * (and tests/model_kernels/sched_ext_common.h, the model kernels' copy).
 */
#ifndef KC_SCX_COMPAT_H_
#define KC_SCX_COMPAT_H_

#include "kc_corpus.h"

struct task_struct {
	int pid;
} __attribute__((preserve_access_index));

struct scx_exit_info;
struct cgroup;

/* The ops table as the newest kernel the scheduler was written for has it:
 * cgroup_set_bandwidth stands for a member added after 6.12 (no model
 * kernel here has it). */
struct sched_ext_ops {
	s32 (*select_cpu)(struct task_struct *p, s32 prev_cpu, u64 wake_flags);
	void (*enqueue)(struct task_struct *p, u64 enq_flags);
	void (*dispatch)(s32 cpu, struct task_struct *prev);
	s32 (*init)(void);
	void (*exit)(struct scx_exit_info *info);
	void (*cgroup_set_bandwidth)(struct cgroup *cgrp, u64 period_us, u64 quota_us, u64 burst_us);
	u64 flags;
	u32 timeout_ms;
	char name[128];
};

/* Kfuncs every sched_ext kernel has. */
s32 scx_bpf_create_dsq(u64 dsq_id, s32 node) __ksym;
s32 scx_bpf_select_cpu_dfl(struct task_struct *p, s32 prev_cpu, u64 wake_flags,
			   bool *is_idle) __ksym;

/* Renamed in 6.13: the new names, and the old ones as flavours. */
void scx_bpf_dsq_insert(struct task_struct *p, u64 dsq_id, u64 slice, u64 enq_flags) __ksym __weak;
void scx_bpf_dispatch___compat(struct task_struct *p, u64 dsq_id, u64 slice,
			       u64 enq_flags) __ksym __weak;
bool scx_bpf_dsq_move_to_local(u64 dsq_id) __ksym __weak;
bool scx_bpf_consume___compat(u64 dsq_id) __ksym __weak;

static inline void kc_scx_dsq_insert(struct task_struct *p, u64 dsq_id, u64 slice, u64 enq_flags)
{
	if (KC_KSYM_EXISTS(scx_bpf_dsq_insert))
		scx_bpf_dsq_insert(p, dsq_id, slice, enq_flags);
	else
		scx_bpf_dispatch___compat(p, dsq_id, slice, enq_flags);
}

static inline bool kc_scx_dsq_move_to_local(u64 dsq_id)
{
	if (KC_KSYM_EXISTS(scx_bpf_dsq_move_to_local))
		return scx_bpf_dsq_move_to_local(dsq_id);
	return scx_bpf_consume___compat(dsq_id);
}

/* The ops table, for a bpf_link attachment. */
#define KC_SCX_OPS_DEFINE(name, ...) \
	SEC(".struct_ops.link") struct sched_ext_ops name = { __VA_ARGS__ }

#endif /* KC_SCX_COMPAT_H_ */
