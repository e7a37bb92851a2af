// Built against an installed kcontract by tests/install/install_test.sh, to
// prove the installed headers, library and package files are usable.
#include <cstdio>

#include "btfdiff/inventory/kfunc_inventory.h"
#include "btfdiff/source/kernel_source.h"

int main(int argc, char** argv) {
  auto kernel = kcontract::LoadKernel(argc > 1 ? argv[1] : "running");
  if (!kernel.ok()) {
    std::fprintf(stderr, "%s\n", std::string(kernel.status().message()).c_str());
    return 1;
  }
  std::printf("%zu kfuncs\n", kcontract::CollectKfuncs(**kernel).kfuncs.size());
  return 0;
}
