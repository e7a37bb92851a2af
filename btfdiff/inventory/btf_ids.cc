#include "btfdiff/inventory/btf_ids.h"

#include <optional>
#include <string_view>

#include "absl/strings/str_format.h"
#include "btfdiff/base/text.h"

namespace kcontract {
namespace {

constexpr std::string_view kSet8SymbolPrefix = "__BTF_ID__set8__";
constexpr uint32_t kSet8HeaderSize = 8;
constexpr uint32_t kSet8PairSize = 8;

// How a candidate record is judged.
struct Set8Rules {
  uint32_t allowed_set_flags;
  uint32_t allowed_kf_flags;
  bool require_sorted;
};

// Parses the record at `offset`; nullopt when its shape breaks `rules`.
std::optional<Set8Record> ParseSet8At(ByteView section, uint64_t offset,
                                      const Btf& btf, const Set8Rules& rules,
                                      std::string* why) {
  std::optional<uint32_t> count = ReadLe<uint32_t>(section, offset);
  std::optional<uint32_t> set_flags = ReadLe<uint32_t>(section, offset + 4);
  if (!count || !set_flags) {
    *why = "header runs past the section";
    return std::nullopt;
  }
  uint64_t room = (section.size() - offset - kSet8HeaderSize) / kSet8PairSize;
  if (*count == 0 || *count > room) {
    *why = absl::StrFormat("count %u does not fit the section", *count);
    return std::nullopt;
  }
  if ((*set_flags & ~rules.allowed_set_flags) != 0) {
    *why = absl::StrFormat("unexpected set flags 0x%x", *set_flags);
    return std::nullopt;
  }
  Set8Record record;
  record.offset = offset;
  record.set_flags = *set_flags;
  record.entries.reserve(*count);
  uint32_t previous = 0;
  uint32_t resolved = 0;
  for (uint32_t i = 0; i < *count; ++i) {
    uint64_t at = offset + kSet8HeaderSize + uint64_t{i} * kSet8PairSize;
    uint32_t id = *ReadLe<uint32_t>(section, at);
    uint32_t flags = *ReadLe<uint32_t>(section, at + 4);
    if ((flags & ~rules.allowed_kf_flags) != 0) {
      *why = absl::StrFormat("entry %u has unknown flags 0x%x", i, flags);
      return std::nullopt;
    }
    // resolve_btfids leaves 0 for a function the build did not include.
    if (id == 0) continue;
    if (btf.Kind(TypeId{id}) != BTF_KIND_FUNC) {
      *why = absl::StrFormat("entry %u: type [%u] is not a function", i, id);
      return std::nullopt;
    }
    if (rules.require_sorted && id <= previous) {
      *why = "ids are not in ascending order";
      return std::nullopt;
    }
    previous = id;
    ++resolved;
    record.entries.push_back(Set8Entry{TypeId{id}, flags});
  }
  if (resolved == 0) {
    *why = "no resolved ids";
    return std::nullopt;
  }
  return record;
}

}  // namespace

std::vector<Set8Record> ReadSet8BySymbols(const ElfSection& section,
                                          const std::vector<ElfSymbol>& symbols,
                                          const Btf& btf,
                                          std::vector<std::string>* warnings) {
  // With a symbol naming the set, the shape checks only guard against
  // corrupt input: any KF_* bit and any order are accepted.
  const Set8Rules rules{~0u, ~0u, false};
  std::vector<Set8Record> records;
  for (const ElfSymbol& symbol : symbols) {
    if (symbol.section_index != section.index ||
        !symbol.name.starts_with(kSet8SymbolPrefix)) {
      continue;
    }
    uint64_t offset = symbol.value - section.address;
    std::string name = symbol.name.substr(kSet8SymbolPrefix.size());
    std::string why;
    std::optional<Set8Record> record = ParseSet8At(section.data, offset, btf, rules, &why);
    if (!record) {
      warnings->push_back(absl::StrFormat("set8 %s at .BTF_ids+0x%x skipped: %s",
                                          name, offset, why));
      continue;
    }
    record->name = std::move(name);
    records.push_back(std::move(*record));
  }
  return records;
}

std::vector<Set8Record> ScanSet8Records(ByteView section, const Btf& btf,
                                        KernelVersion version) {
  const uint32_t set_flags = Set8HasKfuncsFlag(version) ? kBtfSet8Kfuncs : 0;
  const Set8Rules rules{set_flags, KnownKfFlagMask(version), true};
  std::vector<Set8Record> records;
  uint64_t offset = 0;
  std::string why;
  while (offset + kSet8HeaderSize + kSet8PairSize <= section.size()) {
    std::optional<Set8Record> record = ParseSet8At(section, offset, btf, rules, &why);
    // Where set flags exist, a kfunc set always carries BTF_SET8_KFUNCS.
    if (record && (set_flags == 0 || record->set_flags == set_flags)) {
      uint64_t count = *ReadLe<uint32_t>(section, offset);
      records.push_back(std::move(*record));
      offset += kSet8HeaderSize + count * kSet8PairSize;
    } else {
      offset += 4;
    }
  }
  return records;
}

}  // namespace kcontract
