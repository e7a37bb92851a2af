/* Shared declarations of the model kernels (see README.md in this directory).
 *
 * A model kernel is a C file compiled with `clang -target bpf -g -O2` whose
 * .BTF section, dumped to a raw BTF file, looks to kcontract like the BTF of
 * a kernel that offers a hook which never merged upstream. This header holds
 * what every such kernel has: the kernel's integer typedefs, the kernel types
 * the hooks pass to BPF (with their real member names, types and nesting, a
 * subset of the members), a few ordinary kernel functions so those types are
 * in BTF even in a kernel without any hook, and the two markers that make a
 * kfunc and a struct_ops registration visible in BTF.
 *
 * Layouts follow the 6.18 kernel's own BTF (../shared/kernels/host-6.18.44,
 * `bpftool btf dump ... format c`), trimmed; members a revision of a hook
 * adds are inserted by each model through the KC_*_EXTRA macros below.
 * Declarations are written for the models, not copied from the kernel.
 */
#ifndef KCONTRACT_TESTS_MODEL_KERNELS_MODEL_KERNEL_H_
#define KCONTRACT_TESTS_MODEL_KERNELS_MODEL_KERNEL_H_

/* --- markers -------------------------------------------------------------- */

/* A kfunc as pahole >= 1.27 leaves it in BTF: a FUNC with a "bpf_kfunc"
 * DECL_TAG (component_idx -1). `used` and `noinline` keep the FUNC. */
#define __bpf_kfunc __attribute__((noinline, used, btf_decl_tag("bpf_kfunc")))

/* An ordinary global kernel function: in BTF as a FUNC, but no kfunc. */
#define KC_KERNEL_FUNC __attribute__((noinline, used))

/* A stability tag in the kernel's own BTF (STABILITY.md):
 * "kcontract:<level>[:<key>=<value>]...". clang 14 accepts btf_decl_tag on
 * functions and on struct types (`struct KC_TAG("...") name { ... };`). */
#define KC_TAG(text) __attribute__((btf_decl_tag(text)))

/* register_bpf_struct_ops(&..., <name>) makes the kernel generate
 * `struct bpf_struct_ops_<name>` whose `data` member is the callback table;
 * kcontract's struct_ops inventory finds struct_ops by that wrapper. A global
 * variable of the wrapper type puts the wrapper into the model's BTF. */
#define KC_REGISTER_STRUCT_OPS(name)                                      \
	struct bpf_struct_ops_##name {                                    \
		int refcnt_placeholder;                                   \
		int state;                                                \
		struct name data;                                         \
	};                                                                \
	struct bpf_struct_ops_##name kc_registered_##name

#ifndef NULL
#define NULL ((void *)0)
#endif

/* --- integer typedefs (include/uapi/asm-generic/int-ll64.h, linux/types.h) - */

typedef signed char __s8;
typedef unsigned char __u8;
typedef short __s16;
typedef unsigned short __u16;
typedef int __s32;
typedef unsigned int __u32;
typedef long long __s64;
typedef unsigned long long __u64;
typedef __s8 s8;
typedef __u8 u8;
typedef __s16 s16;
typedef __u16 u16;
typedef __s32 s32;
typedef __u32 u32;
typedef __s64 s64;
typedef __u64 u64;
typedef _Bool bool;
typedef int __kernel_pid_t;
typedef __kernel_pid_t pid_t;
typedef unsigned int gfp_t;
typedef unsigned long vm_flags_t;
typedef struct { int counter; } atomic_t;
typedef struct { s64 counter; } atomic64_t;
typedef atomic64_t atomic_long_t;

/* --- kernel types the hooks pass to BPF ------------------------------------ */

/* Members a model's revision adds; empty unless the model defines them. */
#ifndef KC_CGROUP_EXTRA
#define KC_CGROUP_EXTRA
#endif
#ifndef KC_MEM_CGROUP_EXTRA
#define KC_MEM_CGROUP_EXTRA
#endif
#ifndef KC_MM_STRUCT_EXTRA
#define KC_MM_STRUCT_EXTRA
#endif
#ifndef KC_TASK_STRUCT_SCHED_EXTRA
#define KC_TASK_STRUCT_SCHED_EXTRA
#endif
#ifndef KC_OOM_CONTROL_EXTRA
#define KC_OOM_CONTROL_EXTRA
#endif
#ifndef KC_OOM_CONSTRAINT_EXTRA
#define KC_OOM_CONSTRAINT_EXTRA
#endif

struct list_head {
	struct list_head *next, *prev;
};

struct callback_head {
	struct callback_head *next;
	void (*func)(struct callback_head *head);
};

struct file;
struct anon_vma;
struct vm_operations_struct;
struct cgroup_subsys;
struct css_set;
struct zonelist;

struct kernfs_node {
	atomic_t count;
	atomic_t active;
	struct kernfs_node *__parent;
	const char *name;
	const void *ns;
	unsigned int hash;
	unsigned short flags;
	u64 id;
	void *priv;
};

struct cgroup;

struct cgroup_subsys_state {
	struct cgroup *cgroup;
	struct cgroup_subsys *ss;
	struct list_head sibling;
	struct list_head children;
	int id;
	unsigned int flags;
	u64 serial_nr;
	struct cgroup_subsys_state *parent;
	int nr_descendants;
};

struct cgroup {
	struct cgroup_subsys_state self;
	unsigned long flags;
	int level;
	int max_depth;
	int nr_descendants;
	int nr_dying_descendants;
	int max_descendants;
	int nr_populated_csets;
	int nr_populated_domain_children;
	int nr_populated_threaded_children;
	int nr_threaded_children;
	unsigned int kill_seq;
	struct kernfs_node *kn;
	KC_CGROUP_EXTRA
};

