/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * kcontract/opt_in.h: a BPF object's acknowledgement that it uses an
 * experimental kernel interface (STABILITY.md, "Acknowledging experimental
 * use"). In BPF C:
 *
 *     #include <kcontract/opt_in.h>
 *     KCONTRACT_OPT_IN("bpf_thp");
 *
 * The token is the interface's `opt_in` in its contract (by default the
 * interface's own name). `kcontract lint` and `kcontract check` report use of
 * an experimental interface without its opt-in as an error, and an opt-in
 * that matches no experimental interface the object uses as a note (a typo,
 * or an interface that has since become stable). There is no global opt-in:
 * each interface is named, once per object, in any file of it.
 *
 * How it is built, and why:
 *
 * - The record is a BTF decl tag "kcontract:optin=<token>" on a dedicated
 *   variable. Decl tags are the only BTF that carries free text attached to a
 *   declaration, and BTF is what kcontract reads from objects. The variable
 *   also holds the token as its bytes, so `strings` shows it too.
 *
 * - `static` + `used`: clang -O2 keeps an unreferenced variable (and its BTF)
 *   only when it is `used`; static linkage keeps the names of several
 *   objects' opt-ins from clashing when they are linked into one with
 *   `bpftool gen object`. __COUNTER__ makes several opt-ins in one file
 *   distinct variables.
 *
 * - Its own ELF section, ".kcontract": in .rodata or .data the variable would
 *   become part of a global-data map (a different skeleton, a map created at
 *   load). libbpf 1.1.2 skips a data section it does not recognise, printing
 *   one info line ("elf: skipping unrecognized data section(N) .kcontract"),
 *   as it does for libxdp's .xdp_run_config; nothing references the variable,
 *   so no relocation needs the section. The section's DATASEC stays in the
 *   object's BTF: libbpf sizes it from the ELF section (clang already gives
 *   the variables their offsets) and loads it into the kernel with the rest of
 *   the BTF, which the kernel accepts (tests/opt_in_test.cc loads such an
 *   object with libbpf 1.1.2 and checks the BTF was not dropped). On kernels
 *   without BTF decl tags (before 5.16) libbpf sanitizes the tag away before
 *   loading, as it does for every decl tag.
 *
 * - A non-empty variable: libbpf refuses a DATASEC whose section is empty.
 *
 * Newer libbpf: releases after 1.1 recognise more data sections (arena's
 * .addr_space.1, .jumptables, ...) but none named like ".kcontract", so they
 * skip it the same way; nothing here needs to change for them.
 *
 * Needs a compiler with btf_decl_tag (clang 14 or newer) and -g (no BTF, no
 * record: kcontract warns that an object without BTF cannot be checked).
 */
#ifndef KCONTRACT_OPT_IN_H_
#define KCONTRACT_OPT_IN_H_

#if defined(__has_attribute)
#if !__has_attribute(btf_decl_tag)
#error "KCONTRACT_OPT_IN needs btf_decl_tag (clang 14 or newer)"
#endif
#else
#error "KCONTRACT_OPT_IN needs btf_decl_tag (clang 14 or newer)"
#endif

#define KCONTRACT_OPT_IN_TAG_PREFIX "kcontract:optin="
#define KCONTRACT_OPT_IN_SECTION ".kcontract"

#define KCONTRACT_OPT_IN_CONCAT_(a, b) a##b
#define KCONTRACT_OPT_IN_NAME_(n) KCONTRACT_OPT_IN_CONCAT_(__kcontract_opt_in_, n)

/* `token` must be a string literal: it is pasted into the tag at compile
 * time. Use at file scope, followed by a semicolon. */
#define KCONTRACT_OPT_IN(token)                                              \
  static const char KCONTRACT_OPT_IN_NAME_(__COUNTER__)[]                    \
      __attribute__((used, section(KCONTRACT_OPT_IN_SECTION),                \
                     btf_decl_tag(KCONTRACT_OPT_IN_TAG_PREFIX token))) = token

#endif /* KCONTRACT_OPT_IN_H_ */
