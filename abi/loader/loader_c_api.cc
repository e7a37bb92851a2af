// kcontract_prepare(): the C face of PrepareObject (loader.h), declared in
// shims/kcontract_loader.h. No exception or Status crosses into C: every
// outcome is an errno-style code and one line in the caller's buffer.
#include "shims/kcontract_loader.h"

#include <cerrno>
#include <cstring>
#include <new>
#include <string>

#include "abi/loader/loader.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"

namespace kcontract {
namespace {

void Say(char* msg, size_t size, std::string_view text) {
  if (msg == nullptr || size == 0) return;
  size_t n = std::min(size - 1, text.size());
  std::memcpy(msg, text.data(), n);
  msg[n] = '\0';
}

int CodeFor(const absl::Status& status) {
  switch (status.code()) {
    case absl::StatusCode::kFailedPrecondition: return -EOPNOTSUPP;
    case absl::StatusCode::kNotFound: return -ENOENT;
    case absl::StatusCode::kInternal: return -EBUSY;
    case absl::StatusCode::kResourceExhausted: return -ENOMEM;
    default: return -EINVAL;
  }
}

// What was prepared, in one line: "prepared for K: bpf_thp_ops revision v9
// (map m); slot s: candidate (program p)", the programs those gated on the
// slot that are loaded.
std::string Summary(const RevisionPlan& plan) {
  std::vector<std::string> parts;
  for (const StructOpsPlan& p : plan.struct_ops) {
    parts.push_back(absl::StrFormat("%s revision %s (map %s)", p.interface, p.enabled_revision,
                                    p.enabled_map));
  }
  for (const KfuncSlotPlan& p : plan.kfunc_slots) {
    std::string part = absl::StrFormat(
        "%s: %s", p.slot.name, p.chosen < 0 ? "none" : p.slot.candidates[p.chosen].Text());
    if (!p.programs_loaded.empty()) {
      part += absl::StrFormat(" (program %s)", absl::StrJoin(p.programs_loaded, ", "));
    }
    parts.push_back(std::move(part));
  }
  return absl::StrFormat("%s prepared for %s%s%s", plan.object, plan.kernel,
                         parts.empty() ? "" : ": ", absl::StrJoin(parts, "; "));
}

int Prepare(bpf_object* obj, const kcontract_prepare_opts* opts, char* msg, size_t msg_size) {
  if (obj == nullptr || opts == nullptr || opts->sz < sizeof(kcontract_prepare_opts)) {
    Say(msg, msg_size, "kcontract_prepare: needs an object and opts with sz set");
    return -EINVAL;
  }
  if ((opts->object_path == nullptr) == (opts->object_data == nullptr)) {
    Say(msg, msg_size, "kcontract_prepare: give exactly one of object_path and object_data");
    return -EINVAL;
  }
  LoaderOptions options;
  if (opts->kernel != nullptr) options.kernel = opts->kernel;
  for (const char* const* m = opts->manifests; m != nullptr && *m != nullptr; ++m) {
    options.contracts.given.push_back(*m);
  }
  options.contracts.use_installed = opts->no_default_manifests == 0;
  if (opts->installed_manifests != nullptr) options.contracts.installed_dir = opts->installed_manifests;
  absl::StatusOr<Preparation> prepared =
      opts->object_path != nullptr
          ? PrepareObjectFile(obj, opts->object_path, options)
          : PrepareObject(obj,
                          ByteView(static_cast<const uint8_t*>(opts->object_data),
                                   opts->object_size),
                          "<memory>", options);
  if (!prepared.ok()) {
    Say(msg, msg_size, std::string(prepared.status().message()));
    return CodeFor(prepared.status());
  }
  Say(msg, msg_size, Summary(prepared->prepared.plan));
  return 0;
}

}  // namespace
}  // namespace kcontract

extern "C" int kcontract_prepare(struct bpf_object* obj, const struct kcontract_prepare_opts* opts,
                                 char* msg, size_t msg_size) {
  try {
    return kcontract::Prepare(obj, opts, msg, msg_size);
  } catch (const std::bad_alloc&) {
    kcontract::Say(msg, msg_size, "kcontract_prepare: out of memory");
    return -ENOMEM;
  } catch (...) {
    kcontract::Say(msg, msg_size, "kcontract_prepare: internal error");
    return -EINVAL;
  }
}