struct mem_cgroup {
	struct cgroup_subsys_state css;
	unsigned long zswap_max;
	bool zswap_writeback;
	bool oom_group;
	KC_MEM_CGROUP_EXTRA
	int swappiness;
	u64 socket_pressure;
	int kmemcg_id;
};

struct task_struct;

/* mm_struct keeps its members in an anonymous struct (__randomize_layout),
 * as the kernel does, followed by the flexible cpu_bitmap. */
struct mm_struct {
	struct {
		unsigned long mmap_base;
		unsigned long mmap_legacy_base;
		unsigned long task_size;
		atomic_t mm_users;
		atomic_long_t pgtables_bytes;
		int map_count;
		struct list_head mmlist;
		unsigned long hiwater_rss;
		unsigned long hiwater_vm;
		unsigned long total_vm;
		unsigned long locked_vm;
		atomic64_t pinned_vm;
		unsigned long data_vm;
		unsigned long exec_vm;
		unsigned long stack_vm;
		vm_flags_t def_flags;
		unsigned long start_code, end_code, start_data, end_data;
		unsigned long start_brk, brk, start_stack;
		unsigned long arg_start, arg_end, env_start, env_end;
		unsigned long flags;
		struct task_struct *owner;
		struct file *exe_file;
		KC_MM_STRUCT_EXTRA
	};
	unsigned long cpu_bitmap[];
};

typedef struct {
	unsigned long pgprot;
} pgprot_t;

struct vm_area_struct {
	union {
		struct {
			unsigned long vm_start;
			unsigned long vm_end;
		};
		struct callback_head vm_rcu;
	};
	struct mm_struct *vm_mm;
	pgprot_t vm_page_prot;
	union {
		const vm_flags_t vm_flags;
		vm_flags_t __vm_flags;
	};
	unsigned int vm_lock_seq;
	struct list_head anon_vma_chain;
	struct anon_vma *anon_vma;
	const struct vm_operations_struct *vm_ops;
	unsigned long vm_pgoff;
	struct file *vm_file;
	void *vm_private_data;
};

struct task_struct {
	unsigned int __state;
	void *stack;
	unsigned int flags;
	int on_cpu;
	int prio;
	int static_prio;
	int normal_prio;
	unsigned int rt_priority;
	KC_TASK_STRUCT_SCHED_EXTRA
	unsigned int policy;
	int nr_cpus_allowed;
	struct mm_struct *mm;
	struct mm_struct *active_mm;
	int exit_state;
	int exit_code;
	int exit_signal;
	pid_t pid;
	pid_t tgid;
	struct task_struct *real_parent;
	struct task_struct *parent;
	struct list_head children;
	struct list_head sibling;
	struct task_struct *group_leader;
	char comm[16]; /* TASK_COMM_LEN */
	struct css_set *cgroups;
};

typedef struct {
	unsigned long bits[16]; /* MAX_NUMNODES 1024 (NODES_SHIFT 10) */
} nodemask_t;

enum oom_constraint {
	CONSTRAINT_NONE,
	CONSTRAINT_CPUSET,
	CONSTRAINT_MEMORY_POLICY,
	CONSTRAINT_MEMCG,
	KC_OOM_CONSTRAINT_EXTRA
};

struct oom_control {
	struct zonelist *zonelist;
	nodemask_t *nodemask;
	struct mem_cgroup *memcg;
	const gfp_t gfp_mask;
	const int order;
	unsigned long totalpages;
	struct task_struct *chosen;
	long chosen_points;
	enum oom_constraint constraint;
	KC_OOM_CONTROL_EXTRA
};

/* --- ordinary kernel functions (real names and prototypes), which put the
 * types above into every model's BTF, hook or no hook ---------------------- */

KC_KERNEL_FUNC struct task_struct *find_task_by_vpid(pid_t vnr)
{
	return NULL;
}

KC_KERNEL_FUNC struct mm_struct *get_task_mm(struct task_struct *task)
{
	return task->mm;
}

KC_KERNEL_FUNC struct vm_area_struct *find_vma(struct mm_struct *mm, unsigned long addr)
{
	return NULL;
}

KC_KERNEL_FUNC struct mem_cgroup *get_mem_cgroup_from_mm(struct mm_struct *mm)
{
	return NULL;
}

KC_KERNEL_FUNC struct cgroup *cgroup_get_from_id(u64 id)
{
	return NULL;
}

KC_KERNEL_FUNC bool out_of_memory(struct oom_control *oc)
{
	return oc->chosen != NULL;
}

/* clang describes a struct that is reached only through pointer members
 * (task_struct::mm, cgroup_subsys_state::cgroup, ...) as a forward
 * declaration (BTF FWD), which would leave mm_struct or cgroup without
 * members for CO-RE. One variable holding each type by value makes clang
 * emit every one in full. It is the models' own: a real kernel's BTF (made
 * by pahole) has no such variable. */
struct kc_model_types {
	struct task_struct task;
	struct vm_area_struct vma;
	struct kernfs_node kn;
	struct cgroup cgroup;
	struct mem_cgroup memcg;
	struct oom_control oc;
	struct mm_struct mm; /* last: it ends in a flexible array */
};
struct kc_model_types kc_model_types;

#endif /* KCONTRACT_TESTS_MODEL_KERNELS_MODEL_KERNEL_H_ */
