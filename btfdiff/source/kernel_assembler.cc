#include "btfdiff/source/kernel_assembler.h"

#include "absl/strings/match.h"
#include "absl/strings/str_format.h"
#include "btfdiff/base/elf_image.h"
#include "btfdiff/base/parallel.h"
#include "btfdiff/base/status_macros.h"
#include "btfdiff/base/text.h"
#include "btfdiff/source/kernel_image.h"

namespace kcontract {
namespace {

// "name=value" strings of a module's .modinfo section.
std::string ModinfoValue(ByteView modinfo, std::string_view key) {
  for (std::string_view entry : SplitView(AsText(modinfo), '\0')) {
    if (entry.starts_with(key) && entry.size() > key.size() &&
        entry[key.size()] == '=') {
      return std::string(entry.substr(key.size() + 1));
    }
  }
  return "";
}

// The release in a "Linux version 6.1.0-50-amd64 (...)" banner, if any.
std::string ReleaseFromBanner(ByteView bytes) {
  static constexpr std::string_view kBanner = "Linux version ";
  std::string_view text = AsText(bytes);
  for (size_t at = text.find(kBanner); at != std::string_view::npos;
       at = text.find(kBanner, at + 1)) {
    std::string_view rest = text.substr(at + kBanner.size(), 128);
    size_t end = rest.find_first_of(" \n\0", 0);
    std::string_view release = rest.substr(0, end);
    // The banner format string "%s" also appears; want a real release.
    if (!release.empty() && release[0] >= '0' && release[0] <= '9') {
      return std::string(release);
    }
  }
  return "";
}

std::string FirstWord(std::string_view text) {
  return std::string(text.substr(0, text.find(' ')));
}

std::string ModuleNameFromPath(std::string_view path) {
  std::string_view base = path.substr(path.rfind('/') + 1);
  return std::string(base.substr(0, base.find('.')));
}

absl::StatusOr<std::optional<BtfIdsSection>> ReadBtfIds(const ElfImage& elf) {
  KC_ASSIGN_OR_RETURN(std::optional<ElfSection> section, elf.Section(".BTF_ids"));
  if (!section) return std::optional<BtfIdsSection>();
  BtfIdsSection ids;
  ids.data.assign(section->data.begin(), section->data.end());
  ids.address = section->address;
  ids.index = section->index;
  KC_ASSIGN_OR_RETURN(std::vector<ElfSymbol> symbols, elf.Symbols());
  for (ElfSymbol& symbol : symbols) {
    if (symbol.section_index == section->index && symbol.name.starts_with("__BTF_ID__")) {
      ids.symbols.push_back(std::move(symbol));
    }
  }
  return std::optional<BtfIdsSection>(std::move(ids));
}

}  // namespace

void KernelAssembler::Absorb(KernelAssembler&& piece) {
  for (VmlinuxCandidate& c : piece.vmlinux_) vmlinux_.push_back(std::move(c));
  for (ModuleCandidate& c : piece.modules_) modules_.push_back(std::move(c));
  if (config_text_.empty()) config_text_ = std::move(piece.config_text_);
  warnings_.insert(warnings_.end(), piece.warnings_.begin(), piece.warnings_.end());
}

absl::Status KernelAssembler::KeepBtf(const std::string& path, uint64_t bytes) {
  const uint64_t total = kept_btf_->fetch_add(bytes) + bytes;
  if (total > options_.max_btf_total) {
    return absl::ResourceExhaustedError(absl::StrFormat(
        "%s: the kernel's BTF, vmlinux and modules together, exceeds the limit of %d MiB "
        "(Debian's whole 6.12 package holds 76.5 MB)",
        path, options_.max_btf_total >> 20));
  }
  return absl::OkStatus();
}

absl::Status KernelAssembler::AbsorbCopy(const KernelAssembler& piece, const std::string& path) {
  for (const VmlinuxCandidate& c : piece.vmlinux_) {
    KC_RETURN_IF_ERROR(KeepBtf(path, c.btf.view().size()));
    vmlinux_.push_back(VmlinuxCandidate{path, BtfBytes::Copy(c.btf.view()), c.btf_ids, c.release});
  }
  for (const ModuleCandidate& c : piece.modules_) {
    KC_RETURN_IF_ERROR(KeepBtf(path, c.btf.view().size()));
    modules_.push_back(
        ModuleCandidate{c.name, path, c.vermagic, BtfBytes::Copy(c.btf.view()), c.btf_ids});
  }
  if (config_text_.empty()) config_text_ = piece.config_text_;
  return absl::OkStatus();
}

absl::Status AddUnrecognised(const std::string& path, ContentKind kind, bool strict) {
  if (!strict) return absl::OkStatus();
  switch (kind) {
    case ContentKind::kEmpty:
      return absl::InvalidArgumentError(absl::StrFormat("%s: empty file", path));
    case ContentKind::kElfBpf:
      return absl::InvalidArgumentError(absl::StrFormat(
          "%s: a BPF object, not a kernel (see 'kcontract object show')", path));
    case ContentKind::kKernelConfig:
      return absl::InvalidArgumentError(absl::StrFormat(
          "%s: a kernel config holds no BTF; give the kernel image or its directory",
          path));
    default:
      return absl::InvalidArgumentError(absl::StrFormat(
          "%s: not a kernel source: unrecognised content (expected raw BTF, an ELF "
          "vmlinux or module, a bzImage, a compressed image, a .deb or a directory)",
          path));
  }
}

absl::StatusOr<HeldBytes> KernelAssembler::DecompressCounted(ByteView input, Compression kind,
                                                             const std::string& what) {
  const uint64_t input_left = options_.max_decompressed_total -
                              std::min(options_.max_decompressed_total, decompressed_);
  const uint64_t limit = std::min(options_.max_decompressed, input_left);
  absl::StatusOr<HeldBytes> out;
  if (budget_ != nullptr) {
    out = DecompressHeld(input, kind, what, limit, budget_);
  } else if (absl::StatusOr<Bytes> bytes = Decompress(input, kind, what, limit); bytes.ok()) {
    out = HeldBytes{std::move(*bytes), {}};
  } else {
    out = bytes.status();
  }
  if (!out.ok() && limit < options_.max_decompressed &&
      out.status().code() == absl::StatusCode::kResourceExhausted &&
      absl::StrContains(out.status().message(), "decompressed data exceeds the limit of")) {
    return absl::ResourceExhaustedError(absl::StrFormat(
        "%s: decompressed data exceeds the limit of %d MiB for all the files of one input "
        "together (%d MiB decompressed before this file; a decompression bomb?)",
        what, options_.max_decompressed_total >> 20, decompressed_ >> 20));
  }
  if (out.ok()) decompressed_ += out->bytes.size();
  return out;
}

absl::Status KernelAssembler::AddContent(const std::string& path, ByteView bytes,
                                         bool strict, int compressed_depth, bool stable) {
  ContentKind kind = ClassifyContent(bytes);
  if (compressed_depth == 0 && primary_ == ContentKind::kUnknown) primary_ = kind;
  switch (kind) {
    case ContentKind::kRawBtf:
      KC_RETURN_IF_ERROR(KeepBtf(path, bytes.size()));
      vmlinux_.push_back(VmlinuxCandidate{path, TakeBtf(bytes, stable), {}, ""});
      return absl::OkStatus();
    case ContentKind::kElfVmlinux:
      return AddVmlinuxElf(path, bytes, "", stable);
    case ContentKind::kElfModule:
      if (compressed_depth > 0 && primary_ == ContentKind::kCompressed) {
        primary_ = ContentKind::kElfModule;
      }
      return AddModuleElf(path, bytes, strict, stable);
    case ContentKind::kBzImage: {
      KC_ASSIGN_OR_RETURN(BzImagePayload payload, LocateBzImagePayload(bytes, path));
      KC_ASSIGN_OR_RETURN(HeldBytes vmlinux,
                          DecompressCounted(payload.compressed, payload.compression,
                                            path + ": payload"));
      if (!IsElf(vmlinux.bytes)) {
        return absl::DataLossError(
            absl::StrFormat("%s: bzImage payload is not an ELF vmlinux", path));
      }
      return AddVmlinuxElf(path, vmlinux.bytes, payload.release, /*stable=*/false);
    }
    case ContentKind::kCompressed: {
      if (compressed_depth > 0) {
        return AddUnrecognised(path, ContentKind::kUnknown, strict);
      }
      KC_ASSIGN_OR_RETURN(HeldBytes held,
                          DecompressCounted(bytes, DetectCompression(bytes), path));
      const Bytes& inner = held.bytes;
      ContentKind inner_kind = ClassifyContent(inner);
      if (inner_kind != ContentKind::kRawBtf && inner_kind != ContentKind::kElfVmlinux &&
          inner_kind != ContentKind::kElfModule) {
        if (!strict) return absl::OkStatus();
        return absl::InvalidArgumentError(absl::StrFormat(
            "%s: decompressed content is not BTF, a vmlinux or a kernel module", path));
      }
      return AddContent(path, inner, strict, compressed_depth + 1, /*stable=*/false);
    }
    case ContentKind::kElfOther:
      // An ELF file cut inside its header is cut, not foreign: say so.
      if (strict && !ReadElfHeader(bytes)) return ElfImage::Open(bytes, path).status();
      return AddUnrecognised(path, kind, strict);
    case ContentKind::kKernelConfig:
      if (!strict) {
        if (config_text_.empty()) config_text_ = std::string(AsText(bytes));
        return absl::OkStatus();
      }
      return AddUnrecognised(path, kind, strict);
    default:
      return AddUnrecognised(path, kind, strict);
  }
}

absl::Status KernelAssembler::AddVmlinuxElf(const std::string& path, ByteView bytes,
                                            std::string release, bool stable) {
  KC_ASSIGN_OR_RETURN(std::unique_ptr<ElfImage> elf, ElfImage::Open(bytes, path));
  KC_ASSIGN_OR_RETURN(std::optional<ElfSection> btf, elf->Section(".BTF"));
  if (!btf) {
    return absl::NotFoundError(absl::StrFormat(
        "%s: ELF file has no .BTF section (kernel built without CONFIG_DEBUG_INFO_BTF?)",
        path));
  }
  KC_RETURN_IF_ERROR(KeepBtf(path, btf->data.size()));
  VmlinuxCandidate candidate{path, TakeBtf(btf->data, stable), {}, std::move(release)};
  KC_ASSIGN_OR_RETURN(candidate.btf_ids, ReadBtfIds(*elf));
  if (candidate.release.empty()) {
    KC_ASSIGN_OR_RETURN(std::optional<ElfSection> rodata, elf->Section(".rodata"));
    candidate.release = ReleaseFromBanner(rodata ? rodata->data : bytes);
  }
  vmlinux_.push_back(std::move(candidate));
  return absl::OkStatus();
}

absl::Status KernelAssembler::AddModuleElf(const std::string& path, ByteView bytes,
                                           bool strict, bool stable) {
  KC_ASSIGN_OR_RETURN(std::unique_ptr<ElfImage> elf, ElfImage::Open(bytes, path));
  KC_ASSIGN_OR_RETURN(std::optional<ElfSection> modinfo, elf->Section(".modinfo"));
  if (!modinfo) {
    if (!strict) return absl::OkStatus();
    return absl::InvalidArgumentError(absl::StrFormat(
        "%s: relocatable ELF without .modinfo: not a kernel module", path));
  }
  KC_ASSIGN_OR_RETURN(std::optional<ElfSection> btf, elf->Section(".BTF"));
  ModuleCandidate module;
  module.path = path;
  module.name = ModinfoValue(modinfo->data, "name");
  if (module.name.empty()) module.name = ModuleNameFromPath(path);
  module.vermagic = ModinfoValue(modinfo->data, "vermagic");
  module_names_read_.push_back(module.name);
  if (!btf) {
    if (strict) {
      return absl::NotFoundError(absl::StrFormat(
          "%s: module has no .BTF section (built without CONFIG_DEBUG_INFO_BTF_MODULES?)",
          path));
    }
    return absl::OkStatus();  // most modules of a package carry no kfuncs
  }
  KC_RETURN_IF_ERROR(KeepBtf(path, btf->data.size()));
  module.btf = TakeBtf(btf->data, stable);
  KC_ASSIGN_OR_RETURN(module.btf_ids, ReadBtfIds(*elf));
  modules_.push_back(std::move(module));
  return absl::OkStatus();
}

absl::Status KernelAssembler::AttachModules(KernelBtf& kernel) {
  // Stable: of two copies of a module, the first read is the one used.
  std::stable_sort(
      modules_.begin(), modules_.end(),
      [](const ModuleCandidate& a, const ModuleCandidate& b) { return a.name < b.name; });
  std::vector<bool> duplicate(modules_.size());
  for (size_t i = 1; i < modules_.size(); ++i) {
    duplicate[i] = modules_[i].name == modules_[i - 1].name;
  }
  // A package holds thousands of modules: their BTF is parsed in parallel
  // (libbpf only reads the shared base).
  std::vector<absl::StatusOr<std::unique_ptr<Btf>>> parsed(modules_.size());
  ParallelFor(modules_.size(), EffectiveJobs(options_.jobs), [&](size_t i) {
    if (duplicate[i]) return;
    ModuleCandidate& candidate = modules_[i];
    parsed[i] = Btf::Parse(candidate.btf.view(), candidate.path, kernel.vmlinux.get());
    candidate.btf = BtfBytes();  // libbpf holds its own copy now
  });
  for (size_t i = 0; i < modules_.size(); ++i) {
    ModuleCandidate& candidate = modules_[i];
    if (duplicate[i]) {
      kernel.warnings.push_back(absl::StrFormat(
          "%s: module %s appears twice; the first copy is used", candidate.path,
          candidate.name));
      continue;
    }
    std::string built_for = FirstWord(candidate.vermagic);
    if (!built_for.empty() && !kernel.release.empty() && built_for != kernel.release) {
      kernel.warnings.push_back(absl::StrFormat(
          "%s: module built for %s, not %s: its BTF may not match this kernel",
          candidate.path, built_for, kernel.release));
    }
    KC_RETURN_IF_ERROR(parsed[i].status());
    kernel.modules.push_back(ModuleBtf{std::move(candidate.name), std::move(candidate.path),
                                       std::move(*parsed[i]), std::move(candidate.btf_ids),
                                       std::move(candidate.vermagic)});
  }
  return absl::OkStatus();
}

absl::StatusOr<std::unique_ptr<KernelBtf>> KernelAssembler::Finish(SourceKind kind,
                                                                   std::string_view source) {
  std::unique_ptr<KernelBtf> kernel;
  if (vmlinux_.empty()) {
    if (modules_.empty()) {
      return absl::NotFoundError(absl::StrFormat(
          "%s: no kernel BTF found (no bzImage, vmlinux, raw BTF or module with BTF)",
          source));
    }
    if (options_.base.empty()) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "%s: a module's BTF is split BTF over its kernel's vmlinux BTF; give that "
          "kernel with --base SRC, or a directory holding both",
          source));
    }
    KernelLoadOptions base_options = options_;
    base_options.base.clear();
    KC_ASSIGN_OR_RETURN(kernel, LoadKernel(options_.base, base_options));
    kernel->modules.clear();
  } else {
    if (vmlinux_.size() > 1) {
      std::vector<std::string> paths;
      for (const VmlinuxCandidate& c : vmlinux_) paths.push_back(c.path);
      return absl::InvalidArgumentError(absl::StrFormat(
          "%s: several kernel images (%s); give one of them", source,
          Join(paths, ", ")));
    }
    VmlinuxCandidate& image = vmlinux_.front();
    kernel = std::make_unique<KernelBtf>();
    KC_ASSIGN_OR_RETURN(kernel->vmlinux, Btf::Parse(image.btf.view(), image.path));
    kernel->vmlinux_btf_ids = std::move(image.btf_ids);
    kernel->release = image.release;
  }
  kernel->kind = kind;
  kernel->source = std::string(source);
  if (!config_text_.empty()) {
    kernel->config = ParseKernelConfig(config_text_);
    if (kernel->release.empty()) kernel->release = ReleaseFromConfig(config_text_);
  }
  if (kernel->release.empty() && !modules_.empty()) {
    kernel->release = FirstWord(modules_.front().vermagic);
  }
  KC_RETURN_IF_ERROR(AttachModules(*kernel));
  kernel->warnings.insert(kernel->warnings.end(), warnings_.begin(), warnings_.end());
  return kernel;
}

SourceKind SourceKindFor(ContentKind kind) {
  switch (kind) {
    case ContentKind::kElfVmlinux: return SourceKind::kVmlinux;
    case ContentKind::kElfModule: return SourceKind::kModule;
    case ContentKind::kBzImage: return SourceKind::kBzImage;
    case ContentKind::kCompressed: return SourceKind::kCompressed;
    default: return SourceKind::kRawBtf;
  }
}

}  // namespace kcontract
