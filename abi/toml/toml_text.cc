#include "abi/toml/toml_text.h"

#include <cstdint>

#include "absl/strings/str_format.h"

namespace kcontract {
namespace {

// The length of the well-formed UTF-8 sequence at text[i], or 0.
size_t Utf8SequenceLength(std::string_view text, size_t i) {
  const auto byte = [&](size_t k) { return static_cast<uint8_t>(text[k]); };
  uint8_t lead = byte(i);
  if (lead < 0x80) return 1;
  size_t length;
  uint32_t code;
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
    code = lead & 0x1F;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    code = lead & 0x0F;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    code = lead & 0x07;
  } else {
    return 0;  // a continuation byte, or a lead byte no valid sequence has
  }
  if (i + length > text.size()) return 0;
  for (size_t k = 1; k < length; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) return 0;
    code = (code << 6) | (byte(i + k) & 0x3F);
  }
  static constexpr uint32_t kSmallest[] = {0, 0, 0x80, 0x800, 0x10000};
  if (code < kSmallest[length]) return 0;               // overlong
  if (code >= 0xD800 && code <= 0xDFFF) return 0;       // surrogate
  if (code > 0x10FFFF) return 0;
  return length;
}

void AppendEscaped(uint8_t c, std::string& out) {
  switch (c) {
    case '"': out += "\\\""; return;
    case '\\': out += "\\\\"; return;
    case '\b': out += "\\b"; return;
    case '\t': out += "\\t"; return;
    case '\n': out += "\\n"; return;
    case '\f': out += "\\f"; return;
    case '\r': out += "\\r"; return;
    default: break;
  }
  if (c < 0x20 || c == 0x7F) {
    out += absl::StrFormat("\\u%04X", c);
  } else {
    out += static_cast<char>(c);
  }
}

}  // namespace

size_t FirstInvalidUtf8(std::string_view text) {
  for (size_t i = 0; i < text.size();) {
    size_t length = Utf8SequenceLength(text, i);
    if (length == 0) return i;
    i += length;
  }
  return std::string_view::npos;
}

bool IsValidUtf8(std::string_view text) {
  return FirstInvalidUtf8(text) == std::string_view::npos;
}

std::string TomlString(std::string_view text) {
  std::string out = "\"";
  for (size_t i = 0; i < text.size();) {
    size_t length = Utf8SequenceLength(text, i);
    if (length == 0) {
      out += "\\uFFFD";
      i += 1;
    } else if (length == 1) {
      AppendEscaped(static_cast<uint8_t>(text[i]), out);
      i += 1;
    } else {
      out.append(text.substr(i, length));
      i += length;
    }
  }
  out += '"';
  return out;
}

std::string TomlStringArrayLines(std::string_view key, const std::vector<std::string>& values) {
  std::string out = absl::StrFormat("%s = [\n", std::string(key));
  for (const std::string& value : values) out += "  " + TomlString(value) + ",\n";
  out += "]\n";
  return out;
}

}  // namespace kcontract
