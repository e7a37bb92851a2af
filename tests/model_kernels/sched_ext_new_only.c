/* Model kernel: sched_ext with only the new kfunc names (6.17 on).
 *
 * sched_ext_6_13.c after "sched_ext: Drop kfuncs marked for removal in 6.15"
 * (lore 20250625-scx-kfunc-cleanup-v1-1-d93335286fd5@hillion.co.uk, applied
 * to sched_ext/for-6.17): scx_bpf_dsq_insert(), scx_bpf_dsq_insert_vtime(),
 * scx_bpf_dsq_move_to_local(), and no scx_bpf_dispatch(),
 * scx_bpf_dispatch_vtime() or scx_bpf_consume(). sched_ext_ops is 6.12's
 * (see sched_ext_common.h), not 6.17's.
 */
#include "sched_ext_common.h"

__bpf_kfunc void scx_bpf_dsq_insert(struct task_struct *p, u64 dsq_id, u64 slice, u64 enq_flags)
{
	p->scx.slice = slice;
}

__bpf_kfunc void scx_bpf_dsq_insert_vtime(struct task_struct *p, u64 dsq_id, u64 slice, u64 vtime,
					  u64 enq_flags)
{
	p->scx.dsq_vtime = vtime;
}

__bpf_kfunc bool scx_bpf_dsq_move_to_local(u64 dsq_id)
{
	return dsq_id != 0;
}
