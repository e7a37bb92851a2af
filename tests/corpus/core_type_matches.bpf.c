/* core_type_matches: CO-RE TYPE_MATCHES (bpf_core_type_matches) of three
 * shapes of kernfs_node: ___old with 'parent' (matches on 6.1 and 6.12),
 * ___new with '__parent' (matches on 6.18) and ___name with 'const char
 * *name' (matches on 6.1 only: since 6.2 the kernel is built with
 * -funsigned-char, so its 'char' is unsigned in BTF while clang's BPF
 * 'char' is signed, and type matching compares signedness). clang 14
 * cannot emit TYPE_MATCHES, so this source uses bpf_core_type_exists() and
 * the build rewrites those relocations' kind to TYPE_MATCHES
 * (tests/oracle/core_relo_patch.cc). A TYPE_MATCHES relocation resolves to
 * 0 or 1 and is never poisoned.
 *
 * Expect: 6.1=passed_relocation 6.12=passed_relocation 6.18=passed_relocation running=passed_relocation
 * Expect-load: running=loaded
 * Build: type_matches
 */
#include "kc_corpus.h"

struct kernfs_node___old {
	struct kernfs_node___old *parent;
} __attribute__((preserve_access_index));

struct kernfs_node___new {
	struct kernfs_node___new *__parent;
} __attribute__((preserve_access_index));

struct kernfs_node___name {
	const char *name;
} __attribute__((preserve_access_index));

SEC("syscall")
int type_matches(void *ctx)
{
	/* These three become TYPE_MATCHES relocations. */
	return bpf_core_type_exists(struct kernfs_node___old) +
	       bpf_core_type_exists(struct kernfs_node___new) * 2 +
	       bpf_core_type_exists(struct kernfs_node___name) * 4;
}

KC_LICENSE;
