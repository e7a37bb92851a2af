#include "btfdiff/model/btf.h"

#include <bpf/libbpf.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cerrno>
#include <cstdarg>
#include <cstdio>
#include <cstring>
#include <mutex>

#include "absl/strings/str_format.h"
#include "absl/strings/strip.h"
#include "btfdiff/model/btf_validate.h"

namespace kcontract {
namespace {

// libbpf reports why it rejects BTF only through its print callback. Keep
// the last warning of this thread so that the error can carry it.
thread_local std::string g_last_libbpf_warning;

int CaptureLibbpfPrint(enum libbpf_print_level level, const char* format,
                       va_list args) {
  if (level == LIBBPF_DEBUG) return 0;
  char buf[512];
  vsnprintf(buf, sizeof(buf), format, args);
  absl::string_view line(buf);
  absl::ConsumePrefix(&line, "libbpf: ");
  while (!line.empty() && (line.back() == '\n' || line.back() == ' ')) {
    line.remove_suffix(1);
  }
  g_last_libbpf_warning = std::string(line);
  return 0;
}

void InstallLibbpfPrintOnce() {
  static std::once_flag once;
  std::call_once(once, [] { libbpf_set_print(CaptureLibbpfPrint); });
}

std::string DescribeBtfError(int err) {
  std::string reason = g_last_libbpf_warning.empty()
                           ? std::string(std::strerror(err))
                           : g_last_libbpf_warning;
  g_last_libbpf_warning.clear();
  return reason;
}

// Debian's libbpf 1.1.2 declares btf__new_split() but does not export it
// (its version script lacks the symbol), so split BTF held in memory goes
// through an anonymous memory file and btf__parse_raw_split(), which is
// exported. Nothing touches the disk.
struct btf* NewSplitBtf(ByteView raw, struct btf* base) {
  int fd = memfd_create("kcontract-split-btf", MFD_CLOEXEC);
  if (fd < 0) return nullptr;
  size_t done = 0;
  while (done < raw.size()) {
    ssize_t n = write(fd, raw.data() + done, raw.size() - done);
    if (n <= 0) {
      close(fd);
      errno = EIO;
      return nullptr;
    }
    done += n;
  }
  std::string path = "/proc/self/fd/" + std::to_string(fd);
  struct btf* btf = btf__parse_raw_split(path.c_str(), base);
  int saved = errno;
  close(fd);
  errno = saved;
  return btf;
}

}  // namespace

absl::StatusOr<std::unique_ptr<Btf>> Btf::Parse(ByteView raw,
                                                std::string_view what,
                                                const Btf* base) {
  InstallLibbpfPrintOnce();
  if (raw.empty()) {
    return absl::DataLossError(absl::StrFormat("%s: empty BTF", what));
  }
  if (raw.size() > kMaxBtfBytes) {
    return absl::ResourceExhaustedError(absl::StrFormat(
        "%s: BTF of %d bytes, larger than the %d MiB limit", what, raw.size(),
        kMaxBtfBytes >> 20));
  }
  g_last_libbpf_warning.clear();
  struct btf* btf =
      base == nullptr
          ? btf__new(raw.data(), static_cast<uint32_t>(raw.size()))
          : NewSplitBtf(raw, base->btf_);
  int err = libbpf_get_error(btf);
  if (err != 0 || btf == nullptr) {
    return absl::DataLossError(absl::StrFormat(
        "%s: malformed BTF: %s", what, DescribeBtfError(err < 0 ? -err : EINVAL)));
  }
  if (std::string invalid = ValidateBtf(btf, base == nullptr ? nullptr : base->btf_);
      !invalid.empty()) {
    btf__free(btf);
    return absl::DataLossError(absl::StrFormat("%s: malformed BTF: %s", what, invalid));
  }
  return std::unique_ptr<Btf>(new Btf(btf, base));
}

Btf::Btf(struct btf* btf, const Btf* base)
    : btf_(btf),
      base_(base),
      first_id_(base == nullptr ? 1 : base->end_id_),
      end_id_(btf__type_cnt(btf)) {}

Btf::~Btf() { btf__free(btf_); }

const btf_type* Btf::Type(TypeId id) const {
  if (id.value >= end_id_) return nullptr;
  return btf__type_by_id(btf_, id.value);
}

uint32_t Btf::Kind(TypeId id) const {
  const btf_type* t = Type(id);
  return t == nullptr ? static_cast<uint32_t>(BTF_KIND_UNKN) : btf_kind(t);
}

std::string_view Btf::Name(TypeId id) const {
  const btf_type* t = Type(id);
  if (t == nullptr) return {};
  return String(t->name_off);
}

std::string_view Btf::String(uint32_t offset) const {
  const char* s = btf__str_by_offset(btf_, offset);
  return s == nullptr ? std::string_view() : std::string_view(s);
}

TypeId Btf::SkipMods(TypeId id) const {
  // Bounded: a valid BTF has no modifier cycles, but a hostile one might.
  for (int depth = 0; depth < 64; ++depth) {
    const btf_type* t = Type(id);
    if (t == nullptr) return id;
    switch (btf_kind(t)) {
      case BTF_KIND_CONST:
      case BTF_KIND_VOLATILE:
      case BTF_KIND_RESTRICT:
      case BTF_KIND_TYPE_TAG:
        id = TypeId{t->type};
        break;
      default:
        return id;
    }
  }
  return id;
}

TypeId Btf::SkipModsAndTypedefs(TypeId id) const {
  for (int depth = 0; depth < 64; ++depth) {
    id = SkipMods(id);
    const btf_type* t = Type(id);
    if (t == nullptr || btf_kind(t) != BTF_KIND_TYPEDEF) return id;
    id = TypeId{t->type};
  }
  return id;
}

std::optional<uint64_t> Btf::ResolveSize(TypeId id) const {
  long long size = btf__resolve_size(btf_, id.value);
  if (size < 0) return std::nullopt;
  return static_cast<uint64_t>(size);
}

std::vector<TypeId> Btf::IdsOfKind(uint32_t kind) const {
  std::vector<TypeId> ids;
  for (uint32_t id = first_id_; id < end_id_; ++id) {
    if (btf_kind(btf__type_by_id(btf_, id)) == kind) ids.push_back(TypeId{id});
  }
  return ids;
}

ByteView Btf::RawData() const {
  uint32_t size = 0;
  const void* data = btf__raw_data(btf_, &size);
  return ByteView(static_cast<const uint8_t*>(data), size);
}

std::string_view KindName(uint32_t kind) {
  static constexpr std::string_view kNames[] = {
      "UNKNOWN", "INT",     "PTR",      "ARRAY",    "STRUCT",   "UNION",
      "ENUM",    "FWD",     "TYPEDEF",  "VOLATILE", "CONST",    "RESTRICT",
      "FUNC",    "FUNC_PROTO", "VAR",   "DATASEC",  "FLOAT",    "DECL_TAG",
      "TYPE_TAG", "ENUM64"};
  return kind < std::size(kNames) ? kNames[kind] : "UNKNOWN";
}

bool KindsCoreCompatible(uint32_t local_kind, uint32_t target_kind) {
  auto is_enum = [](uint32_t kind) { return kind == BTF_KIND_ENUM || kind == BTF_KIND_ENUM64; };
  return local_kind == target_kind || (is_enum(local_kind) && is_enum(target_kind));
}

}  // namespace kcontract
