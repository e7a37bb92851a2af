/* task_kfuncs: load task_kfuncs.bpf.o into the running kernel through
 * kcontract's loader helper, run it on a task and print what it found.
 *
 *   task_kfuncs [--object FILE] [--pid PID]
 *
 * A C program, to show the C API (<kcontract_loader.h>): open, prepare,
 * load, run. Exit 0 when the program ran and found the task; 8 when
 * kcontract refused the object for this kernel (the message says why);
 * 1 for any other failure.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <kcontract_loader.h>

#include "task_kfuncs.h"

#ifndef TASK_KFUNCS_OBJECT
#define TASK_KFUNCS_OBJECT "task_kfuncs.bpf.o"
#endif

static const char *const lookup_names[] = {"bpf_task_from_vpid", "bpf_task_from_pid"};

static int run(struct bpf_object *obj, int pid)
{
	struct bpf_program *prog = bpf_object__find_program_by_name(obj, "describe_task");
	struct bpf_map *bss = bpf_object__find_map_by_name(obj, ".bss");
	struct task_info_args args = {.pid = pid};
	struct task_info info;
	int key = 0;
	LIBBPF_OPTS(bpf_test_run_opts, opts, .ctx_in = &args, .ctx_size_in = sizeof(args));

	if (!prog || !bss) {
		fprintf(stderr, "task_kfuncs: the object lacks describe_task or .bss\n");
		return 1;
	}
	if (bpf_prog_test_run_opts(bpf_program__fd(prog), &opts)) {
		fprintf(stderr, "task_kfuncs: running describe_task: %s\n", strerror(errno));
		return 1;
	}
	if (bpf_map_lookup_elem(bpf_map__fd(bss), &key, &info)) {
		fprintf(stderr, "task_kfuncs: reading the result: %s\n", strerror(errno));
		return 1;
	}
	if (info.status) {
		fprintf(stderr, "task_kfuncs: pid %d: %s\n", pid,
			info.status == TASK_INFO_NO_TASK ? "no such task" : "no task lookup kfunc");
		return 1;
	}
	printf("pid %d tgid %d comm %s comm_len %d lookup %s length %s\n", info.pid, info.tgid,
	       info.comm, info.comm_len,
	       info.lookup_kfunc >= 0 && info.lookup_kfunc < 2 ? lookup_names[info.lookup_kfunc] : "?",
	       info.length_kfunc == 0 ? "bpf_strnlen" : "loop");
	return 0;
}

int main(int argc, char **argv)
{
	const char *path = TASK_KFUNCS_OBJECT;
	int pid = getpid();
	char msg[2048];
	int i, err, status;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--object") && i + 1 < argc)
			path = argv[++i];
		else if (!strcmp(argv[i], "--pid") && i + 1 < argc)
			pid = atoi(argv[++i]);
		else {
			fprintf(stderr, "usage: task_kfuncs [--object FILE] [--pid PID]\n");
			return 2;
		}
	}
	struct bpf_object *obj = bpf_object__open_file(path, NULL);
	if (!obj) {
		fprintf(stderr, "task_kfuncs: cannot open %s: %s\n", path, strerror(errno));
		return 1;
	}
	struct kcontract_prepare_opts opts = {.sz = sizeof(opts), .object_path = path};
	err = kcontract_prepare(obj, &opts, msg, sizeof(msg));
	if (err) {
		fprintf(stderr, "%s\n", msg);
		bpf_object__close(obj);
		return err == -EOPNOTSUPP ? 8 : 1;
	}
	printf("%s\n", msg);
	err = bpf_object__load(obj);
	if (err) {
		fprintf(stderr, "task_kfuncs: bpf_object__load: %s\n", strerror(-err));
		bpf_object__close(obj);
		return 1;
	}
	status = run(obj, pid);
	bpf_object__close(obj);
	return status;
}
