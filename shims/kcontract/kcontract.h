/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * kcontract/kcontract.h: the BPF-side shims in one include.
 *
 *   opt_in.h               KCONTRACT_OPT_IN("token"): acknowledge an
 *                          experimental interface (STABILITY.md)
 *   kfunc_revisions.h      KC_KFUNC_CHOICE / KC_KFUNC_OPTIONAL slots the
 *                          loader fills with the kfunc revision the kernel
 *                          has; KC_KFUNC_WEAK; kc_ksym_exists()
 *   struct_ops_revisions.h KC_STRUCT_OPS_REVISION("iface", "rev") on each
 *                          revision's struct_ops map
 *
 * The loader side is kcontract_prepare() (<kcontract_loader.h>, C) or
 * kcontract::PrepareObject() (abi/loader/loader.h, C++), called between
 * bpf_object__open*() and bpf_object__load().
 *
 * Oldest toolchain: clang 14, libbpf 1.1.2 (Debian 12). The headers say what
 * newer libbpf releases would make simpler.
 */
#ifndef KCONTRACT_KCONTRACT_H_
#define KCONTRACT_KCONTRACT_H_

#include "kfunc_revisions.h"
#include "opt_in.h"
#include "struct_ops_revisions.h"

#endif /* KCONTRACT_KCONTRACT_H_ */
