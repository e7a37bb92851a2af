/* What the sched_ext model kernels share: sched_ext's types, struct
 * sched_ext_ops registered as "sched_ext_ops", and the kfuncs whose names did
 * not change (scx_bpf_create_dsq, scx_bpf_select_cpu_dfl). Each model adds
 * its dispatch/consume kfuncs.
 *
 * struct sched_ext_ops follows kernel/sched/ext.c of 6.12 (read in
 * github.com/GrapheneOS/kernel_common-6.12), with CONFIG_EXT_GROUP_SCHED=y
 * (the cgroup_* callbacks present); the member list is used for all three
 * models: the 6.13 renames touched kfuncs, not sched_ext_ops, and members
 * later releases added (e.g. cgroup_set_bandwidth) are not modelled.
 * sched_ext_entity (task_struct::scx) and the argument structs are subsets
 * of the 6.12 definitions.
 */
#ifndef KCONTRACT_TESTS_MODEL_KERNELS_SCHED_EXT_COMMON_H_
#define KCONTRACT_TESTS_MODEL_KERNELS_SCHED_EXT_COMMON_H_

struct scx_dispatch_q;

#define KC_TASK_STRUCT_SCHED_EXTRA                                         \
	struct sched_ext_entity {                                          \
		struct scx_dispatch_q *dsq;                                \
		u32 dsq_seq;                                               \
		u32 flags;                                                 \
		u32 weight;                                                \
		s32 sticky_cpu;                                            \
		s32 holding_cpu;                                           \
		u32 kf_mask;                                               \
		struct task_struct *kf_tasks[2];                           \
		atomic_long_t ops_state;                                   \
		struct list_head runnable_node;                            \
		unsigned long runnable_at;                                 \
		u64 ddsp_dsq_id;                                           \
		u64 ddsp_enq_flags;                                        \
		u64 slice;                                                 \
		u64 dsq_vtime;                                             \
		bool disallow;                                             \
	} scx;
#include "model_kernel.h"

#define SCX_OPS_NAME_LEN 128

struct cpumask {
	unsigned long bits[128]; /* NR_CPUS 8192 */
};

enum scx_exit_kind {
	SCX_EXIT_NONE,
	SCX_EXIT_DONE,
	SCX_EXIT_UNREG = 64,
	SCX_EXIT_UNREG_BPF,
	SCX_EXIT_UNREG_KERN,
	SCX_EXIT_SYSRQ,
	SCX_EXIT_ERROR = 1024,
	SCX_EXIT_ERROR_BPF,
	SCX_EXIT_ERROR_STALL,
};

struct scx_exit_info {
	enum scx_exit_kind kind;
	s64 exit_code;
	const char *reason;
	unsigned long *bt;
	u32 bt_len;
	char *msg;
	char *dump;
};

struct scx_init_task_args {
	bool fork;
	struct cgroup *cgroup;
};

struct scx_exit_task_args {
	bool cancelled;
};

struct scx_cgroup_init_args {
	u32 weight;
};

enum scx_cpu_preempt_reason {
	SCX_CPU_PREEMPT_RT,
	SCX_CPU_PREEMPT_DL,
	SCX_CPU_PREEMPT_STOP,
	SCX_CPU_PREEMPT_UNKNOWN,
};

struct scx_cpu_acquire_args {};

struct scx_cpu_release_args {
	enum scx_cpu_preempt_reason reason;
	struct task_struct *task;
};

struct scx_dump_ctx {
	enum scx_exit_kind kind;
	s64 exit_code;
	const char *reason;
	u64 at_ns;
	u64 at_jiffies;
};

struct sched_ext_ops {
	s32 (*select_cpu)(struct task_struct *p, s32 prev_cpu, u64 wake_flags);
	void (*enqueue)(struct task_struct *p, u64 enq_flags);
	void (*dequeue)(struct task_struct *p, u64 deq_flags);
	void (*dispatch)(s32 cpu, struct task_struct *prev);
	void (*tick)(struct task_struct *p);
	void (*runnable)(struct task_struct *p, u64 enq_flags);
	void (*running)(struct task_struct *p);
	void (*stopping)(struct task_struct *p, bool runnable);
	void (*quiescent)(struct task_struct *p, u64 deq_flags);
	bool (*yield)(struct task_struct *from, struct task_struct *to);
	bool (*core_sched_before)(struct task_struct *a, struct task_struct *b);
	void (*set_weight)(struct task_struct *p, u32 weight);
	void (*set_cpumask)(struct task_struct *p, const struct cpumask *cpumask);
	void (*update_idle)(s32 cpu, bool idle);
	void (*cpu_acquire)(s32 cpu, struct scx_cpu_acquire_args *args);
	void (*cpu_release)(s32 cpu, struct scx_cpu_release_args *args);
	s32 (*init_task)(struct task_struct *p, struct scx_init_task_args *args);
	void (*exit_task)(struct task_struct *p, struct scx_exit_task_args *args);
	void (*enable)(struct task_struct *p);
	void (*disable)(struct task_struct *p);
	void (*dump)(struct scx_dump_ctx *ctx);
	void (*dump_cpu)(struct scx_dump_ctx *ctx, s32 cpu, bool idle);
	void (*dump_task)(struct scx_dump_ctx *ctx, struct task_struct *p);
	s32 (*cgroup_init)(struct cgroup *cgrp, struct scx_cgroup_init_args *args);
	void (*cgroup_exit)(struct cgroup *cgrp);
	s32 (*cgroup_prep_move)(struct task_struct *p, struct cgroup *from, struct cgroup *to);
	void (*cgroup_move)(struct task_struct *p, struct cgroup *from, struct cgroup *to);
	void (*cgroup_cancel_move)(struct task_struct *p, struct cgroup *from, struct cgroup *to);
	void (*cgroup_set_weight)(struct cgroup *cgrp, u32 weight);
	void (*cpu_online)(s32 cpu);
	void (*cpu_offline)(s32 cpu);
	s32 (*init)(void);
	void (*exit)(struct scx_exit_info *info);
	u32 dispatch_max_batch;
	u64 flags;
	u32 timeout_ms;
	u32 exit_dump_len;
	u64 hotplug_seq;
	char name[SCX_OPS_NAME_LEN];
};
KC_REGISTER_STRUCT_OPS(sched_ext_ops);

__bpf_kfunc s32 scx_bpf_create_dsq(u64 dsq_id, s32 node)
{
	return node < -1 ? -22 : 0;
}

__bpf_kfunc s32 scx_bpf_select_cpu_dfl(struct task_struct *p, s32 prev_cpu, u64 wake_flags,
				       bool *is_idle)
{
	*is_idle = 0;
	return prev_cpu;
}

#endif /* KCONTRACT_TESTS_MODEL_KERNELS_SCHED_EXT_COMMON_H_ */
