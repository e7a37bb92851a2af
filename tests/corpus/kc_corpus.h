/* Common prelude of the kcontract BPF corpus (tests/corpus/NAME.bpf.c).
 *
 * The corpus does not use a generated vmlinux.h: every object declares the
 * kernel types it touches itself, with preserve_access_index, so that each
 * object's BTF holds exactly what it relocates and the header comment of each
 * source can say precisely which kernel difference it exercises.
 *
 * Each source starts with a comment holding lines the oracle test reads:
 *   Expect: 6.1=<class> 6.12=<class> 6.18=<class> running=<class>
 *   Expect-load: running=<load>
 * <class> is what libbpf 1.1.2 does before the kernel's verifier runs
 * (relo_failed, extern_failed, struct_ops_failed, attach_target_missing,
 * poisoned, passed_relocation); <load> is the real result of loading into the
 * running kernel (loaded, eperm, verifier_rejected, poison_reached, or the
 * class when libbpf stopped first). See tests/oracle/README.md.
 */
#ifndef KC_CORPUS_H_
#define KC_CORPUS_H_

typedef unsigned char __u8;
typedef unsigned short __u16;
typedef unsigned int __u32;
typedef unsigned long long __u64;
typedef signed char __s8;
typedef short __s16;
typedef int __s32;
typedef long long __s64;
typedef __u16 __be16;
typedef __u32 __be32;
typedef __u32 __wsum;
typedef __u8 u8;
typedef __u16 u16;
typedef __u32 u32;
typedef __u64 u64;
typedef __s32 s32;
typedef __s64 s64;
typedef _Bool bool;
#define true 1
#define false 0
typedef int pid_t;

#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>

#define KC_LICENSE char LICENSE[] SEC("license") = "GPL"

#endif  /* KC_CORPUS_H_ */
