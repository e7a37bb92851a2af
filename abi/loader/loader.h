// The loader helper: between bpf_object__open*() and bpf_object__load(),
// decide which revisions of its interfaces the object gets on a kernel and
// prepare it for libbpf, or refuse with one message before libbpf's own
// errors. The decision is CheckPrepared's (prepared_check.h), the one
// `kcontract check` prints; this file only applies it with libbpf calls:
//   - struct_ops maps of revisions the kernel does not get: autocreate off,
//     and, with a libbpf before 1.4 at run time, retyped to an array so that
//     libbpf leaves them out of its struct_ops preparation (1.4 and later
//     honour autocreate: shims/kcontract/struct_ops_revisions.h);
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

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "abi/libbpf/libbpf_version.h"
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
  // The libbpf release whose rules the check uses; default: the one this
  // process runs with (RunningLibbpfVersion), which is also what decides
  // how the plan is applied.
  std::optional<LibbpfVersion> libbpf;
  // Once the plan is applied, have libbpf prepare the object
  // (bpf_object__prepare(), libbpf >= 1.6, looked up at run time): libbpf's
  // own refusals (externs, struct_ops, CO-RE) then come back from
  // PrepareObject, before any map exists; the loader can then no longer
  // change the object (rodata, autoload). FailedPrecondition with a libbpf
  // that lacks it.
  bool libbpf_prepare = false;
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
// that a failed check leaves it untouched. `runtime`: the libbpf that will
// load it (struct_ops maps are retyped only before 1.4).
absl::Status ApplyRevisionPlan(bpf_object* obj, const RevisionPlan& plan,
                               LibbpfVersion runtime = RunningLibbpfVersion());

// bpf_object__prepare() of the libbpf this process runs with, or nullptr
// before 1.6 (found with dlsym, so that the helper builds and runs against
// any release).
using LibbpfPrepareFn = int (*)(bpf_object*);
LibbpfPrepareFn FindLibbpfPrepare();

}  // namespace kcontract

#endif  // KCONTRACT_ABI_LOADER_LOADER_H_
