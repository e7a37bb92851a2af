/* Model kernel: sched_ext as in 6.13-6.16: new kfunc names, old ones kept.
 *
 * "[PATCH 1/3] sched_ext: Rename scx_bpf_dispatch[_vtime]() to
 * scx_bpf_dsq_insert[_vtime]()" and "[PATCH 2/3] sched_ext: Rename
 * scx_bpf_consume() to scx_bpf_dsq_move_to_local()", Tejun Heo, 2024-11-09,
 * lore.kernel.org/lkml/20241109194853.580310-1-tj@kernel.org (commits
 * cc26abb1a19a and 5209c03c8ed2, sched_ext for-6.13): the new kfuncs, and
 * the old names kept as kfuncs that warn once and call the new ones,
 * commented "for backward compatibility, will be removed in v6.15". They
 * stayed until "sched_ext: Drop kfuncs marked for removal in 6.15", Jake
 * Hillion, lore 20250625-scx-kfunc-cleanup-v1-1-d93335286fd5@hillion.co.uk,
 * "Applied to sched_ext/for-6.17" (Tejun Heo, aFyC-WVI1fkk0rPN@slm.duckdns.org):
 * they are in 6.13, 6.14, 6.15 and 6.16, and gone from 6.17.
 *
 * sched_ext_6_13_tagged.c includes this file after defining
 * KC_SCX_OLD_NAME_TAGS(replacement) to tag each old name deprecated.
 */
#include "sched_ext_common.h"

#ifndef KC_SCX_OLD_NAME_TAGS
#define KC_SCX_OLD_NAME_TAGS(replacement)
#endif

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

/* for backward compatibility, will be removed in v6.15 */
__bpf_kfunc KC_SCX_OLD_NAME_TAGS("scx_bpf_dsq_insert")
void scx_bpf_dispatch(struct task_struct *p, u64 dsq_id, u64 slice, u64 enq_flags)
{
	scx_bpf_dsq_insert(p, dsq_id, slice, enq_flags);
}

/* for backward compatibility, will be removed in v6.15 */
__bpf_kfunc KC_SCX_OLD_NAME_TAGS("scx_bpf_dsq_insert_vtime")
void scx_bpf_dispatch_vtime(struct task_struct *p, u64 dsq_id, u64 slice, u64 vtime, u64 enq_flags)
{
	scx_bpf_dsq_insert_vtime(p, dsq_id, slice, vtime, enq_flags);
}

/* for backward compatibility, will be removed in v6.15 */
__bpf_kfunc KC_SCX_OLD_NAME_TAGS("scx_bpf_dsq_move_to_local")
bool scx_bpf_consume(u64 dsq_id)
{
	return scx_bpf_dsq_move_to_local(dsq_id);
}
