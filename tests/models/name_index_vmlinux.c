// A model vmlinux for tests/name_index_test.cc, linked with
// name_index_vmlinux_dup.c (bpftool gen object) into one BTF blob. Every type
// is used by a variable or a function so that clang emits its BTF.

// Also in both module models, with other members: vmlinux's comes first.
struct shared { int a; };
// A name and a flavour of it (CO-RE's ___ suffix), both in vmlinux.
struct task { int pid; };
struct task___v2 { long pid; };
// A typedef and a struct of the same name: a bare name finds the typedef.
struct both { int x; };
typedef int both;
union onion { int i; long l; };
enum small { SMALL_A = 1 };
typedef unsigned long long u64;

struct shared shared_var;
struct task task_var;
struct task___v2 task_v2_var;
struct both both_struct_var;
both both_typedef_var;
union onion onion_var;
enum small small_var;
u64 u64_var;

// Debian's 6.1 BTF repeats static function names: this one and the one in
// name_index_vmlinux_dup.c, whose prototype differs, are both kept.
static __attribute__((noinline)) int dup(int a) { return a + 1; }
int dup_user(int x) { return dup(x); }
