// What kcontract requires of BTF beyond what libbpf 1.1.2's parser checks:
// every string offset inside the string section, every referenced type id
// inside the BTF, a FUNC named and its type a FUNC_PROTO, a decl tag's
// component index naming a member or parameter that exists, and the size
// limits below.
// libbpf 1.1.2 accepts some BTF that breaks these rules (it reads a name at
// an out-of-range offset as no name at all); the kernel refuses all of it
// (kernel/bpf/btf.c) and libbpf refuses most since 1.3, so such BTF never
// came from a kernel nor loads into one: kcontract rejects it as malformed
// rather than report interfaces under empty or wrong names.
#ifndef KCONTRACT_BTFDIFF_MODEL_BTF_VALIDATE_H_
#define KCONTRACT_BTFDIFF_MODEL_BTF_VALIDATE_H_

#include <bpf/btf.h>

#include <cstdint>
#include <string>

namespace kcontract {

// The kernel's own limits (kernel/bpf/btf.c): BTF_MAX_TYPE, the most type ids
// one BTF (with its base) can have, and BTF_MAX_NAME_OFFSET, the largest
// string offset. A 6.18 vmlinux has 150k types and 3.7 MB of strings.
inline constexpr uint32_t kMaxBtfTypes = 0x000fffff;
inline constexpr uint32_t kMaxBtfStringBytes = 0x00ffffff;
// One BTF blob's bytes (types and strings): a 6.18 vmlinux's is 5.5 MB.
inline constexpr uint64_t kMaxBtfBytes = 64ull << 20;
// All the BTF of one kernel, vmlinux and every module together: what a
// reader keeps of a kernel, and what a snapshot may decompress to. Debian's
// whole 6.1 and 6.12 packages hold 64.5 and 76.5 MB.
inline constexpr uint64_t kMaxKernelBtfBytes = 160ull << 20;

// "" when `btf` (with its base, already validated) keeps the rules, else
// why not: "type [N] STRUCT foo: member 3: name offset 123456 is outside
// the string section (2048 bytes)". Checks only the blob's own types.
std::string ValidateBtf(const struct btf* btf, const struct btf* base);

}  // namespace kcontract

#endif  // KCONTRACT_BTFDIFF_MODEL_BTF_VALIDATE_H_
