// A second model module for tests/name_index_test.cc (see name_index_module_a.c).
struct shared { char d; };
struct mod_twice { long two; };

struct shared shared_var_b;
struct mod_twice mod_twice_var_b;
