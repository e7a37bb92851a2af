#include "abi/manifest/manifest_writer.h"

#include <algorithm>
#include <filesystem>
#include <map>
#include <utility>

#include "abi/contract/contract.h"
#include "abi/manifest/kernel_interfaces.h"
#include "abi/manifest/manifest_layout.h"
#include "abi/manifest/manifest_reader.h"
#include "abi/toml/toml_text.h"
#include "abi/revision/revision_matcher.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_format.h"
#include "btfdiff/base/file_bytes.h"
#include "btfdiff/base/sha256.h"
#include "btfdiff/base/text.h"

namespace kcontract {
namespace {

// The reader's bound (manifest_reader.cc): real manifests are kilobytes.
constexpr uint64_t kMaxManifestBytes = 16ull << 20;

constexpr std::string_view kStabilityHint =
    "# stability = \"experimental\"  # stable | experimental | deprecated | withdrawn: "
    "set by the owner\n";

// Comments hold any text but control characters; paths and globs typed on
// a command line are shown with anything unprintable as '?'.
std::string CommentText(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) > 0x7E) c = '?';
  }
  return out;
}

std::string RevisionBlock(const std::string& name, const std::string& first_seen,
                          const Signature& signature) {
  return absl::StrFormat("[[interface.revision]]\nname = %s\nfirst_seen = %s\n%s",
                         TomlString(name), TomlString(first_seen),
                         TomlStringArrayLines("signature", signature));
}

std::string InterfaceBlock(const KernelInterface& interface,
                           const std::optional<Stability>& stability,
                           const std::string& revision, const std::string& first_seen) {
  std::string out = "[[interface]]\n";
  out += absl::StrFormat("name = %s\n", TomlString(interface.name));
  out += absl::StrFormat("kind = %s\n", TomlString(InterfaceKindName(interface.kind)));
  if (!interface.module.empty()) {
    out += absl::StrFormat("module = %s\n", TomlString(interface.module));
  }
  if (stability) {
    out += absl::StrFormat("stability = %s\n", TomlString(StabilityName(*stability)));
  } else {
    out += kStabilityHint;
  }
  out += "\n" + RevisionBlock(revision, first_seen, interface.signature);
  return out;
}

// "" when a manifest can hold `signature` as its reader reads it: one
// non-empty declaration per line, valid UTF-8 (it must round-trip through
// TOML exactly). BTF can break both: a member of a nameless type with no
// name of its own renders as no declaration at all.
std::string SignatureProblem(const Signature& signature) {
  if (signature.empty()) return "its signature is empty in this kernel's BTF";
  for (size_t i = 0; i < signature.size(); ++i) {
    if (!IsValidUtf8(signature[i])) {
      return absl::StrFormat("line %d of its signature in this kernel's BTF is not valid UTF-8",
                             i + 1);
    }
    if (signature[i].empty()) {
      return absl::StrFormat(
          "line %d of its signature in this kernel's BTF declares nothing (a nameless member "
          "or parameter of a nameless type)",
          i + 1);
    }
  }
  return "";
}

// What a manifest can hold: a name as C writes one (libbpf does not ask
// what a BTF name is), and a signature as above.
absl::Status CheckEncodable(const KernelInterface& interface) {
  auto refuse = [&](std::string_view why) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "%s %s: %s", InterfaceKindName(interface.kind), CommentText(interface.name), why));
  };
  if (!IsValidUtf8(interface.name) || !IsValidUtf8(interface.module)) {
    return refuse("its name in this kernel's BTF is not valid UTF-8");
  }
  if (std::string problem = InterfaceNameProblem(interface.kind, interface.name);
      !problem.empty()) {
    return refuse("a manifest cannot name it: " + problem);
  }
  if (std::string problem = SignatureProblem(interface.signature); !problem.empty()) {
    return refuse(problem);
  }
  return absl::OkStatus();
}

absl::Status FirstError(const ManifestReadResult& result, std::string_view what) {
  size_t errors = 0;
  const Diagnostic* first = nullptr;
  for (const Diagnostic& diagnostic : result.diagnostics) {
    if (diagnostic.severity != Severity::kError) continue;
    if (first == nullptr) first = &diagnostic;
    ++errors;
  }
  if (first == nullptr) return absl::OkStatus();
  std::string more = errors > 1 ? absl::StrFormat(" (and %d more errors)", errors - 1) : "";
  return absl::InvalidArgumentError(
      absl::StrFormat("%s%s%s", what, FormatDiagnosticLine(*first), more));
}

bool SameRevision(const Revision& a, const Revision& b) {
  return a.name == b.name && a.signature == b.signature && a.first_seen == b.first_seen;
}

