/* A global-FIFO sched_ext scheduler (the shape of the kernel's scx_simple)
 * written once across sched_ext's 6.13 kfunc renames:
 *
 *   6.12:       scx_bpf_dispatch(),   scx_bpf_consume()
 *   6.13-6.16:  scx_bpf_dsq_insert(), scx_bpf_dsq_move_to_local(), and the
 *               old names, deprecated (manifests/sched-ext.toml)
 *   6.17 on:    only the new names
 *
 * Each call goes through a kfunc slot (<kcontract/kfunc_revisions.h>) listing
 * the new name first: kcontract's loader writes which one the kernel has
 * before the load, and the verifier drops the other branch. The object thus
 * uses the deprecated name only on kernels without the new one, and
 * `kcontract check` warns about the deprecation only there.
 */
#include <linux/types.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <kcontract/kfunc_revisions.h>

char LICENSE[] SEC("license") = "GPL";

/* sched_ext's constants (include/linux/sched/ext.h). */
#define SCX_DSQ_GLOBAL (1ULL << 63)
#define SCX_SLICE_DFL 20000000ULL /* 20 ms */

#define PF_KTHREAD 0x00200000 /* include/linux/sched.h */

/* A full definition, not a forward declaration: libbpf 1.1 refuses a kfunc
 * whose local prototype points to a FWD where the kernel has a STRUCT
 * (`kcontract check` says so), and clang emits a struct as a FWD unless the
 * program reads a member of it. CO-RE finds `flags` in any kernel. */
struct task_struct {
	unsigned int flags;
} __attribute__((preserve_access_index));

/* The callbacks this scheduler implements; libbpf matches members by name
 * and leaves the kernel's others zero. */
struct sched_ext_ops {
	void (*enqueue)(struct task_struct *p, __u64 enq_flags);
	void (*dispatch)(__s32 cpu, struct task_struct *prev);
	char name[128];
};

extern void scx_bpf_dsq_insert(struct task_struct *p, __u64 dsq_id, __u64 slice,
			       __u64 enq_flags) KC_KFUNC_WEAK;
extern void scx_bpf_dispatch(struct task_struct *p, __u64 dsq_id, __u64 slice,
			     __u64 enq_flags) KC_KFUNC_WEAK;
extern _Bool scx_bpf_dsq_move_to_local(__u64 dsq_id) KC_KFUNC_WEAK;
extern _Bool scx_bpf_consume(__u64 dsq_id) KC_KFUNC_WEAK;

KC_KFUNC_CHOICE(dsq_insert, "scx_bpf_dsq_insert,scx_bpf_dispatch");
KC_KFUNC_CHOICE(move_to_local, "scx_bpf_dsq_move_to_local,scx_bpf_consume");

static __always_inline void insert(struct task_struct *p, __u64 dsq_id, __u64 slice,
				   __u64 enq_flags)
{
	if (KC_CHOSE(dsq_insert, 0))
		scx_bpf_dsq_insert(p, dsq_id, slice, enq_flags);
	else if (KC_CHOSE(dsq_insert, 1))
		scx_bpf_dispatch(p, dsq_id, slice, enq_flags);
}

static __always_inline void move_to_local(__u64 dsq_id)
{
	if (KC_CHOSE(move_to_local, 0))
		scx_bpf_dsq_move_to_local(dsq_id);
	else if (KC_CHOSE(move_to_local, 1))
		scx_bpf_consume(dsq_id);
}

SEC("struct_ops/fifo_enqueue")
void BPF_PROG(fifo_enqueue, struct task_struct *p, __u64 enq_flags)
{
	/* Kernel threads get half a slice: they are short and many. */
	__u64 slice = p->flags & PF_KTHREAD ? SCX_SLICE_DFL / 2 : SCX_SLICE_DFL;

	insert(p, SCX_DSQ_GLOBAL, slice, enq_flags);
}

SEC("struct_ops/fifo_dispatch")
void BPF_PROG(fifo_dispatch, __s32 cpu, struct task_struct *prev)
{
	move_to_local(SCX_DSQ_GLOBAL);
}

/* ".struct_ops": libbpf 1.1 knows no ".struct_ops.link" section (1.2 added
 * it); kc_load attaches the map with bpf_map__attach_struct_ops(). */
SEC(".struct_ops")
struct sched_ext_ops scx_rename_ops = {
	.enqueue = (void *)fifo_enqueue,
	.dispatch = (void *)fifo_dispatch,
	.name = "scx_rename",
};
