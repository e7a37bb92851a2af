/* core_field_exists: CO-RE FIELD_EXISTS (bpf_core_field_exists) on a real
 * rename: inode.i_atime (struct timespec64, 6.1 only) became i_atime_sec +
 * i_atime_nsec (6.12 and 6.18). An existence relocation resolves to 0 or 1
 * and is never poisoned, so every kernel passes.
 *
 * Expect: 6.1=passed_relocation 6.12=passed_relocation 6.18=passed_relocation running=passed_relocation
 * Expect-load: running=loaded
 */
#include "kc_corpus.h"

struct timespec64 {
	long tv_sec;
	long tv_nsec;
};

struct inode {
	struct timespec64 i_atime;
	long i_atime_sec;
} __attribute__((preserve_access_index));

SEC("kprobe/do_nanosleep")
int field_exists(void *ctx)
{
	return bpf_core_field_exists(struct inode, i_atime) * 2 +
	       bpf_core_field_exists(struct inode, i_atime_sec);
}

KC_LICENSE;
