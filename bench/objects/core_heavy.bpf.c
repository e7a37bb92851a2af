/* core_heavy: a CO-RE-heavy policy for bench/ (kcontract_check_bench
 * --process): 18 programs, on three hooks, reading 138 fields of six kernel
 * structs through BPF_CORE_READ, so `check` meets 414 CO-RE relocations, as
 * large tracing tools do. The fields are real in 6.18; on older kernels a
 * few are poisoned, which the reach analysis then walks.
 */
#include "kc_corpus.h"

struct task_struct {
	unsigned long __state;
	unsigned long saved_state;
	unsigned long flags;
	unsigned long ptrace;
	unsigned long on_cpu;
	unsigned long wakee_flips;
	unsigned long wakee_flip_decay_ts;
	unsigned long recent_used_cpu;
	unsigned long wake_cpu;
	unsigned long on_rq;
	unsigned long prio;
	unsigned long static_prio;
	unsigned long normal_prio;
	unsigned long rt_priority;
	unsigned long btrace_seq;
	unsigned long policy;
	unsigned long max_allowed_capacity;
	unsigned long nr_cpus_allowed;
	unsigned long migration_disabled;
	unsigned long migration_flags;
	unsigned long rcu_read_lock_nesting;
	unsigned long rcu_tasks_nvcsw;
	unsigned long rcu_tasks_holdout;
	unsigned long rcu_tasks_idx;
	unsigned long rcu_tasks_idle_cpu;
	unsigned long rcu_tasks_exit_cpu;
	unsigned long trc_reader_nesting;
	unsigned long trc_ipi_to_cpu;
	unsigned long trc_blkd_cpu;
	unsigned long exit_state;
	unsigned long exit_code;
	unsigned long exit_signal;
	unsigned long pdeath_signal;
	unsigned long jobctl;
	unsigned long personality;
	unsigned long atomic_flags;
	unsigned long pid;
	unsigned long tgid;
	unsigned long stack_canary;
	unsigned long utime;
} __attribute__((preserve_access_index));

struct mm_struct {
	unsigned long mmap_base;
	unsigned long mmap_legacy_base;
	unsigned long mmap_compat_base;
	unsigned long mmap_compat_legacy_base;
	unsigned long task_size;
	unsigned long mm_cid_next_scan;
	unsigned long nr_cpus_allowed;
	unsigned long map_count;
	unsigned long futex_batches;
	unsigned long hiwater_rss;
	unsigned long hiwater_vm;
	unsigned long total_vm;
	unsigned long locked_vm;
	unsigned long data_vm;
	unsigned long exec_vm;
	unsigned long stack_vm;
	unsigned long start_code;
	unsigned long end_code;
	unsigned long start_data;
	unsigned long end_data;
	unsigned long start_brk;
	unsigned long brk;
	unsigned long start_stack;
	unsigned long arg_start;
	unsigned long arg_end;
	unsigned long env_start;
	unsigned long env_end;
	unsigned long numa_next_scan;
	unsigned long numa_scan_offset;
	unsigned long numa_scan_seq;
	unsigned long ksm_merging_pages;
	unsigned long ksm_rmap_items;
} __attribute__((preserve_access_index));

struct inode {
	unsigned long i_mode;
	unsigned long i_opflags;
	unsigned long i_flags;
	unsigned long i_ino;
	unsigned long __i_nlink;
	unsigned long i_rdev;
	unsigned long i_size;
	unsigned long i_atime_nsec;
	unsigned long i_mtime_nsec;
	unsigned long i_ctime_nsec;
	unsigned long i_generation;
	unsigned long i_bytes;
	unsigned long i_blkbits;
	unsigned long i_blocks;
	unsigned long dirtied_when;
	unsigned long dirtied_time_when;
	unsigned long i_wb_frn_winner;
	unsigned long i_wb_frn_avg_time;
	unsigned long i_wb_frn_history;
	unsigned long i_linklen;
	unsigned long i_dir_seq;
	unsigned long i_fsnotify_mask;
} __attribute__((preserve_access_index));