// Every field a person or a machine wrote, locations aside.
bool SameFields(const Interface& a, const Interface& b) {
  return a.name == b.name && a.kind == b.kind && a.stability == b.stability &&
         a.opt_in == b.opt_in && a.since == b.since && a.remove == b.remove &&
         a.replacement == b.replacement && a.module == b.module && a.notes == b.notes &&
         a.links == b.links;
}

bool SameContractFields(const Contract& a, const Contract& b) {
  return a.name == b.name && a.owner == b.owner && a.notes == b.notes && a.links == b.links;
}

// What a generated or updated interface must read back as.
struct Expected {
  KernelInterface interface;
  std::string revision;
  std::string first_seen;
};

bool ReadsBackAs(const Interface& read, const Expected& expected) {
  const KernelInterface& want = expected.interface;
  return read.name == want.name && read.kind == want.kind && read.module == want.module &&
         !read.revisions.empty() && read.revisions.back().name == expected.revision &&
         read.revisions.back().first_seen == expected.first_seen &&
         read.revisions.back().signature == want.signature;
}

std::string Describe(InterfaceKind kind, const std::string& name) {
  return absl::StrFormat("%s %s", InterfaceKindName(kind), name);
}

// The original text with blocks inserted after given lines (1-based; 0 is
// before the first line) and appended at its end: the only edit update
// makes.
class Insertions {
 public:
  void AfterLine(int line, std::string text) { after_line_[line] += "\n" + text; }
  void AtEnd(std::string text) { at_end_ += "\n" + text; }
  bool empty() const { return after_line_.empty() && at_end_.empty(); }

  std::string ApplyTo(std::string_view original) const {
    std::vector<std::string_view> lines = SplitView(original, '\n');
    // A text ending in '\n' splits into a last, empty piece: not a line.
    bool ends_with_newline = !original.empty() && original.back() == '\n';
    if (ends_with_newline || original.empty()) lines.pop_back();
    std::string out;
    out.reserve(original.size() + 4096);
    auto insert_after = [&](int line) {
      auto it = after_line_.find(line);
      if (it == after_line_.end()) return;
      if (!out.empty() && out.back() != '\n') out += '\n';
      out += it->second;
    };
    insert_after(0);
    for (size_t i = 0; i < lines.size(); ++i) {
      out.append(lines[i]);
      if (i + 1 < lines.size() || ends_with_newline) out += '\n';
      insert_after(static_cast<int>(i + 1));
    }
    if (!at_end_.empty()) {
      if (!out.empty() && out.back() != '\n') out += '\n';
      out += at_end_;
    }
    return out;
  }

 private:
  std::map<int, std::string> after_line_;
  std::string at_end_;
};

absl::Status CheckUpdateOptions(const ManifestUpdateOptions& options) {
  if (options.add_new && options.match.empty()) {
    return absl::InvalidArgumentError("adding new interfaces needs --match GLOB: which ones?");
  }
  return absl::OkStatus();
}

class Updater {
 public:
  Updater(const ManifestForUpdate& manifest, const LazyInventory& inventory,
          const ManifestUpdateOptions& options)
      : original_(manifest.text),
        path_(manifest.path),
        original_contract_(manifest.contract),
        layout_(manifest.layout),
        inventory_(inventory),
        options_(options) {}

  absl::StatusOr<ManifestUpdate> Run() {
    if (absl::Status usable = CheckUpdateOptions(options_); !usable.ok()) return usable;
    if (layout_.interfaces.size() != original_contract_.interfaces.size()) {
      return absl::InternalError(absl::StrFormat(
          "%s: the manifest's layout does not match its contract (not made by "
          "ReadManifestForUpdate?)",
          path_));
    }
    update_.path = path_;
    update_.kernel = RevisionNameOf(inventory_.kernel());
    revision_ = options_.revision.empty() ? update_.kernel : options_.revision;
    if (!IsValidUtf8(revision_)) {
      return absl::InvalidArgumentError("the revision name is not valid UTF-8");
    }
    ContractSet contracts;
    contracts.Add(original_contract_);
    const Contract& contract = *contracts.contracts().front();
    RevisionMatcher matcher(inventory_);
    for (size_t i = 0; i < contract.interfaces.size(); ++i) {
      absl::Status status =
          UpdateInterface(contracts, contract.interfaces[i], layout_.interfaces[i], matcher);
      if (!status.ok()) return status;
    }
    if (options_.add_new) {
      absl::Status status = AddNewInterfaces(contract);
      if (!status.ok()) return status;
    }
    // Nothing added: the text is the original, which has just read cleanly.
    if (insertions_.empty()) {
      update_.text = std::string(original_);
      return std::move(update_);
    }
    update_.text = insertions_.ApplyTo(original_);
    absl::Status verified = Verify();
    if (!verified.ok()) return verified;
    return std::move(update_);
  }

