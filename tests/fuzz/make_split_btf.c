/* Seeds for the fuzz targets: BTF with every kind a kernel has (kfuncs with
 * bpf_kfunc and stability decl tags, a registered struct_ops table with a
 * tagged member, enums, arrays, typedefs, modifiers, variables, a datasec),
 * written as raw BTF, standalone or as split BTF over a base.
 *
 *   make_split_btf OUT [BASE]   BASE: raw BTF the output is split over
 */
#include <bpf/btf.h>
#include <linux/btf.h>
#include <stdio.h>
#include <stdlib.h>

static int check(int id, const char *what) {
  if (id < 0) {
    fprintf(stderr, "make_split_btf: %s failed (%d)\n", what, id);
    exit(1);
  }
  return id;
}

int main(int argc, char **argv) {
  if (argc < 2 || argc > 3) {
    fprintf(stderr, "usage: make_split_btf OUT [BASE]\n");
    return 2;
  }
  struct btf *base = NULL;
  if (argc == 3) {
    base = btf__parse_raw(argv[2]);
    if (base == NULL) {  /* libbpf 1.x: NULL and errno on error */
      fprintf(stderr, "make_split_btf: cannot read %s\n", argv[2]);
      return 1;
    }
  }
  struct btf *btf = base ? btf__new_empty_split(base) : btf__new_empty();
  if (btf == NULL) return 1;
  int s32 = check(btf__add_int(btf, "int", 4, BTF_INT_SIGNED), "int");
  int u64 = check(btf__add_int(btf, "unsigned long long", 8, 0), "u64");
  int chr = check(btf__add_int(btf, "char", 1, BTF_INT_CHAR), "char");
  int u64_t = check(btf__add_typedef(btf, "u64", u64), "typedef");
  int cchr = check(btf__add_const(btf, chr), "const");
  int cstr = check(btf__add_ptr(btf, cchr), "ptr");

  int task = check(btf__add_struct(btf, "fuzz_task", 16), "struct");
  check(btf__add_field(btf, "pid", s32, 0, 0), "field");
  check(btf__add_field(btf, "flags", u64_t, 64, 0), "field");
  int task_ptr = check(btf__add_ptr(btf, task), "ptr");
  int arr = check(btf__add_array(btf, s32, chr, 16), "array");
  int vol = check(btf__add_volatile(btf, arr), "volatile");
  (void)vol;
  int mode = check(btf__add_enum(btf, "fuzz_mode", 4), "enum");
  check(btf__add_enum_value(btf, "FUZZ_OFF", 0), "enumval");
  check(btf__add_enum_value(btf, "FUZZ_ON", 1), "enumval");

  /* struct fuzz_task *bpf_fuzz_acquire(struct fuzz_task *p, int mode__k) */
  int proto = check(btf__add_func_proto(btf, task_ptr), "proto");
  check(btf__add_func_param(btf, "p", task_ptr), "param");
  check(btf__add_func_param(btf, "mode__k", mode), "param");
  int func = check(btf__add_func(btf, "bpf_fuzz_acquire", BTF_FUNC_GLOBAL, proto), "func");
  check(btf__add_decl_tag(btf, "bpf_kfunc", func, -1), "decl_tag");
  check(btf__add_decl_tag(btf, "kcontract:stable:since=6.18", func, -1), "decl_tag");
  /* void bpf_fuzz_release(struct fuzz_task *p): deprecated */
  int vproto = check(btf__add_func_proto(btf, 0), "proto");
  check(btf__add_func_param(btf, "p", task_ptr), "param");
  int release = check(btf__add_func(btf, "bpf_fuzz_release", BTF_FUNC_GLOBAL, vproto), "func");
  check(btf__add_decl_tag(btf, "bpf_kfunc", release, -1), "decl_tag");
  check(btf__add_decl_tag(btf, "kcontract:deprecated:remove=7.0:use=bpf_fuzz_acquire", release,
                          -1),
        "decl_tag");

  /* struct fuzz_ops { int (*init)(struct fuzz_task *); const char *name; } */
  int cb_proto = check(btf__add_func_proto(btf, s32), "proto");
  check(btf__add_func_param(btf, "", task_ptr), "param");
  int cb_ptr = check(btf__add_ptr(btf, cb_proto), "ptr");
  int ops = check(btf__add_struct(btf, "fuzz_ops", 16), "struct");
  check(btf__add_field(btf, "init", cb_ptr, 0, 0), "field");
  check(btf__add_field(btf, "name", cstr, 64, 0), "field");
  check(btf__add_decl_tag(btf, "kcontract:experimental:optin=fuzz_ops", ops, -1), "decl_tag");
  check(btf__add_decl_tag(btf, "kcontract:stable", ops, 0), "decl_tag");
  check(btf__add_struct(btf, "bpf_struct_ops_fuzz_ops", 24), "struct");
  check(btf__add_field(btf, "refcnt", u64, 0, 0), "field");
  check(btf__add_field(btf, "data", ops, 64, 0), "field");

  int var = check(btf__add_var(btf, "fuzz_mode_now", BTF_VAR_GLOBAL_ALLOCATED, mode), "var");
  int sec = check(btf__add_datasec(btf, ".data..percpu", 4), "datasec");
  check(btf__add_datasec_var_info(btf, var, 0, 4), "datasec var");
  (void)sec;

  unsigned int size = 0;
  const void *raw = btf__raw_data(btf, &size);
  FILE *out = fopen(argv[1], "wb");
  if (!raw || !out || fwrite(raw, 1, size, out) != size || fclose(out) != 0) {
    fprintf(stderr, "make_split_btf: cannot write %s\n", argv[1]);
    return 1;
  }
  btf__free(btf);
  btf__free(base);
  return 0;
}
