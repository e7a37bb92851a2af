// The oldest libbpf release that can load an object, as the object alone
// tells (a kernel may ask for more: which weak kfuncs resolve, which
// struct_ops members it lacks), and why: each thing the object uses that
// only later releases handle (libbpf_version.h's rows), or what no release
// accepts. `kcontract object show` states it; `kcontract lint
// --libbpf-min` fails an object that needs more than a distribution ships.
#ifndef KCONTRACT_ABI_LIBBPF_LIBBPF_REQUIREMENT_H_
#define KCONTRACT_ABI_LIBBPF_LIBBPF_REQUIREMENT_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "abi/finding/finding.h"
#include "abi/libbpf/libbpf_version.h"
#include "abi/object/bpf_object.h"

namespace kcontract {

// An object that needs a newer libbpf than the release given (lint).
inline constexpr std::string_view kLibbpfTooOldCode = "libbpf-too-old";

struct LibbpfNeed {
  LibbpfFeature feature;
  std::string subject;  // the kfunc, map or program that needs it
  std::string why;      // "kfunc bpf_foo___v2 is a flavour of bpf_foo"
};

struct LibbpfRequirement {
  // nullopt: no release loads the object (none_because says why).
  std::optional<LibbpfVersion> oldest;
  std::vector<LibbpfNeed> needs;  // in the object's order
  std::string none_because;

  // "libbpf >= 1.3: kfunc bpf_foo___v2 is a flavour of bpf_foo
  // (kfunc-flavour); ...", "libbpf >= 1.1", or "libbpf: no release from
  // 1.1 to 1.7 loads it: ...".
  std::string Describe() const;
};

LibbpfRequirement OldestLibbpf(const BpfObject& object);

// Facts for `lint --libbpf-min`: one per need newer than `available` (or
// one saying no release loads the object); effect kLibbpfRejects, stage
// kOpen. Empty when `available` loads it.
std::vector<Finding> LibbpfMinFindings(const BpfObject& object, LibbpfVersion available);

}  // namespace kcontract

#endif  // KCONTRACT_ABI_LIBBPF_LIBBPF_REQUIREMENT_H_
