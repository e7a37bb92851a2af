/* Model kernel: sched_ext as in 6.12, before the 6.13 kfunc renames.
 *
 * kernel/sched/ext.c of 6.12 (read in github.com/GrapheneOS/kernel_common-6.12
 * and in the patches that later renamed these kfuncs): scx_bpf_dispatch(),
 * scx_bpf_dispatch_vtime(), scx_bpf_consume(), with the shared
 * sched_ext_common.h (sched_ext_ops, scx_bpf_create_dsq,
 * scx_bpf_select_cpu_dfl). The kfuncs scx_bpf_dispatch[_vtime]_from_dsq*()
 * of 6.12 are not modelled.
 */
#include "sched_ext_common.h"

__bpf_kfunc void scx_bpf_dispatch(struct task_struct *p, u64 dsq_id, u64 slice, u64 enq_flags)
{
	p->scx.slice = slice;
}

__bpf_kfunc void scx_bpf_dispatch_vtime(struct task_struct *p, u64 dsq_id, u64 slice, u64 vtime,
					u64 enq_flags)
{
	p->scx.dsq_vtime = vtime;
}

__bpf_kfunc bool scx_bpf_consume(u64 dsq_id)
{
	return dsq_id != 0;
}
