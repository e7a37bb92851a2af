/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * kcontract/struct_ops_revisions.h: one BPF object that implements several
 * revisions of a struct_ops callback table; the loader creates and attaches
 * only the one the kernel has.
 *
 * Each revision is a struct_ops map marked with the interface and the
 * revision name its contract records (STABILITY.md; `kcontract probe` shows
 * which revision a kernel has):
 *
 *     #include <kcontract/struct_ops_revisions.h>
 *
 *     SEC(".struct_ops")
 *     struct bpf_thp_ops thp_policy_v9 KC_STRUCT_OPS_REVISION("bpf_thp_ops", "v9") = {
 *             .thp_get_order = (void *)thp_order_v9,
 *     };
 *
 * Before the load, the loader helper (kcontract_prepare(), abi/loader/loader.h)
 * asks the contracts which revision the kernel has, keeps the map tagged
 * with it and leaves every other revision's map, and the programs only
 * those maps use, out of the load. When the kernel has none of the
 * object's revisions, or the contract says the interface is withdrawn, it
 * refuses with one message naming the interface, the revisions the object
 * implements, what the kernel has and what the contract says. Maps without
 * the tag are left alone. `kcontract check` shows the same choice.
 *
 * The record is a BTF decl tag "kcontract:revision=<interface>@<revision>"
 * on the map's variable: BTF is what kcontract reads from objects, decl
 * tags are the BTF that carries text, and the variable is the map (libbpf
 * names a struct_ops map after it). The kernel accepts decl tags in a
 * program's BTF (5.16 and later; libbpf removes them for older kernels).
 *
 * One revision per C file, linked into one object. libbpf 1.1 finds a
 * struct_ops map's kernel type by the local type's exact name, so every
 * revision must be declared as `struct bpf_thp_ops`, and two different
 * definitions of one struct cannot share a C file. Write the policy once, in
 * a header of `static __always_inline` functions, include it from one small
 * C file per revision that holds that revision's callback table and
 * programs, and link the files:
 *
 *     clang -target bpf -O2 -g -c thp_rfc_v4.bpf.c -o thp_rfc_v4.bpf.o
 *     clang -target bpf -O2 -g -c thp_v9.bpf.c -o thp_v9.bpf.o
 *     bpftool gen object thp_policy.bpf.o thp_rfc_v4.bpf.o thp_v9.bpf.o
 *
 * bpftool's static linker (bpftool 7.1, libbpf 1.1) concatenates the
 * .struct_ops sections, and BTF deduplication keeps both definitions of
 * `struct bpf_thp_ops` because they differ. Global variables shared by the
 * revisions (settings user space writes) are defined in one file and
 * declared `extern` in the others; the linker resolves them.
 *
 * A kfunc may be declared in only one of the linked files: bpftool 7.1's
 * linker (libbpf's up to 1.3; 1.5 fixed it) refuses a kfunc extern that two
 * files declare ("global 'bpf_task_is_oom_victim': failed to resolve size of
 * underlying type: -22"). Put the code that calls kfuncs in one file, as a
 * global (noinline) function the revisions' callbacks call, and tag its
 * pointer arguments `__attribute__((btf_decl_tag("arg:trusted")))` so the
 * verifier keeps the callback's trusted pointers across the call (kernels
 * >= 6.8); examples/oom_policy does.
 *
 * What the loader does with an unused revision, and why (libbpf 1.1.2):
 * 1.1.2 prepares the kernel side of EVERY struct_ops map at load
 * (bpf_object__init_kern_struct_ops_maps), whether or not the map is to be
 * created, and fails the whole load when the kernel lacks the type or a
 * member ("struct_ops init_kern: struct bpf_thp_ops is not found in kernel
 * BTF"). So the loader sets autocreate off AND changes the map's type to an
 * array (bpf_map__set_type), which takes it out of libbpf's struct_ops pass,
 * and turns autoload off for the programs only that map uses (1.1.2 cannot
 * load a struct_ops program whose map was skipped: -524). With autocreate
 * off alone, 1.1.2 fails the load, or, when no program left to load needs
 * the kernel's BTF, crashes reading the BTF it never loaded. Measured with
 * libbpf 1.1.2 on 6.18 (tests/loader_test.cc). libbpf >= 1.4 skips the
 * struct_ops preparation of maps with autocreate off, so there the type
 * change is unneeded (and harmless); 1.4 also finds struct_ops types with a
 * `___flavour` suffix, so all revisions could live in one C file as
 * `struct bpf_thp_ops___v9` etc., and offers SEC("?.struct_ops") maps that
 * start with autocreate off.
 *
 * Needs clang 14 or newer (btf_decl_tag) and -g.
 */
#ifndef KCONTRACT_STRUCT_OPS_REVISIONS_H_
#define KCONTRACT_STRUCT_OPS_REVISIONS_H_

#if defined(__has_attribute)
#if !__has_attribute(btf_decl_tag)
#error "kcontract/struct_ops_revisions.h needs btf_decl_tag (clang 14 or newer)"
#endif
#else
#error "kcontract/struct_ops_revisions.h needs btf_decl_tag (clang 14 or newer)"
#endif

#define KC_STRUCT_OPS_REVISION_TAG_PREFIX "kcontract:revision="

/* `interface` and `revision` are string literals: the struct_ops type's
 * name and a revision its contract records. Place it after the variable's
 * name, before the initializer. */
#define KC_STRUCT_OPS_REVISION(interface, revision) \
	__attribute__((btf_decl_tag(KC_STRUCT_OPS_REVISION_TAG_PREFIX interface "@" revision)))

#endif /* KCONTRACT_STRUCT_OPS_REVISIONS_H_ */