 private:
  absl::Status UpdateInterface(const ContractSet& contracts, const Interface& interface,
                               const InterfaceSpan& span, RevisionMatcher& matcher) {
    UpdateEntry entry;
    entry.kind = interface.kind;
    entry.name = interface.name;
    entry.line = interface.location.line;
    if (!options_.match.empty() && !MatchesAnyGlob(interface.name, options_.match)) {
      entry.outcome = UpdateOutcome::kNotSelected;
      update_.entries.push_back(std::move(entry));
      return absl::OkStatus();
    }
    InterfaceProbe probe = matcher.ProbeInterface(contracts, interface);
    entry.signature = probe.signature;
    if (!probe.present) {
      entry.outcome = UpdateOutcome::kAbsent;
    } else if (probe.match == RevisionMatch::kRecorded) {
      entry.outcome = UpdateOutcome::kRecorded;
      entry.revision = probe.revision;
    } else {
      absl::Status status = CanAppendRevision(interface, span, probe.signature);
      if (!status.ok()) return status;
      entry.outcome = UpdateOutcome::kRevisionAdded;
      entry.revision = revision_;
      insertions_.AfterLine(span.last_line,
                            RevisionBlock(revision_, update_.kernel, probe.signature));
      added_revisions_[interface.location.line] = probe.signature;
    }
    update_.entries.push_back(std::move(entry));
    return absl::OkStatus();
  }

  absl::Status CanAppendRevision(const Interface& interface, const InterfaceSpan& span,
                                 const Signature& signature) {
    std::string what = Describe(interface.kind, interface.name);
    if (!span.is_header_table) {
      return absl::FailedPreconditionError(absl::StrFormat(
          "%s: %s is an inline table; write it as an [[interface]] table so that a revision "
          "can be added after it (this kernel, %s, has a new signature)",
          FormatLocation(interface.location), what, update_.kernel));
    }
    if (span.inline_revision_line != 0) {
      return absl::FailedPreconditionError(absl::StrFormat(
          "%s:%d: the revisions of %s are written inline (revision = [...]); write each as an "
          "[[interface.revision]] table so that update can append one (this kernel, %s, has a "
          "new signature)",
          path_, span.inline_revision_line, what, update_.kernel));
    }
    for (const Revision& revision : interface.revisions) {
      if (revision.name == revision_) {
        return absl::FailedPreconditionError(absl::StrFormat(
            "%s: revision '%s' of %s is already recorded with another signature; this "
            "kernel (%s) has a new one: name it with --revision",
            FormatLocation(revision.location), revision_, what, update_.kernel));
      }
    }
    if (std::string problem = SignatureProblem(signature); !problem.empty()) {
      return absl::InvalidArgumentError(
          absl::StrFormat("%s: cannot record its revision in %s: %s", what, update_.kernel,
                          problem));
    }
    return absl::OkStatus();
  }

  absl::Status AddNewInterfaces(const Contract& contract) {
    absl::flat_hash_set<std::pair<InterfaceKind, std::string>> known;
    for (const Interface& interface : contract.interfaces) {
      known.insert({interface.kind, interface.name});
    }
    for (KernelInterface& interface : CollectKernelInterfaces(inventory_, options_.match)) {
      if (known.contains(std::make_pair(interface.kind, interface.name))) continue;
      absl::Status encodable = CheckEncodable(interface);
      if (!encodable.ok()) return encodable;
      insertions_.AtEnd(InterfaceBlock(interface, std::nullopt, revision_, update_.kernel));
      UpdateEntry entry;
      entry.kind = interface.kind;
      entry.name = interface.name;
      entry.outcome = UpdateOutcome::kInterfaceAdded;
      entry.revision = revision_;
      entry.signature = interface.signature;
      update_.entries.push_back(std::move(entry));
      added_interfaces_.push_back({std::move(interface), revision_, update_.kernel});
    }
    return absl::OkStatus();
  }

