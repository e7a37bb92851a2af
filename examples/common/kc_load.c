/* kc_load: prepare a BPF object with kcontract's loader helper, show what
 * was chosen, and (unless --dry-run) load it and attach its struct_ops maps.
 *
 *   kc_load [--kernel SRC] [--manifest FILE|DIR]... [--no-default-manifests]
 *           [--sleepable PROG]... [--dry-run] OBJECT
 *
 * --kernel prepares for another kernel (a model kernel's BTF, a Debian image)
 * to see what it would get; loading only ever goes into the running kernel,
 * so --kernel implies --dry-run. Prints the helper's line, then one line per
 * map and program: "map NAME: create" / "map NAME: left out", "program NAME:
 * load" / "program NAME: left out". Exit 0 prepared (and loaded), 8 refused
 * (the message on stderr), 1 other failures, 2 usage.
 *
 * --sleepable marks a program BPF_F_SLEEPABLE before the load: libbpf 1.1
 * has no SEC("struct_ops.s/...") (1.2 added it), and a struct_ops callback
 * that calls a KF_SLEEPABLE kfunc (BPF OOM's bpf_oom_kill_process) must be
 * loaded sleepable. The line of such a program says "load (sleepable)".
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <bpf/libbpf.h>
#include <linux/bpf.h>
#include <kcontract_loader.h>

#define KC_MAX_MANIFESTS 16
#define KC_MAX_SLEEPABLE 16

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static void show(struct bpf_object *obj)
{
	struct bpf_map *map;
	struct bpf_program *prog;

	bpf_object__for_each_map(map, obj) {
		if (bpf_map__is_internal(map))
			continue;
		printf("map %s: %s\n", bpf_map__name(map), bpf_map__autocreate(map) ? "create" : "left out");
	}
	bpf_object__for_each_program(prog, obj)
		printf("program %s: %s%s\n", bpf_program__name(prog),
		       bpf_program__autoload(prog) ? "load" : "left out",
		       bpf_program__autoload(prog) && (bpf_program__flags(prog) & BPF_F_SLEEPABLE)
			       ? " (sleepable)" : "");
}

/* 0, or 1 after saying which name matches no program. */
static int mark_sleepable(struct bpf_object *obj, const char *const *names, int n)
{
	for (int i = 0; i < n; i++) {
		struct bpf_program *prog = bpf_object__find_program_by_name(obj, names[i]);

		if (!prog) {
			fprintf(stderr, "kc_load: --sleepable %s: no such program\n", names[i]);
			return 1;
		}
		bpf_program__set_flags(prog, bpf_program__flags(prog) | BPF_F_SLEEPABLE);
	}
	return 0;
}

/* Attaches every struct_ops map libbpf created; waits for a signal. */
static int attach_and_wait(struct bpf_object *obj)
{
	struct bpf_link *links[64];
	struct bpf_map *map;
	int n = 0, i;

	bpf_object__for_each_map(map, obj) {
		if (bpf_map__type(map) != BPF_MAP_TYPE_STRUCT_OPS || bpf_map__fd(map) < 0 || n == 64)
			continue;
		links[n] = bpf_map__attach_struct_ops(map);
		if (!links[n]) {
			fprintf(stderr, "kc_load: attaching %s: %s\n", bpf_map__name(map), strerror(errno));
			break;
		}
		printf("attached %s\n", bpf_map__name(map));
		n++;
	}
	if (n) {
		signal(SIGINT, on_signal);
		signal(SIGTERM, on_signal);
		printf("running; interrupt to detach\n");
		fflush(stdout);
		while (!stop)
			pause();
	}
	for (i = 0; i < n; i++)
		bpf_link__destroy(links[i]);
	return 0;
}

int main(int argc, char **argv)
{
	const char *manifests[KC_MAX_MANIFESTS + 1] = {0};
	const char *sleepable[KC_MAX_SLEEPABLE] = {0};
	int n_sleepable = 0;
	struct kcontract_prepare_opts opts = {.sz = sizeof(opts)};
	const char *path = NULL;
	int n_manifests = 0, dry_run = 0, i, err;
	char msg[4096];

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--kernel") && i + 1 < argc) {
			opts.kernel = argv[++i];
			dry_run = 1;
		} else if (!strcmp(argv[i], "--manifest") && i + 1 < argc && n_manifests < KC_MAX_MANIFESTS) {
			manifests[n_manifests++] = argv[++i];
		} else if (!strcmp(argv[i], "--sleepable") && i + 1 < argc &&
			   n_sleepable < KC_MAX_SLEEPABLE) {
			sleepable[n_sleepable++] = argv[++i];
		} else if (!strcmp(argv[i], "--no-default-manifests")) {
			opts.no_default_manifests = 1;
		} else if (!strcmp(argv[i], "--dry-run")) {
			dry_run = 1;
		} else if (argv[i][0] != '-' && !path) {
			path = argv[i];
		} else {
			fprintf(stderr, "usage: kc_load [--kernel SRC] [--manifest FILE|DIR]... "
					"[--no-default-manifests] [--sleepable PROG]... [--dry-run] OBJECT\n");
			return 2;
		}
	}
	if (!path) {
		fprintf(stderr, "kc_load: no object given\n");
		return 2;
	}
	opts.object_path = path;
	opts.manifests = n_manifests ? manifests : NULL;
	struct bpf_object *obj = bpf_object__open_file(path, NULL);
	if (!obj) {
		fprintf(stderr, "kc_load: cannot open %s: %s\n", path, strerror(errno));
		return 1;
	}
	err = kcontract_prepare(obj, &opts, msg, sizeof(msg));
	if (err) {
		fprintf(stderr, "%s\n", msg);
		bpf_object__close(obj);
		return err == -EOPNOTSUPP ? 8 : 1;
	}
	printf("%s\n", msg);
	if (mark_sleepable(obj, sleepable, n_sleepable)) {
		bpf_object__close(obj);
		return 2;
	}
	show(obj);
	if (!dry_run) {
		err = bpf_object__load(obj);
		if (err) {
			fprintf(stderr, "kc_load: bpf_object__load: %s\n", strerror(-err));
			bpf_object__close(obj);
			return 1;
		}
		printf("loaded\n");
		attach_and_wait(obj);
	}
	bpf_object__close(obj);
	return 0;
}
