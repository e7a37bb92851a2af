/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * kcontract_loader.h: the loader helper for loaders written in C.
 *
 *     struct bpf_object *obj = bpf_object__open_file(path, NULL);
 *     struct kcontract_prepare_opts opts = { .sz = sizeof(opts), .object_path = path };
 *     char msg[1024];
 *     int err = kcontract_prepare(obj, &opts, msg, sizeof(msg));
 *     if (err) { fprintf(stderr, "%s\n", msg); return 1; }   // refused, or an error
 *     err = bpf_object__load(obj);
 *
 * Between bpf_object__open*() and bpf_object__load(), kcontract_prepare()
 * runs the pre-load check of `kcontract check` on the kernel (default: the
 * running one) with the installed contracts, chooses the revisions of the
 * object's interfaces that kernel gets (struct_ops maps tagged with
 * KC_STRUCT_OPS_REVISION, kfunc slots KC_KFUNC_CHOICE / KC_KFUNC_OPTIONAL,
 * see <kcontract/kcontract.h>) and prepares the bpf_object for them: maps
 * and programs of other revisions left out, slot values written. Or it
 * refuses, before libbpf says anything, with one message naming the
 * interface, the revisions the object supports, what the kernel has and
 * what its contract says ("withdrawn since 7.1, use ...", with the manifest
 * file and line).
 *
 * libbpf 1.1 cannot give back the ELF image of an opened object, so give the
 * file it was opened from (object_path), or the bytes passed to
 * bpf_object__open_mem() (object_data, object_size).
 *
 * Returns 0 when prepared; -EOPNOTSUPP when refused (the object cannot run on
 * that kernel); -ENOENT when the bpf_object lacks a map or program of the
 * image (opened from another file) or a file is missing; -EINVAL for bad
 * options or unreadable input; -EBUSY when libbpf refuses a setting (the
 * object is already loaded); -ENOMEM. `msg` (if not NULL) always receives a
 * NUL-terminated line: what was prepared, or why not.
 *
 * Link with the kcontract library (pkg-config kcontract); it is C++ inside,
 * so link with a C++-aware driver or add -lstdc++. Works with libbpf 1.1.2
 * (bpf_map__set_autocreate, bpf_map__set_type, bpf_program__set_autoload,
 * bpf_map__set_initial_value) and later releases.
 */
#ifndef KCONTRACT_LOADER_H_
#define KCONTRACT_LOADER_H_

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

struct bpf_object;

struct kcontract_prepare_opts {
	size_t sz;                      /* sizeof(struct kcontract_prepare_opts) */
	const char *object_path;        /* the file the object was opened from, or NULL and: */
	const void *object_data;        /* the bytes given to bpf_object__open_mem() */
	size_t object_size;
	const char *kernel;             /* NULL or "running": the running kernel; else any
	                                 * `kcontract --kernel` source (to see what another
	                                 * kernel would get) */
	const char *const *manifests;   /* NULL-terminated list of manifest files or
	                                 * directories that govern over the installed ones
	                                 * AND over the kernel's own stability tags
	                                 * (STABILITY.md); NULL for none */
	int no_default_manifests;       /* non-zero: leave out the installed manifests */
	const char *installed_manifests;  /* NULL: the installed manifests directory;
	                                   * else a directory read in its place (below the
	                                   * kernel's tags in precedence) */
};

int kcontract_prepare(struct bpf_object *obj, const struct kcontract_prepare_opts *opts,
		      char *msg, size_t msg_size);

#ifdef __cplusplus
}
#endif

#endif /* KCONTRACT_LOADER_H_ */