  // The updated text must read back as the original plus exactly what was
  // added: every field and revision of every original interface as it was.
  absl::Status Verify() const {
    ManifestReadResult reread = ParseManifest(update_.text, path_, ContractOrigin::kGiven);
    std::string refusal = absl::StrFormat(
        "%s: refusing to update: the updated manifest would not read back as the original plus "
        "the new revisions",
        path_);
    // A refusal here is the writer's defect, never the input's: kInternal
    // says so (and the fuzz targets trap on it).
    if (absl::Status error = FirstError(reread, refusal + ": "); !error.ok()) {
      return absl::InternalError(error.message());
    }
    const Contract& now = *reread.contract;
    const Contract& before = original_contract_;
    if (!SameContractFields(now, before) ||
        now.interfaces.size() != before.interfaces.size() + added_interfaces_.size()) {
      return absl::InternalError(refusal);
    }
    for (size_t i = 0; i < before.interfaces.size(); ++i) {
      const Interface& was = before.interfaces[i];
      const Interface& is = now.interfaces[i];
      auto added = added_revisions_.find(was.location.line);
      size_t expected_count = was.revisions.size() + (added != added_revisions_.end());
      if (!SameFields(was, is) || is.revisions.size() != expected_count) {
        return absl::InternalError(absl::StrFormat("%s (%s)", refusal,
                                                   Describe(was.kind, was.name)));
      }
      for (size_t r = 0; r < was.revisions.size(); ++r) {
        if (!SameRevision(was.revisions[r], is.revisions[r])) {
          return absl::InternalError(absl::StrFormat(
              "%s (%s, revision '%s')", refusal, Describe(was.kind, was.name),
              was.revisions[r].name));
        }
      }
      if (added != added_revisions_.end() &&
          (is.revisions.back().signature != added->second ||
           is.revisions.back().name != revision_)) {
        return absl::InternalError(absl::StrFormat("%s (%s, the new revision)", refusal,
                                                   Describe(was.kind, was.name)));
      }
    }
    for (size_t k = 0; k < added_interfaces_.size(); ++k) {
      if (!ReadsBackAs(now.interfaces[before.interfaces.size() + k], added_interfaces_[k])) {
        return absl::InternalError(absl::StrFormat(
            "%s (new %s)", refusal,
            Describe(added_interfaces_[k].interface.kind, added_interfaces_[k].interface.name)));
      }
    }
    return absl::OkStatus();
  }

  std::string_view original_;
  const std::string& path_;
  const Contract& original_contract_;
  const ManifestLayout& layout_;
  const LazyInventory& inventory_;
  const ManifestUpdateOptions& options_;
  std::string revision_;
  ManifestUpdate update_;
  Insertions insertions_;
  std::map<int, Signature> added_revisions_;  // by the interface's header line
  std::vector<Expected> added_interfaces_;
};

std::string Header(const KernelBtf& kernel, const std::string& label,
                   const std::vector<std::string>& match) {
  std::vector<std::string> globs;
  for (const std::string& glob : match) globs.push_back("'" + CommentText(glob) + "'");
  // The kernel by what it is, not by where it was read: a path (often
  // absolute, naming someone's home or build tree) says nothing to the next
  // reader, and the digest of the vmlinux BTF is the same whichever form
  // (image, package, raw BTF) the kernel came in.
  std::string release = kernel.release.empty() ? "release unknown" : "release " + kernel.release;
  std::string digest =
      kernel.vmlinux ? "vmlinux BTF sha256 " + Sha256Hex(kernel.vmlinux->RawData()) : "no vmlinux BTF";
  return absl::StrFormat(
      "# Generated by `kcontract manifest init` from the kernel %s\n"
      "# (%s, %s),\n"
      "# for its kfuncs and struct_ops types matching %s.\n"
      "# Signatures come from the kernel's BTF: `kcontract manifest update` adds a\n"
      "# revision when a kernel's differs from all recorded ones; do not edit them.\n"
      "# Levels, notes and links are the owner's to write (STABILITY.md).\n",
      CommentText(label), CommentText(release), digest, Join(globs, ", "));
}

}  // namespace

std::string_view UpdateOutcomeName(UpdateOutcome outcome) {
  switch (outcome) {
    case UpdateOutcome::kRecorded: return "recorded";
    case UpdateOutcome::kRevisionAdded: return "revision_added";
    case UpdateOutcome::kInterfaceAdded: return "interface_added";
    case UpdateOutcome::kAbsent: return "absent";
    case UpdateOutcome::kNotSelected: return "not_selected";
  }
  return "?";
}

size_t ManifestUpdate::Count(UpdateOutcome outcome) const {
  return std::count_if(entries.begin(), entries.end(),
                       [&](const UpdateEntry& entry) { return entry.outcome == outcome; });
}

std::string ContractNameForFile(const std::string& path) {
  return std::filesystem::path(path).stem().string();
}

