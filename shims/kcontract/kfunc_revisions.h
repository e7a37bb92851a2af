/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * kcontract/kfunc_revisions.h: call whichever revision of a kfunc the kernel
 * has, chosen at load time, from one BPF object.
 *
 * Three situations, one mechanism:
 *   - a kfunc that only some kernels have (bpf_task_from_vpid: 6.18, not 6.12);
 *   - a kfunc renamed (scx_bpf_dispatch -> scx_bpf_dsq_insert);
 *   - a kfunc that kept its name but changed its prototype
 *     (bpf_lookup_user_key(u32 serial, ...) -> (s32 serial, ...) in 6.18).
 *
 * In BPF C:
 *
 *     #include <kcontract/kfunc_revisions.h>
 *
 *     extern struct task_struct *bpf_task_from_vpid(s32 vpid) KC_KFUNC_WEAK;
 *     extern struct task_struct *bpf_task_from_pid(s32 pid) KC_KFUNC_WEAK;
 *     extern void bpf_task_release(struct task_struct *p) KC_KFUNC_WEAK;
 *
 *     KC_KFUNC_CHOICE(task_lookup, "bpf_task_from_vpid&bpf_task_release,"
 *                                  "bpf_task_from_pid&bpf_task_release");
 *     ...
 *     if (KC_CHOSE(task_lookup, 0))
 *             t = bpf_task_from_vpid(pid);
 *     else if (KC_CHOSE(task_lookup, 1))
 *             t = bpf_task_from_pid(pid);
 *
 * A slot is a `const volatile int` in .rodata whose BTF decl tag lists the
 * candidates, best first, separated by ','. A candidate is one kfunc, or
 * several joined by '&' that must all be there; a kfunc may name a revision
 * recorded in a contract, "bpf_lookup_user_key@6.18.44" (manifests/
 * kernel-kfuncs.toml names revisions by the release that first had them),
 * when its name alone does not say which prototype the kernel has. Before the load, the
 * loader helper (kcontract_prepare(), abi/loader/loader.h) writes into each slot
 * the index of the first candidate this kernel provides, or -1; the verifier
 * then sees a constant (libbpf freezes .rodata) and drops the branches not
 * taken, so the kernel never checks a call meant for another revision.
 *   KC_KFUNC_CHOICE   the object cannot run without one of the candidates:
 *                     no candidate, and the loader refuses the load, naming
 *                     the slot, the candidates and what the kernel has;
 *   KC_KFUNC_OPTIONAL -1 is an answer: the object runs without them.
 * A slot is -1 until a loader sets it: an object loaded by plain libbpf
 * takes no kfunc path at all, which is safe but probably not what you want.
 * `kcontract check` shows each slot's choice per kernel.
 *
 * Why a slot the loader fills, and not only an existence check in BPF:
 *
 * - An existence test cannot tell two prototypes of one name apart; a
 *   revision recorded in a contract can.
 * - The choice is made where kcontract sees it: `kcontract check` shows it
 *   per kernel, a contract can rule a candidate out (withdrawn), and a
 *   deprecated fallback is reported only where it is the one used. A test in
 *   BPF code is invisible until the program runs.
 * - The test itself, `&kfunc != NULL`, is an ld_imm64 of the kfunc. libbpf
 *   1.1.2 has no bpf_ksym_exists() macro (1.2 added it) but relocates that
 *   instruction as later releases do: a BTF-id load for a kfunc the kernel
 *   has, 0 for a weak one it lacks. Kernels >= 6.4 accept it; older ones
 *   refuse the load ("pseudo btf_id ... in ldimm64 isn't KIND_VAR"). A slot
 *   is a plain read of .rodata that every kernel accepts. kc_ksym_exists()
 *   below is the test, for objects that want it (measured with 1.1.2 on
 *   6.18: tests/loader_test.cc, KsymExistsTellsAPresentKfuncFromAnAbsentOne).
 *
 * What libbpf 1.1.2 does with the externs, and what that means here:
 *
 * - Every extern is resolved at load, whether or not a loaded program uses
 *   it. A weak kfunc the kernel lacks is set to 0 ("not resolved, defaulting
 *   to zero") and its calls keep BTF id 0: declare every candidate
 *   KC_KFUNC_WEAK. Kernels >= 6.4 accept such a call in dead code; older
 *   ones reject it wherever it is, so there the object needs a kernel that
 *   has every kfunc it names (`kcontract check` says so per kernel).
 * - A kfunc whose local prototype libbpf finds incompatible with the
 *   kernel's (a different number of arguments, or a different kind of
 *   type: pointer vs integer, struct vs forward declaration) fails the load
 *   even when weak ("func_proto [N] incompatible with kernel [M]"). libbpf
 *   1.1 compares kinds and counts only, not names, signedness, widths or
 *   const. So a kfunc that kept its name is handled on 1.1.2 when its
 *   revisions differ in what libbpf does not compare: declare it once (the
 *   newest prototype), and call the older revision through
 *   KC_KFUNC_AS(kfunc, type) with that revision's prototype. clang emits a
 *   direct call either way; the verifier checks the arguments against the
 *   kernel's own prototype.
 * - `___flavour` suffixes on kfunc names are not stripped by 1.1.2 (libbpf
 *   1.3 strips them, and 1.3 also leaves a weak kfunc with an incompatible
 *   prototype unresolved instead of failing). With libbpf >= 1.3 a change in
 *   argument count can be handled by declaring `kfunc___v1` and `kfunc___v2`
 *   weak, each with its own prototype, and naming them as candidates by
 *   their flavoured names. On 1.1.2 such a change cannot live in one object.
 *
 * Needs clang 14 or newer (btf_decl_tag) and -g; works with libbpf 1.1.2
 * (bpf_map__set_initial_value before load) and every later release.
 */
