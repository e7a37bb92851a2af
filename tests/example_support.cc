#include "tests/example_support.h"

#include <gtest/gtest.h>

#include <bpf/libbpf.h>

#include "shims/kcontract_loader.h"

namespace kcontract::testing {

std::string Example(const std::string& dir, const std::string& name) {
  return std::string(KC_EXAMPLE_DIR) + "/" + dir + "/" + name + ".bpf.o";
}

std::string ExampleTool(const std::string& name) {
  return std::string(KC_EXAMPLE_BIN_DIR) + "/" + name;
}

std::string SourceManifests() { return std::string(KCONTRACT_SOURCE_DIR) + "/manifests"; }

Prepared PrepareWithCApi(const std::string& object, const std::string& kernel) {
  Prepared out;
  bpf_object* obj = bpf_object__open_file(object.c_str(), nullptr);
  EXPECT_NE(obj, nullptr) << object;
  if (obj == nullptr) return out;
  // The repository's manifests in the place of the installed ones: below
  // the kernel's own tags, as a distribution's would be.
  std::string manifests = SourceManifests();
  kcontract_prepare_opts opts{};
  opts.sz = sizeof(opts);
  opts.object_path = object.c_str();
  opts.kernel = kernel.c_str();
  opts.installed_manifests = manifests.c_str();
  char msg[4096];
  out.err = kcontract_prepare(obj, &opts, msg, sizeof(msg));
  out.message = msg;
  bpf_map* map;
  bpf_object__for_each_map(map, obj) {
    if (bpf_map__is_internal(map)) continue;
    if (bpf_map__autocreate(map)) {
      EXPECT_EQ(bpf_map__type(map), BPF_MAP_TYPE_STRUCT_OPS) << bpf_map__name(map);
      out.created_maps.push_back(bpf_map__name(map));
    } else {
      // The helper retypes a left-out table for libbpf < 1.4, which would
      // prepare it anyway; 1.4 honours autocreate alone and keeps the type.
      const bool retyped = libbpf_major_version() == 1 && libbpf_minor_version() < 4;
      EXPECT_EQ(bpf_map__type(map), retyped ? BPF_MAP_TYPE_ARRAY : BPF_MAP_TYPE_STRUCT_OPS)
          << bpf_map__name(map);
      out.left_out_maps.push_back(bpf_map__name(map));
    }
  }
  bpf_program* program;
  bpf_object__for_each_program(program, obj) {
    (bpf_program__autoload(program) ? out.loaded_programs : out.left_out_programs)
        .push_back(bpf_program__name(program));
  }
  bpf_object__close(obj);
  return out;
}

}  // namespace kcontract::testing
