// What the example tests (examples_test.cc, examples_oom_test.cc,
// examples_ct_test.cc) share: where the built examples are, and what the
// loader helper's C API made of an object for one kernel.
#ifndef KCONTRACT_TESTS_EXAMPLE_SUPPORT_H_
#define KCONTRACT_TESTS_EXAMPLE_SUPPORT_H_

#include <string>
#include <vector>

namespace kcontract::testing {

// build/examples/<dir>/<name>.bpf.o
std::string Example(const std::string& dir, const std::string& name);
// build/bin/<name>
std::string ExampleTool(const std::string& name);
// The repository's manifests directory.
std::string SourceManifests();

// What kcontract_prepare() made of an object for one kernel.
struct Prepared {
  int err = 0;
  std::string message;
  std::vector<std::string> created_maps;    // struct_ops maps left to create
  std::vector<std::string> left_out_maps;   // autocreate off, retyped to an array
  std::vector<std::string> loaded_programs;
  std::vector<std::string> left_out_programs;
};

// Opens `object` with libbpf, prepares it for `kernel` through the C API
// with the repository's manifests in the place of the installed ones.
Prepared PrepareWithCApi(const std::string& object, const std::string& kernel);

}  // namespace kcontract::testing

#endif  // KCONTRACT_TESTS_EXAMPLE_SUPPORT_H_