struct sock_common {
	unsigned long skc_hash;
	unsigned long skc_num;
	unsigned long skc_family;
	unsigned long skc_bound_dev_if;
	unsigned long skc_flags;
	unsigned long skc_tx_queue_mapping;
	unsigned long skc_rx_queue_mapping;
	unsigned long skc_incoming_cpu;
	unsigned long skc_rcv_wnd;
	unsigned long skc_tw_rcv_nxt;
	unsigned long skc_rxhash;
	unsigned long skc_window_clamp;
	unsigned long skc_tw_snd_nxt;
} __attribute__((preserve_access_index));

struct cgroup {
	unsigned long flags;
	unsigned long level;
	unsigned long max_depth;
	unsigned long nr_descendants;
	unsigned long nr_dying_descendants;
	unsigned long max_descendants;
	unsigned long nr_populated_csets;
	unsigned long nr_populated_domain_children;
	unsigned long nr_populated_threaded_children;
	unsigned long nr_threaded_children;
	unsigned long kill_seq;
	unsigned long subtree_control;
	unsigned long subtree_ss_mask;
	unsigned long old_subtree_control;
	unsigned long old_subtree_ss_mask;
} __attribute__((preserve_access_index));

struct super_block {
	unsigned long s_dev;
	unsigned long s_blocksize_bits;
	unsigned long s_blocksize;
	unsigned long s_maxbytes;
	unsigned long s_flags;
	unsigned long s_iflags;
	unsigned long s_magic;
	unsigned long s_count;
	unsigned long s_quota_types;
	unsigned long s_time_gran;
	unsigned long s_fsnotify_mask;
	unsigned long s_uuid_len;
	unsigned long s_max_links;
	unsigned long s_d_flags;
	unsigned long s_readonly_remount;
	unsigned long s_stack_depth;
} __attribute__((preserve_access_index));

#define KC_READ(p, f) acc += BPF_CORE_READ(p, f);

#define KC_TASK_STRUCT_FIELDS(X, p) \
	X(p, __state) \
	X(p, saved_state) \
	X(p, flags) \
	X(p, ptrace) \
	X(p, on_cpu) \
	X(p, wakee_flips) \
	X(p, wakee_flip_decay_ts) \
	X(p, recent_used_cpu) \
	X(p, wake_cpu) \
	X(p, on_rq) \
	X(p, prio) \
	X(p, static_prio) \
	X(p, normal_prio) \
	X(p, rt_priority) \
	X(p, btrace_seq) \
	X(p, policy) \
	X(p, max_allowed_capacity) \
	X(p, nr_cpus_allowed) \
	X(p, migration_disabled) \
	X(p, migration_flags) \
	X(p, rcu_read_lock_nesting) \
	X(p, rcu_tasks_nvcsw) \
	X(p, rcu_tasks_holdout) \
	X(p, rcu_tasks_idx) \
	X(p, rcu_tasks_idle_cpu) \
	X(p, rcu_tasks_exit_cpu) \
	X(p, trc_reader_nesting) \
	X(p, trc_ipi_to_cpu) \
	X(p, trc_blkd_cpu) \
	X(p, exit_state) \
	X(p, exit_code) \
	X(p, exit_signal) \
	X(p, pdeath_signal) \
	X(p, jobctl) \
	X(p, personality) \
	X(p, atomic_flags) \
	X(p, pid) \
	X(p, tgid) \
	X(p, stack_canary) \
	X(p, utime)

#define KC_MM_STRUCT_FIELDS(X, p) \
	X(p, mmap_base) \
	X(p, mmap_legacy_base) \
	X(p, mmap_compat_base) \
	X(p, mmap_compat_legacy_base) \
	X(p, task_size) \
	X(p, mm_cid_next_scan) \
	X(p, nr_cpus_allowed) \
	X(p, map_count) \
	X(p, futex_batches) \
	X(p, hiwater_rss) \
	X(p, hiwater_vm) \
	X(p, total_vm) \
	X(p, locked_vm) \
	X(p, data_vm) \
	X(p, exec_vm) \
	X(p, stack_vm) \
	X(p, start_code) \
	X(p, end_code) \
	X(p, start_data) \
	X(p, end_data) \
	X(p, start_brk) \
	X(p, brk) \
	X(p, start_stack) \
	X(p, arg_start) \
	X(p, arg_end) \
	X(p, env_start) \
	X(p, env_end) \
	X(p, numa_next_scan) \
	X(p, numa_scan_offset) \
	X(p, numa_scan_seq) \
	X(p, ksm_merging_pages) \
	X(p, ksm_rmap_items)

