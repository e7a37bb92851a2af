/* kc_loader_probe: real libbpf 1.1.2, a model kernel, and the loader helper
 * in between, for tests/examples_test.cc.
 *
 *   kc_loader_probe --btf KERNEL.btf --object OBJ [--no-prepare]
 *
 * In a private mount namespace, the kernel's raw BTF is bind-mounted over
 * /sys/kernel/btf/vmlinux (the oracle's technique, tests/oracle/README.md),
 * so that both kcontract_prepare() with the default kernel ("running") and
 * libbpf's struct_ops, extern and CO-RE passes see that kernel. Then the
 * object is opened, prepared (unless --no-prepare) and loaded. The running
 * kernel cannot create a struct_ops map whose type ids are another kernel's,
 * so the maps still to be created get autocreate off just before the load,
 * as the oracle does; libbpf 1.1.2 still prepares their kernel side.
 *
 * Prints "prepared: MSG" or "refused: MSG", then "class: C" where C is
 * struct_ops_failed (libbpf's struct_ops pass refused the object),
 * extern_failed, relo_failed, past_libbpf (libbpf's own checks passed; the
 * load succeeded, or the running kernel refused a program, as it must one
 * built for the model's type ids), or other. Exit 0 after a load attempt, 8 refused, 77 when the
 * namespace cannot be set up here (the reason on stderr), 1 other errors.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>

#include <bpf/libbpf.h>
#include <kcontract_loader.h>

#define SYS_VMLINUX "/sys/kernel/btf/vmlinux"

static char log_text[1 << 16];
static size_t log_len;

static int capture(enum libbpf_print_level level, const char *format, va_list args)
{
	if ((level == LIBBPF_DEBUG && !getenv("KC_PROBE_DEBUG")) || log_len >= sizeof(log_text) - 1)
		return 0;
	int n = vsnprintf(log_text + log_len, sizeof(log_text) - log_len, format, args);
	if (n > 0)
		log_len += (size_t)n < sizeof(log_text) - log_len ? (size_t)n : sizeof(log_text) - 1 - log_len;
	return 0;
}

static int enter_kernel(const char *btf)
{
	struct stat a, b;

	if (unshare(CLONE_NEWNS) != 0) {
		fprintf(stderr, "unshare(CLONE_NEWNS): %s\n", strerror(errno));
		return 77;
	}
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0 ||
	    mount(btf, SYS_VMLINUX, NULL, MS_BIND, NULL) != 0) {
		fprintf(stderr, "mounting %s over %s: %s\n", btf, SYS_VMLINUX, strerror(errno));
		return 77;
	}
	if (stat(btf, &a) != 0 || stat(SYS_VMLINUX, &b) != 0 || a.st_ino != b.st_ino ||
	    a.st_dev != b.st_dev) {
		fprintf(stderr, "%s is not %s after the bind mount\n", SYS_VMLINUX, btf);
		return 77;
	}
	return 0;
}

static const char *classify(int err)
{
	if (strstr(log_text, "struct_ops init_kern"))
		return "struct_ops_failed";
	if (strstr(log_text, "extern (func ksym)") || strstr(log_text, "(strong): not resolved"))
		return "extern_failed";
	if (strstr(log_text, "failed to perform CO-RE relocations"))
		return "relo_failed";
	/* Loaded, or refused by the running kernel's verifier: libbpf is done. */
	if (err == 0 || strstr(log_text, "BPF program load failed"))
		return "past_libbpf";
	return "other";
}

int main(int argc, char **argv)
{
	const char *btf = NULL, *object = NULL;
	int prepare = 1, i, err;
	char msg[4096];

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--btf") && i + 1 < argc)
			btf = argv[++i];
		else if (!strcmp(argv[i], "--object") && i + 1 < argc)
			object = argv[++i];
		else if (!strcmp(argv[i], "--no-prepare"))
			prepare = 0;
		else
			break;
	}
	if (!btf || !object || i != argc) {
		fprintf(stderr, "usage: kc_loader_probe --btf KERNEL.btf --object OBJ [--no-prepare]\n");
		return 2;
	}
	err = enter_kernel(btf);
	if (err)
		return err;
	libbpf_set_print(capture);
	struct bpf_object *obj = bpf_object__open_file(object, NULL);
	if (!obj) {
		fprintf(stderr, "cannot open %s: %s\n", object, strerror(errno));
		return 1;
	}
	if (prepare) {
		struct kcontract_prepare_opts opts = {.sz = sizeof(opts), .object_path = object};
		err = kcontract_prepare(obj, &opts, msg, sizeof(msg));
		printf("%s: %s\n", err ? "refused" : "prepared", msg);
		if (err) {
			bpf_object__close(obj);
			return err == -EOPNOTSUPP ? 8 : 1;
		}
	}
	struct bpf_map *map;
	bpf_object__for_each_map(map, obj) {
		if (bpf_map__type(map) == BPF_MAP_TYPE_STRUCT_OPS)
			bpf_map__set_autocreate(map, false);
	}
	err = bpf_object__load(obj);
	printf("load: %d\nclass: %s\n", err, classify(err));
	fputs(log_text, stderr);
	bpf_object__close(obj);
	return 0;
}
