/* core_anon_member: fields that a flat member list misses but libbpf finds
 * inside anonymous structs/unions: file.f_path (top level on 6.1/6.12,
 * inside an anonymous union on 6.18) and vm_area_struct.vm_start (top level
 * on 6.1, inside an anonymous struct in an anonymous union on 6.12/6.18).
 *
 * Expect: 6.1=passed_relocation 6.12=passed_relocation 6.18=passed_relocation running=passed_relocation
 * Expect-load: running=loaded
 */
#include "kc_corpus.h"

struct dentry {
	unsigned int d_flags;
} __attribute__((preserve_access_index));

struct path {
	void *mnt;
	struct dentry *dentry;
} __attribute__((preserve_access_index));

struct file {
	struct path f_path;
} __attribute__((preserve_access_index));

struct vm_area_struct {
	unsigned long vm_start;
} __attribute__((preserve_access_index));

struct mm_struct {
	struct file *exe_file;
} __attribute__((preserve_access_index));

struct task_struct {
	struct mm_struct *mm;
} __attribute__((preserve_access_index));

SEC("kprobe/do_nanosleep")
int anon_member(void *ctx)
{
	struct task_struct *t = (void *)bpf_get_current_task();
	struct vm_area_struct *vma = 0;
	struct dentry *d = BPF_CORE_READ(t, mm, exe_file, f_path.dentry);

	return (d != 0) + bpf_core_field_size(vma->vm_start);
}

KC_LICENSE;
