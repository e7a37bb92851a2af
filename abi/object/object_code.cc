#include "abi/object/object_code.h"

#include <algorithm>
#include <tuple>

namespace kcontract {

const CodeSection* ObjectCode::Section(uint32_t index) const {
  for (const CodeSection& s : sections) {
    if (s.index == index) return &s;
  }
  return nullptr;
}

const CodeSection* ObjectCode::SectionNamed(std::string_view name) const {
  for (const CodeSection& s : sections) {
    if (s.name == name) return &s;
  }
  return nullptr;
}

const DataSection* ObjectCode::Data(uint32_t index) const {
  for (const DataSection& d : data) {
    if (d.index == index) return &d;
  }
  return nullptr;
}

const CodeFunction* ObjectCode::FunctionAt(uint32_t section, uint32_t insn) const {
  for (const CodeFunction& f : functions) {
    if (f.section == section && insn >= f.first && insn - f.first < f.count) return &f;
  }
  return nullptr;
}

const CodeFunction* ObjectCode::FunctionStartingAt(uint32_t section, uint32_t insn) const {
  for (const CodeFunction& f : functions) {
    if (f.section == section && f.first == insn) return &f;
  }
  return nullptr;
}

const CodeFunction* ObjectCode::FunctionNamed(std::string_view name) const {
  for (const CodeFunction& f : functions) {
    if (f.name == name) return &f;
  }
  return nullptr;
}

const CodeReference* ObjectCode::ReferenceAt(uint32_t section, uint32_t insn) const {
  auto it = std::lower_bound(references.begin(), references.end(), std::make_pair(section, insn),
                             [](const CodeReference& r, const std::pair<uint32_t, uint32_t>& key) {
                               return std::make_pair(r.section, r.insn) < key;
                             });
  if (it == references.end() || it->section != section || it->insn != insn) return nullptr;
  return &*it;
}

std::optional<SourceLine> ObjectCode::LineAt(uint32_t section, uint32_t insn) const {
  auto it = std::upper_bound(lines.begin(), lines.end(), std::make_pair(section, insn),
                             [](const std::pair<uint32_t, uint32_t>& key, const LineRecord& r) {
                               return key < std::make_pair(r.section, r.insn);
                             });
  if (it == lines.begin()) return std::nullopt;
  --it;
  if (it->section != section) return std::nullopt;
  return it->line;
}

}  // namespace kcontract
