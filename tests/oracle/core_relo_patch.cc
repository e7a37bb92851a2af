// kc_core_relo_patch IN OUT: copies a BPF object, turning every CO-RE
// relocation of kind TYPE_EXISTS (8) in its .BTF.ext into TYPE_MATCHES (12).
//
// Why: Debian 12's clang 14 cannot emit bpf_core_type_matches() (LLVM 15
// added BPF_TYPE_MATCHES to __builtin_preserve_type_info and clang 14 aborts
// with "Incorrect flag for llvm.bpf.preserve.type.info intrinsic"), while
// libbpf 1.1.2 does resolve TYPE_MATCHES relocations. Both kinds patch the
// same instruction form (an immediate 0/1), so rewriting the kind in
// .BTF.ext gives exactly the object a newer clang would emit for
// bpf_core_type_matches(). Only corpus sources built for this (they use
// bpf_core_type_exists() for nothing else) go through this tool.

#include <elf.h>

#include <cstdint>
#include <cstring>
#include <fstream>
#include <iostream>
#include <iterator>
#include <string>
#include <vector>

namespace {

constexpr uint32_t kTypeExists = 8;
constexpr uint32_t kTypeMatches = 12;

template <typename T>
bool ReadAt(const std::vector<char>& buf, size_t off, T* out) {
  if (off > buf.size() || buf.size() - off < sizeof(T)) return false;
  std::memcpy(out, buf.data() + off, sizeof(T));
  return true;
}

int Fail(const std::string& file, const std::string& why) {
  std::cerr << "kc_core_relo_patch: " << file << ": " << why << "\n";
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::cerr << "usage: kc_core_relo_patch IN.o OUT.o\n";
    return 2;
  }
  const std::string in_path = argv[1], out_path = argv[2];
  std::ifstream in(in_path, std::ios::binary);
  if (!in) return Fail(in_path, "cannot read");
  std::vector<char> buf((std::istreambuf_iterator<char>(in)), {});

  Elf64_Ehdr eh;
  if (!ReadAt(buf, 0, &eh) || std::memcmp(eh.e_ident, ELFMAG, SELFMAG) != 0 ||
      eh.e_ident[EI_CLASS] != ELFCLASS64 || eh.e_ident[EI_DATA] != ELFDATA2LSB)
    return Fail(in_path, "not a little-endian ELF64 object");
  if (eh.e_shentsize != sizeof(Elf64_Shdr)) return Fail(in_path, "odd section header size");
  std::vector<Elf64_Shdr> sh(eh.e_shnum);
  for (size_t i = 0; i < sh.size(); ++i)
    if (!ReadAt(buf, eh.e_shoff + i * sizeof(Elf64_Shdr), &sh[i]))
      return Fail(in_path, "truncated section headers");
  if (eh.e_shstrndx >= sh.size()) return Fail(in_path, "bad section name table index");
  const Elf64_Shdr& names = sh[eh.e_shstrndx];

  const Elf64_Shdr* ext = nullptr;
  for (const auto& s : sh) {
    size_t name_off = names.sh_offset + s.sh_name;
    if (name_off >= buf.size()) continue;
    if (std::strncmp(buf.data() + name_off, ".BTF.ext", buf.size() - name_off) == 0) ext = &s;
  }
  if (!ext) return Fail(in_path, "no .BTF.ext section");
  if (ext->sh_offset > buf.size() || buf.size() - ext->sh_offset < ext->sh_size)
    return Fail(in_path, ".BTF.ext beyond end of file");

  const size_t base = ext->sh_offset;
  uint16_t magic = 0;
  uint32_t hdr_len = 0, core_off = 0, core_len = 0;
  if (!ReadAt(buf, base, &magic) || magic != 0xeB9F) return Fail(in_path, "bad .BTF.ext magic");
  if (!ReadAt(buf, base + 4, &hdr_len) || hdr_len < 32 || hdr_len > ext->sh_size)
    return Fail(in_path, ".BTF.ext header has no CO-RE relocation part");
  ReadAt(buf, base + 24, &core_off);
  ReadAt(buf, base + 28, &core_len);
  size_t pos = base + hdr_len + core_off;
  const size_t end = pos + core_len;
  if (end > base + ext->sh_size || core_len < 4) return Fail(in_path, "no CO-RE relocations");

  uint32_t rec_size = 0;
  ReadAt(buf, pos, &rec_size);
  pos += 4;
  if (rec_size < 16) return Fail(in_path, "CO-RE record size too small");
  int patched = 0;
  while (pos < end) {
    uint32_t sec_name_off = 0, num = 0;
    if (!ReadAt(buf, pos, &sec_name_off) || !ReadAt(buf, pos + 4, &num))
      return Fail(in_path, "truncated CO-RE section");
    pos += 8;
    if (num > (end - pos) / rec_size) return Fail(in_path, "CO-RE records beyond section");
    for (uint32_t i = 0; i < num; ++i, pos += rec_size) {
      uint32_t kind = 0;
      ReadAt(buf, pos + 12, &kind);
      if (kind == kTypeExists) {
        std::memcpy(buf.data() + pos + 12, &kTypeMatches, 4);
        ++patched;
      }
    }
  }
  if (patched == 0) return Fail(in_path, "no TYPE_EXISTS relocation to turn into TYPE_MATCHES");

  std::string tmp = out_path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out.write(buf.data(), static_cast<std::streamsize>(buf.size()));
    if (!out) return Fail(tmp, "cannot write");
  }
  if (std::rename(tmp.c_str(), out_path.c_str()) != 0) return Fail(out_path, "cannot rename into place");
  return 0;
}