#define KC_INODE_FIELDS(X, p) \
	X(p, i_mode) \
	X(p, i_opflags) \
	X(p, i_flags) \
	X(p, i_ino) \
	X(p, __i_nlink) \
	X(p, i_rdev) \
	X(p, i_size) \
	X(p, i_atime_nsec) \
	X(p, i_mtime_nsec) \
	X(p, i_ctime_nsec) \
	X(p, i_generation) \
	X(p, i_bytes) \
	X(p, i_blkbits) \
	X(p, i_blocks) \
	X(p, dirtied_when) \
	X(p, dirtied_time_when) \
	X(p, i_wb_frn_winner) \
	X(p, i_wb_frn_avg_time) \
	X(p, i_wb_frn_history) \
	X(p, i_linklen) \
	X(p, i_dir_seq) \
	X(p, i_fsnotify_mask)

#define KC_SOCK_COMMON_FIELDS(X, p) \
	X(p, skc_hash) \
	X(p, skc_num) \
	X(p, skc_family) \
	X(p, skc_bound_dev_if) \
	X(p, skc_flags) \
	X(p, skc_tx_queue_mapping) \
	X(p, skc_rx_queue_mapping) \
	X(p, skc_incoming_cpu) \
	X(p, skc_rcv_wnd) \
	X(p, skc_tw_rcv_nxt) \
	X(p, skc_rxhash) \
	X(p, skc_window_clamp) \
	X(p, skc_tw_snd_nxt)

#define KC_CGROUP_FIELDS(X, p) \
	X(p, flags) \
	X(p, level) \
	X(p, max_depth) \
	X(p, nr_descendants) \
	X(p, nr_dying_descendants) \
	X(p, max_descendants) \
	X(p, nr_populated_csets) \
	X(p, nr_populated_domain_children) \
	X(p, nr_populated_threaded_children) \
	X(p, nr_threaded_children) \
	X(p, kill_seq) \
	X(p, subtree_control) \
	X(p, subtree_ss_mask) \
	X(p, old_subtree_control) \
	X(p, old_subtree_ss_mask)

#define KC_SUPER_BLOCK_FIELDS(X, p) \
	X(p, s_dev) \
	X(p, s_blocksize_bits) \
	X(p, s_blocksize) \
	X(p, s_maxbytes) \
	X(p, s_flags) \
	X(p, s_iflags) \
	X(p, s_magic) \
	X(p, s_count) \
	X(p, s_quota_types) \
	X(p, s_time_gran) \
	X(p, s_fsnotify_mask) \
	X(p, s_uuid_len) \
	X(p, s_max_links) \
	X(p, s_d_flags) \
	X(p, s_readonly_remount) \
	X(p, s_stack_depth)


/* One program per struct and hook: a program reading all 138 fields would
 * need more than the 512 bytes of stack BPF_CORE_READ's temporaries take. */
#define KC_HEAVY_PROGRAM(fn, target, type, fields)                     \
SEC("kprobe/" target)                                                  \
int fn(void *ctx)                                                      \
{                                                                      \
	struct type *p = (void *)bpf_get_current_task();               \
	unsigned long acc = 0;                                         \
	fields(KC_READ, p)                                             \
	return acc != 0;                                               \
}

#define KC_HEAVY_HOOK(hook, target)                                                     \
	KC_HEAVY_PROGRAM(hook##_task, target, task_struct, KC_TASK_STRUCT_FIELDS)       \
	KC_HEAVY_PROGRAM(hook##_mm, target, mm_struct, KC_MM_STRUCT_FIELDS)             \
	KC_HEAVY_PROGRAM(hook##_inode, target, inode, KC_INODE_FIELDS)                  \
	KC_HEAVY_PROGRAM(hook##_sock, target, sock_common, KC_SOCK_COMMON_FIELDS)       \
	KC_HEAVY_PROGRAM(hook##_cgroup, target, cgroup, KC_CGROUP_FIELDS)               \
	KC_HEAVY_PROGRAM(hook##_sb, target, super_block, KC_SUPER_BLOCK_FIELDS)

KC_HEAVY_HOOK(nanosleep, "do_nanosleep")
KC_HEAVY_HOOK(exit, "do_exit")
KC_HEAVY_HOOK(fork, "kernel_clone")

KC_LICENSE;
