#include "abi/object/btf_ext.h"

#include <optional>

#include "absl/strings/str_format.h"
#include "btfdiff/base/status_macros.h"
#include "btfdiff/base/text.h"

namespace kcontract {
namespace {

// Header layout (little-endian):
//   u16 magic, u8 version, u8 flags, u32 hdr_len,
//   u32 func_info_off, u32 func_info_len, u32 line_info_off, u32 line_info_len,
//   [u32 core_relo_off, u32 core_relo_len]   (only when hdr_len covers them)
// Offsets are relative to the end of the header (hdr_len).
constexpr uint32_t kMinHeaderLength = 24;
constexpr uint32_t kCoreReloHeaderLength = 32;

// The smallest record each table may have; clang may emit larger records
// (newer fields appended), which are read by their known prefix.
constexpr uint32_t kFuncInfoMinRecord = 8;
constexpr uint32_t kLineInfoMinRecord = 16;
constexpr uint32_t kCoreReloMinRecord = 16;

class Parser {
 public:
  Parser(ByteView data, const Btf& btf, std::string_view what)
      : data_(data), btf_(btf), what_(what) {}

  absl::Status Error(std::string_view message) const {
    return absl::DataLossError(absl::StrFormat("%s: malformed .BTF.ext: %s", what_, message));
  }

  absl::StatusOr<BtfExt> Parse() {
    BtfExt ext;
    std::optional<uint16_t> magic = ReadLe<uint16_t>(data_, 0);
    if (!magic) {
      return Error(absl::StrFormat("%d bytes, shorter than its %d-byte header", data_.size(),
                                   kMinHeaderLength));
    }
    if (*magic != kBtfExtMagic) {
      return Error(absl::StrFormat("bad magic 0x%04x (expected 0x%04x)", *magic, kBtfExtMagic));
    }
    ext.version = data_.size() > 2 ? data_[2] : 0;
    ext.flags = data_.size() > 3 ? data_[3] : 0;
    std::optional<uint32_t> hdr_len = ReadLe<uint32_t>(data_, 4);
    if (!hdr_len) return Error("header truncated");
    if (ext.version != 1) {
      return Error(absl::StrFormat("unsupported version %d (libbpf reads version 1)", ext.version));
    }
    if (ext.flags != 0) {
      return Error(absl::StrFormat("unsupported flags 0x%x (libbpf requires 0)", ext.flags));
    }
    if (*hdr_len < kMinHeaderLength) {
      return Error(absl::StrFormat("header length %d is shorter than the minimum %d", *hdr_len,
                                   kMinHeaderLength));
    }
    if (*hdr_len > data_.size()) {
      return Error(absl::StrFormat("header length %d exceeds the section size %d", *hdr_len,
                                   data_.size()));
    }
    ext.header_length = *hdr_len;
    payload_ = data_.subspan(*hdr_len);

    auto field = [&](uint32_t offset) { return *ReadLe<uint32_t>(data_, offset); };
    uint32_t func_off = field(8), func_len = field(12);
    uint32_t line_off = field(16), line_len = field(20);
    ext.has_core_relo_header = *hdr_len >= kCoreReloHeaderLength;

    KC_ASSIGN_OR_RETURN(
        ext.func_info,
        ParseTable<BtfExtFuncInfo>("func_info", func_off, func_len, kFuncInfoMinRecord,
                                   [&](ByteView rec, BtfExtFuncInfo* out) -> absl::Status {
                                     out->insn_off = *ReadLe<uint32_t>(rec, 0);
                                     out->type = TypeId{*ReadLe<uint32_t>(rec, 4)};
                                     if (!btf_.Valid(out->type)) {
                                       return Error(absl::StrFormat(
                                           "func_info names type [%d], beyond the BTF's %d types",
                                           out->type.value, btf_.end_id().value - 1));
                                     }
                                     return absl::OkStatus();
                                   }));
    KC_ASSIGN_OR_RETURN(
        ext.line_info,
        ParseTable<BtfExtLineInfo>("line_info", line_off, line_len, kLineInfoMinRecord,
                                   [&](ByteView rec, BtfExtLineInfo* out) -> absl::Status {
                                     out->insn_off = *ReadLe<uint32_t>(rec, 0);
                                     out->file = std::string(btf_.String(*ReadLe<uint32_t>(rec, 4)));
                                     out->line = std::string(btf_.String(*ReadLe<uint32_t>(rec, 8)));
                                     uint32_t line_col = *ReadLe<uint32_t>(rec, 12);
                                     out->line_number = line_col >> 10;
                                     out->column = line_col & 0x3ff;
                                     return absl::OkStatus();
                                   }));
    if (ext.has_core_relo_header) {
      uint32_t core_off = field(24), core_len = field(28);
      KC_ASSIGN_OR_RETURN(
          ext.core_relos,
          ParseTable<BtfExtCoreRelo>(
              "core_relo", core_off, core_len, kCoreReloMinRecord,
              [&](ByteView rec, BtfExtCoreRelo* out) -> absl::Status {
                out->insn_off = *ReadLe<uint32_t>(rec, 0);
                out->type = TypeId{*ReadLe<uint32_t>(rec, 4)};
                uint32_t access_off = *ReadLe<uint32_t>(rec, 8);
                out->kind = *ReadLe<uint32_t>(rec, 12);
                if (out->type.is_void() || !btf_.Valid(out->type)) {
                  return Error(absl::StrFormat(
                      "CO-RE relocation at insn offset %d names type [%d], not a type of the "
                      "object's BTF (%d types)",
                      out->insn_off, out->type.value, btf_.end_id().value - 1));
                }
                out->access = std::string(btf_.String(access_off));
                if (out->access.empty()) {
                  return Error(absl::StrFormat(
                      "CO-RE relocation at insn offset %d: access string offset %d is not a "
                      "string of the object's BTF",
                      out->insn_off, access_off));
                }
                return absl::OkStatus();
              }));
    }
    return ext;
  }

