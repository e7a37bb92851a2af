// A model module for tests/name_index_test.cc, made split BTF over the model
// vmlinux by the test.

// vmlinux has its own struct shared: lookups must find vmlinux's.
struct shared { long b; long c; };
// Only in this module.
struct mod_only { int m; };
typedef int mod_typedef;
// In both modules and not in vmlinux.
struct mod_twice { int one; };

struct shared shared_var_a;
struct mod_only mod_only_var;
mod_typedef mod_typedef_var;
struct mod_twice mod_twice_var_a;

int mod_func(struct mod_only *m) { return m->m; }
