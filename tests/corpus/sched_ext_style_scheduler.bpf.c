/* sched_ext_style_scheduler: a global-FIFO sched_ext scheduler built on
 * kc_scx_compat.h, the corpus' own compat layer after sched_ext's compat
 * headers (weak ___compat kfunc flavours chosen by KC_KSYM_EXISTS, the ops
 * table in .struct_ops.link with a newer member left zero, a sleepable
 * init). None of the shared kernels has sched_ext (6.12 is built without
 * CONFIG_SCHED_CLASS_EXT), so every release stops at the strong
 * scx_bpf_create_dsq ("not found in kernel or module BTFs"), as a real
 * scheduler does there. Where the releases part is on kernels that have
 * sched_ext: libbpf_versions_oracle_test runs this object on the sched_ext
 * model kernels too (tests/model_kernels: 6.12 names, 6.13 both, new names
 * only) and tests/oracle/README.md has that table.
 *
 * Expect: 6.1=extern_failed 6.12=extern_failed 6.18=extern_failed running=extern_failed
 * Expect-load: running=extern_failed
 * Expect-libbpf-1.3: 6.1=extern_failed 6.12=extern_failed 6.18=extern_failed running=extern_failed
 * Expect-load-libbpf-1.3: running=extern_failed
 * Expect-libbpf-1.5: 6.1=extern_failed 6.12=extern_failed 6.18=extern_failed running=extern_failed
 * Expect-load-libbpf-1.5: running=extern_failed
 * Expect-libbpf-1.7: 6.1=extern_failed 6.12=extern_failed 6.18=extern_failed running=extern_failed
 * Expect-load-libbpf-1.7: running=extern_failed
 */
#include "kc_scx_compat.h"

#define KC_SHARED_DSQ 0
#define KC_SLICE_NS 5000000ULL

SEC("struct_ops/kc_fifo_select_cpu")
s32 BPF_PROG(kc_fifo_select_cpu, struct task_struct *p, s32 prev_cpu, u64 wake_flags)
{
	bool is_idle = false;

	return scx_bpf_select_cpu_dfl(p, prev_cpu, wake_flags, &is_idle);
}

SEC("struct_ops/kc_fifo_enqueue")
void BPF_PROG(kc_fifo_enqueue, struct task_struct *p, u64 enq_flags)
{
	kc_scx_dsq_insert(p, KC_SHARED_DSQ, KC_SLICE_NS, enq_flags);
}

SEC("struct_ops/kc_fifo_dispatch")
void BPF_PROG(kc_fifo_dispatch, s32 cpu, struct task_struct *prev)
{
	kc_scx_dsq_move_to_local(KC_SHARED_DSQ);
}

SEC("struct_ops.s/kc_fifo_init")
s32 BPF_PROG(kc_fifo_init)
{
	return scx_bpf_create_dsq(KC_SHARED_DSQ, -1);
}

SEC("struct_ops/kc_fifo_exit")
void BPF_PROG(kc_fifo_exit, struct scx_exit_info *info)
{
}

KC_SCX_OPS_DEFINE(kc_fifo_ops,
	.select_cpu = (void *)kc_fifo_select_cpu,
	.enqueue = (void *)kc_fifo_enqueue,
	.dispatch = (void *)kc_fifo_dispatch,
	.init = (void *)kc_fifo_init,
	.exit = (void *)kc_fifo_exit,
	.timeout_ms = 5000,
	.name = "kc_fifo");

KC_LICENSE;