 private:
  // One info table: u32 record size, then blocks of
  // {u32 sec_name_off, u32 num_info, num_info records}.
  template <typename Record, typename DecodeFn>
  absl::StatusOr<std::vector<BtfExtSection<Record>>> ParseTable(std::string_view table,
                                                                  uint32_t offset,
                                                                  uint32_t length,
                                                                  uint32_t min_record,
                                                                  DecodeFn decode) {
    std::vector<BtfExtSection<Record>> sections;
    if (length == 0) return sections;
    if (offset % 4 != 0) {
      return Error(absl::StrFormat("%s offset %d is not 4-byte aligned", table, offset));
    }
    std::optional<ByteView> bytes = Slice(payload_, offset, length);
    if (!bytes) {
      return Error(absl::StrFormat("%s (offset %d, length %d) runs past the end of the section "
                                   "(%d bytes after the header)",
                                   table, offset, length, payload_.size()));
    }
    std::optional<uint32_t> record_size = ReadLe<uint32_t>(*bytes, 0);
    if (!record_size) {
      return Error(absl::StrFormat("%s is %d bytes, too short for its record size", table,
                                   length));
    }
    if (*record_size < min_record || *record_size % 4 != 0) {
      return Error(absl::StrFormat("%s record size %d is invalid (at least %d, multiple of 4)",
                                   table, *record_size, min_record));
    }
    uint64_t pos = 4;
    while (pos < bytes->size()) {
      std::optional<uint32_t> name_off = ReadLe<uint32_t>(*bytes, pos);
      std::optional<uint32_t> count = ReadLe<uint32_t>(*bytes, pos + 4);
      if (!name_off || !count) {
        return Error(absl::StrFormat("%s block header at offset %d is truncated", table, pos));
      }
      BtfExtSection<Record> section;
      section.section = std::string(btf_.String(*name_off));
      if (section.section.empty()) {
        return Error(absl::StrFormat(
            "%s block at offset %d: section name offset %d is not a string of the object's BTF",
            table, pos, *name_off));
      }
      if (*count == 0) {
        return Error(absl::StrFormat("%s block for section %s has no records", table,
                                     PrintableName(section.section)));
      }
      pos += 8;
      uint64_t total = static_cast<uint64_t>(*count) * *record_size;
      std::optional<ByteView> records = Slice(*bytes, pos, total);
      if (!records) {
        return Error(absl::StrFormat(
            "%s block for section %s: %d records of %d bytes run past the end of the table",
            table, PrintableName(section.section), *count, *record_size));
      }
      section.records.resize(*count);
      for (uint32_t i = 0; i < *count; ++i) {
        ByteView rec = records->subspan(static_cast<uint64_t>(i) * *record_size, *record_size);
        KC_RETURN_IF_ERROR(decode(rec, &section.records[i]));
      }
      pos += total;
      sections.push_back(std::move(section));
    }
    return sections;
  }

  ByteView data_;
  ByteView payload_;
  const Btf& btf_;
  std::string_view what_;
};

}  // namespace

size_t BtfExt::CoreReloCount() const {
  size_t count = 0;
  for (const auto& section : core_relos) count += section.records.size();
  return count;
}

absl::StatusOr<BtfExt> ParseBtfExt(ByteView data, const Btf& btf, std::string_view what) {
  return Parser(data, btf, what).Parse();
}

}  // namespace kcontract