#ifndef KCONTRACT_KFUNC_REVISIONS_H_
#define KCONTRACT_KFUNC_REVISIONS_H_

#if defined(__has_attribute)
#if !__has_attribute(btf_decl_tag)
#error "kcontract/kfunc_revisions.h needs btf_decl_tag (clang 14 or newer)"
#endif
#else
#error "kcontract/kfunc_revisions.h needs btf_decl_tag (clang 14 or newer)"
#endif

#define KC_KFUNC_CHOICE_TAG_PREFIX "kcontract:kfunc_choice="
#define KC_KFUNC_OPTIONAL_TAG_PREFIX "kcontract:kfunc_optional="

/* A kfunc the object can live without: a weak ksym (libbpf's __ksym __weak). */
#define KC_KFUNC_WEAK __attribute__((weak, section(".ksyms")))

#define KC_KFUNC_SLOT_(slot) __kcontract_kfunc_##slot

/* The slot's variable: static, so that slots of several files linked into
 * one object with `bpftool gen object` do not clash; `used`, so that clang
 * keeps a slot (and its tag) even before code reads it. -1 until a loader
 * chooses. */
#define KC_KFUNC_SLOT_DECL_(slot, tag)                                     \
	static const volatile int KC_KFUNC_SLOT_(slot)                     \
		__attribute__((used, btf_decl_tag(tag))) = -1

/* One of `candidates` (a string literal: "a,b&c,d@rev") must be there. */
#define KC_KFUNC_CHOICE(slot, candidates) \
	KC_KFUNC_SLOT_DECL_(slot, KC_KFUNC_CHOICE_TAG_PREFIX candidates)

/* The object runs without any of `candidates`. */
#define KC_KFUNC_OPTIONAL(slot, candidates) \
	KC_KFUNC_SLOT_DECL_(slot, KC_KFUNC_OPTIONAL_TAG_PREFIX candidates)

/* A program the loader loads only when `slot` got a candidate
 * (KC_PROGRAM_IF), or only when it got none (KC_PROGRAM_UNLESS); libbpf
 * never sees the other one (autoload off). For kernels older than 6.4, which
 * refuse a call of an absent weak kfunc even in code the verifier never
 * reaches: put the calls in a program of their own, and the fallback in
 * another. Place it before the function:
 *
 *     SEC("xdp") KC_PROGRAM_IF(xfrm) int filter_xfrm(struct xdp_md *ctx) { ... }
 *     SEC("xdp") KC_PROGRAM_UNLESS(xfrm) int filter(struct xdp_md *ctx) { ... }
 */
#define KC_PROGRAM_IF_TAG_PREFIX "kcontract:program_if="
#define KC_PROGRAM_UNLESS_TAG_PREFIX "kcontract:program_unless="
#define KC_PROGRAM_IF(slot) __attribute__((btf_decl_tag(KC_PROGRAM_IF_TAG_PREFIX #slot)))
#define KC_PROGRAM_UNLESS(slot) __attribute__((btf_decl_tag(KC_PROGRAM_UNLESS_TAG_PREFIX #slot)))

/* The index of the candidate the loader chose, or -1. */
#define KC_CHOSEN(slot) (KC_KFUNC_SLOT_(slot))
/* Whether the loader chose candidate `index` (0 = the first listed). */
#define KC_CHOSE(slot, index) (KC_KFUNC_SLOT_(slot) == (index))

/* `kfunc` called with another revision's prototype `type` (a function type,
 * e.g. `typeof(struct bpf_key *(u32, u64))`): see the header comment. */
#define KC_KFUNC_AS(kfunc, type) ((type *)(kfunc))

/*
 * kc_ksym_exists(sym): whether a weak ksym was resolved, tested in BPF (the
 * equivalent of libbpf 1.2's bpf_ksym_exists()). With libbpf 1.1.2 it works
 * for ksym variables everywhere and for kfuncs on kernels >= 6.4 (see
 * above). A strong declaration always exists, so clang folds the test to a
 * constant: the assertion makes that a compile error instead of a test that
 * cannot fail.
 */
#define kc_ksym_exists(sym)                                                  \
	({                                                                   \
		_Static_assert(!__builtin_constant_p(!!(sym)),               \
			       "kc_ksym_exists(" #sym "): a strong declaration " \
			       "always exists; declare " #sym " weak");       \
		(int)!!(sym);                                                \
	})

#endif /* KCONTRACT_KFUNC_REVISIONS_H_ */