absl::StatusOr<std::string> RenderNewManifest(const KernelBtf& kernel,
                                              const ManifestInitOptions& options) {
  if (options.match.empty()) {
    return absl::InvalidArgumentError("which interfaces? give --match GLOB (e.g. 'bpf_thp_*')");
  }
  if (options.stability == Stability::kDeprecated) {
    return absl::InvalidArgumentError(
        "a deprecated interface needs 'remove' and 'use', which only a person can write: "
        "generate without --stability and write them by hand");
  }
  std::string label = RevisionNameOf(kernel);
  std::string revision = options.revision.empty() ? label : options.revision;
  if (!IsValidUtf8(options.contract_name) || !IsValidUtf8(revision) || !IsValidUtf8(label)) {
    return absl::InvalidArgumentError("the contract name, revision name or kernel release is "
                                      "not valid UTF-8");
  }
  std::vector<KernelInterface> interfaces =
      CollectKernelInterfaces(LazyInventory(kernel), options.match);
  for (const std::string& glob : options.match) {
    bool matched = std::any_of(interfaces.begin(), interfaces.end(), [&](const auto& interface) {
      return MatchesAnyGlob(interface.name, {glob});
    });
    if (!matched) {
      return absl::NotFoundError(absl::StrFormat(
          "%s: no kfunc or struct_ops type matches '%s'", CommentText(label), CommentText(glob)));
    }
  }
  std::string text = Header(kernel, label, options.match);
  text += absl::StrFormat("format_version = %d\n\n[contract]\nname = %s\n", kManifestFormatVersion,
                          TomlString(options.contract_name));
  text += "# owner = \"subsystem (maintainers)\"\n";
  std::vector<Expected> expected;
  for (const KernelInterface& interface : interfaces) {
    absl::Status encodable = CheckEncodable(interface);
    if (!encodable.ok()) return encodable;
    text += "\n" + InterfaceBlock(interface, options.stability, revision, label);
    expected.push_back({interface, revision, label});
  }
  // What was written must be what is read: the manifest's grammar and
  // checks are the reader's, not restated here.
  ManifestReadResult read = ParseManifest(text, "<generated manifest>", ContractOrigin::kGiven);
  if (absl::Status error = FirstError(read, "cannot write a valid manifest: "); !error.ok()) {
    return absl::InternalError(error.message());  // the writer's defect, as below
  }
  const std::vector<Interface>& read_back = read.contract->interfaces;
  bool same = read_back.size() == expected.size() &&
              std::equal(read_back.begin(), read_back.end(), expected.begin(), ReadsBackAs);
  if (!same) {
    return absl::InternalError("the generated manifest does not read back as generated");
  }
  return text;
}

absl::StatusOr<std::string> ReadManifestText(const std::string& path) {
  absl::StatusOr<FileBytes> file = FileBytes::Open(path, kMaxManifestBytes);
  if (!file.ok()) return file.status();
  ByteView bytes = file->bytes();
  std::string text(reinterpret_cast<const char*>(bytes.data()), bytes.size());
  if (!IsValidUtf8(text)) {
    return absl::InvalidArgumentError(absl::StrFormat("%s: not UTF-8 text", path));
  }
  return text;
}

absl::StatusOr<ManifestForUpdate> ReadManifestForUpdate(std::string_view text,
                                                        const std::string& path) {
  ManifestReadResult read = ParseManifest(text, path, ContractOrigin::kGiven);
  if (absl::Status error = FirstError(read, ""); !error.ok()) return error;
  absl::StatusOr<ManifestLayout> layout = ReadManifestLayout(text, path);
  if (!layout.ok()) return layout.status();
  if (layout->interfaces.size() != read.contract->interfaces.size()) {
    return absl::InternalError(
        absl::StrFormat("%s: the manifest's interfaces cannot be located in its text", path));
  }
  return ManifestForUpdate{path, std::string(text), std::move(*read.contract),
                           std::move(*layout)};
}

absl::StatusOr<ManifestUpdate> UpdateManifest(const ManifestForUpdate& manifest,
                                              const LazyInventory& kernel,
                                              const ManifestUpdateOptions& options) {
  return Updater(manifest, kernel, options).Run();
}

absl::StatusOr<ManifestUpdate> UpdateManifestText(std::string_view original,
                                                  const std::string& path,
                                                  const KernelBtf& kernel,
                                                  const ManifestUpdateOptions& options) {
  // A usage mistake is reported before anything about the manifest.
  if (absl::Status usable = CheckUpdateOptions(options); !usable.ok()) return usable;
  absl::StatusOr<ManifestForUpdate> manifest = ReadManifestForUpdate(original, path);
  if (!manifest.ok()) return manifest.status();
  return UpdateManifest(*manifest, LazyInventory(kernel), options);
}

}  // namespace kcontract
