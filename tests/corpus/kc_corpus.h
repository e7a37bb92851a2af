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
 *
 * Those two lines are libbpf 1.1.2's (Debian 12's). The upstream releases
 * the tests also build (tests/libbpf_versions_oracle_test.cc) have their own:
 *   Expect-libbpf-1.3: 6.1=<class> 6.12=<class> 6.18=<class> running=<class>
 *   Expect-load-libbpf-1.3: running=<load>
 * and likewise 1.5 and 1.7. A release without its own line expects what the
 * nearest older release's line says (1.7 -> 1.5 -> 1.3 -> 1.1.2), so only
 * objects whose verdict changes with the libbpf version need them; the
 * objects written for a version-dependent feature state every release.
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

/* Whether libbpf resolved the weak extern `sym` (a kfunc or ksym): its
 * address, which libbpf sets to zero when it leaves the extern unresolved.
 * libbpf 1.2 added this as bpf_ksym_exists(); Debian's 1.1.2 headers, which
 * the corpus builds with, lack it. */
#define KC_KSYM_EXISTS(sym) (!!(sym))

#endif  /* KC_CORPUS_H_ */
