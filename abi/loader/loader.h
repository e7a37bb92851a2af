// The loader helper: between bpf_object__open*() and bpf_object__load(),
// decide which revisions of its interfaces the object gets on a kernel and
// prepare it for libbpf, or refuse with one message before libbpf's own
// errors. The decision is CheckPrepared's (prepared_check.h), the one
// `kcontract check` prints; this file only applies it with libbpf calls:
//   - struct_ops maps of revisions the kernel does not get: autocreate off,
//     and retyped to an array so that libbpf 1.1.2 leaves them out of its
//     struct_ops preparation (shims/kcontract/struct_ops_revisions.h);
//   - programs only those maps use: autoload off;
//   - kfunc slots (shims/kcontract/kfunc_revisions.h): the chosen index
//     written into the object's .rodata (bpf_map__set_initial_value).
// C loaders use kcontract_prepare() (shims/kcontract_loader.h).
//
// libbpf 1.1.2 cannot give back the ELF image of an opened bpf_object, so
// the caller passes the file (or the bytes) it opened; the helper checks
// that every map and program it touches is in the bpf_object by name.
#ifndef KCONTRACT_ABI_LOADER_LOADER_H_
#define KCONTRACT_ABI_LOADER_LOADER_H_

#include <string>
#include <string_view>
#include <vector>

#include "abi/manifest/contract_loader.h"
#include "abi/object/bpf_object.h"
#include "abi/policy/finding_policy.h"
#include "abi/prepared/prepared_check.h"
#include "absl/status/statusor.h"
#include "btfdiff/base/bytes.h"
#include "btfdiff/source/kernel_source.h"

struct bpf_object;

namespace kcontract {

struct LoaderOptions {
  // Which kernel to prepare for: "running" (the one bpf_object__load()
  // loads into), or any --kernel source, to see what another kernel would
  // get (the bpf_object is still changed).
  std::string kernel = std::string(kRunningKernel);
  ContractSources contracts;  // installed manifests, and those given
  CheckPolicy policy;
};

struct Preparation {
  PreparedCheck prepared;            // the plan and the findings, as check shows them
  std::vector<std::string> warnings;  // from the kernel and the manifests
};

// Prepares `obj`, opened from the BPF ELF image `image` (named `name` in
// messages), for the kernel of `options`. Errors:
//   FailedPrecondition  refused: the message is RefusalOf() (the interface,
//                       the object's revisions, what the kernel has, what
//                       the contract says); `obj` is left untouched;
//   NotFound            the bpf_object lacks a map or program the image has
//                       (it was opened from something else);
//   others              the image, the kernel or a manifest could not be
//                       read, or libbpf refused a setting (e.g. the object
//                       is already loaded).
absl::StatusOr<Preparation> PrepareObject(bpf_object* obj, ByteView image, std::string_view name,
                                          const LoaderOptions& options = {});
// The same, reading the image from `path`.
absl::StatusOr<Preparation> PrepareObjectFile(bpf_object* obj, const std::string& path,
                                              const LoaderOptions& options = {});

// Applies a plan that did not refuse; checks first, then changes `obj`, so
// that a failed check leaves it untouched.
absl::Status ApplyRevisionPlan(bpf_object* obj, const RevisionPlan& plan);

}  // namespace kcontract

#endif  // KCONTRACT_ABI_LOADER_LOADER_H_
