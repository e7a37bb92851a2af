#include "btfdiff/model/kf_flags.h"

#include <bit>
#include <cstdint>
#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace kcontract {
namespace {

using Strs = std::vector<std::string>;

constexpr KernelVersion kV6_1{6, 1, 176};
constexpr KernelVersion kV6_12{6, 12, 111};
constexpr KernelVersion kV6_18{6, 18, 44};

std::vector<std::string> Names(uint32_t flags, KernelVersion version) {
  return DecodeKfFlags(flags, version).names;
}

uint32_t Unknown(uint32_t flags, KernelVersion version) {
  return DecodeKfFlags(flags, version).unknown_bits;
}

// --- ParseKernelVersion -------------------------------------------------

TEST(ParseKernelVersionTest, DebianAndCustomReleaseStrings) {
  EXPECT_EQ(ParseKernelVersion("6.1.0-50-amd64"), (KernelVersion{6, 1, 0}));
  EXPECT_EQ(ParseKernelVersion("6.12.111+deb12-amd64"),
            (KernelVersion{6, 12, 111}));
  EXPECT_EQ(ParseKernelVersion("6.18.44-fc-v669"), (KernelVersion{6, 18, 44}));
}

TEST(ParseKernelVersionTest, ShortFormsAndLeadingV) {
  EXPECT_EQ(ParseKernelVersion("6.1"), (KernelVersion{6, 1, 0}));
  EXPECT_EQ(ParseKernelVersion("v6.5"), (KernelVersion{6, 5, 0}));
  EXPECT_EQ(ParseKernelVersion("v6.5.3"), (KernelVersion{6, 5, 3}));
  EXPECT_EQ(ParseKernelVersion("6.9-rc3"), (KernelVersion{6, 9, 0}));
  EXPECT_EQ(ParseKernelVersion("6.9.rc3"), (KernelVersion{6, 9, 0}));
}

TEST(ParseKernelVersionTest, RejectsStringsNotStartingWithNDotN) {
  for (const char* bad : {"", "abc", "6", "6.", "v", "v6", ".6.1", "-6.1",
                          "6.-1", "6..1", "x6.1", "0.5", "99999999999.1"}) {
    const KernelVersion version = ParseKernelVersion(bad);
    EXPECT_FALSE(version.known()) << '"' << bad << '"';
    EXPECT_EQ(version, KernelVersion{}) << '"' << bad << '"';
  }
}

// --- Debian 6.1.176: words read from its .BTF_ids set8 records ----------

TEST(DecodeKfFlagsTest, Debian61RealWords) {
  // bpf_lookup_user_key: KF_ACQUIRE | KF_RET_NULL | KF_SLEEPABLE.
  EXPECT_EQ(Names(37, kV6_1),
            (Strs{"KF_ACQUIRE", "KF_RET_NULL", "KF_SLEEPABLE"}));
  // crash_kexec.
  EXPECT_EQ(Names(64, kV6_1), (Strs{"KF_DESTRUCTIVE"}));
  // bpf_kfunc_call_test_kptr_get: the only bit-3 user seen.
  EXPECT_EQ(Names(13, kV6_1),
            (Strs{"KF_ACQUIRE", "KF_RET_NULL", "KF_KPTR_GET"}));
  // bpf_kfunc_call_test_ref.
  EXPECT_EQ(Names(16, kV6_1), (Strs{"KF_TRUSTED_ARGS"}));
  // bpf_key_put, bpf_lookup_system_key, cgroup_rstat_flush.
  EXPECT_EQ(Names(2, kV6_1), (Strs{"KF_RELEASE"}));
  EXPECT_EQ(Names(5, kV6_1), (Strs{"KF_ACQUIRE", "KF_RET_NULL"}));
  EXPECT_EQ(Names(32, kV6_1), (Strs{"KF_SLEEPABLE"}));
  for (uint32_t word : {37u, 64u, 13u, 16u, 2u, 5u, 32u, 0u}) {
    EXPECT_EQ(Unknown(word, kV6_1), 0u) << word;
  }
}

TEST(DecodeKfFlagsTest, ZeroDecodesToNothing) {
  const DecodedKfFlags decoded = DecodeKfFlags(0, kV6_12);
  EXPECT_TRUE(decoded.names.empty());
  EXPECT_EQ(decoded.unknown_bits, 0u);
}

// --- Debian 6.12.111: words read from its .BTF_ids set8 records ---------

TEST(DecodeKfFlagsTest, Debian612RealWords) {
  // bpf_task_acquire, bpf_cgroup_acquire, bpf_refcount_acquire_impl.
  EXPECT_EQ(Names(133, kV6_12), (Strs{"KF_ACQUIRE", "KF_RET_NULL", "KF_RCU"}));
  // bpf_iter_task_new, bpf_iter_css_new.
  EXPECT_EQ(Names(0x910, kV6_12),
            (Strs{"KF_TRUSTED_ARGS", "KF_ITER_NEW", "KF_RCU_PROTECTED"}));
  // bpf_iter_css_task_new, bpf_iter_task_vma_new.
  EXPECT_EQ(Names(0x110, kV6_12), (Strs{"KF_TRUSTED_ARGS", "KF_ITER_NEW"}));
  EXPECT_EQ(Names(0x180, kV6_12), (Strs{"KF_RCU", "KF_ITER_NEW"}));
  // bpf_iter_{num,bits,task,css,...}_next and _destroy.
  EXPECT_EQ(Names(0x204, kV6_12), (Strs{"KF_RET_NULL", "KF_ITER_NEXT"}));
  EXPECT_EQ(Names(0x400, kV6_12), (Strs{"KF_ITER_DESTROY"}));
  EXPECT_EQ(Names(0x100, kV6_12), (Strs{"KF_ITER_NEW"}));
  // bpf_cpumask_acquire, bpf_cpumask_first, bpf_arena_alloc_pages,
  // bpf_get_task_exe_file, bpf_crypto_ctx_create.
  EXPECT_EQ(Names(17, kV6_12), (Strs{"KF_ACQUIRE", "KF_TRUSTED_ARGS"}));
  EXPECT_EQ(Names(128, kV6_12), (Strs{"KF_RCU"}));
  EXPECT_EQ(Names(48, kV6_12), (Strs{"KF_TRUSTED_ARGS", "KF_SLEEPABLE"}));
  EXPECT_EQ(Names(21, kV6_12),
            (Strs{"KF_ACQUIRE", "KF_RET_NULL", "KF_TRUSTED_ARGS"}));
  EXPECT_EQ(Names(37, kV6_12),
            (Strs{"KF_ACQUIRE", "KF_RET_NULL", "KF_SLEEPABLE"}));
  for (uint32_t word : {133u, 0x910u, 0x110u, 0x180u, 0x204u, 0x400u, 17u, 128u,
                        48u, 21u, 37u, 64u}) {
    EXPECT_EQ(Unknown(word, kV6_12), 0u) << word;
  }
}

// --- 6.18.44: bits attested by the BTF tags pahole made from the flags ---

TEST(DecodeKfFlagsTest, Linux618BitsAttestedByBtfTags) {
  // bpf_cast_to_kern_ctx / bpf_rdonly_cast carry decl tag "bpf_fastcall".
  EXPECT_EQ(Names(0x1000, kV6_18), (Strs{"KF_FASTCALL"}));
  // bpf_arena_alloc_pages: arena return and 2nd argument (address_space(1)
  // type tags). KF_TRUSTED_ARGS | KF_ARENA_RET | KF_ARENA_ARG2 is its word in
  // bpf-next of Dec 2025; the exact 6.18 word was not seen.
  EXPECT_EQ(Names(0xA010, kV6_18),
            (Strs{"KF_TRUSTED_ARGS", "KF_ARENA_RET", "KF_ARENA_ARG2"}));
  EXPECT_EQ(Names(0x4000, kV6_18), (Strs{"KF_ARENA_ARG1"}));
  // Words valid in 6.12 decode the same way in 6.18.
  EXPECT_EQ(Names(0x910, kV6_18), Names(0x910, kV6_12));
  EXPECT_EQ(Names(133, kV6_18), Names(133, kV6_12));
}

// --- The same bits in different releases --------------------------------

TEST(DecodeKfFlagsTest, Bit3IsKptrGetUntil63AndUnusedAfter) {
  EXPECT_EQ(Names(0x8, kV6_1), (Strs{"KF_KPTR_GET"}));
  EXPECT_EQ(Names(0x8, KernelVersion{6, 3, 13}), (Strs{"KF_KPTR_GET"}));
  for (KernelVersion v : {KernelVersion{6, 4, 0}, kV6_12, kV6_18}) {
    const DecodedKfFlags decoded = DecodeKfFlags(0xd, v);
    EXPECT_EQ(decoded.names, (Strs{"KF_ACQUIRE", "KF_RET_NULL"}));
    EXPECT_EQ(decoded.unknown_bits, 0x8u);
  }
}

TEST(DecodeKfFlagsTest, LaterBitsAreUnknownBeforeTheyLanded) {
  // KF_RCU (bit 7) from 6.2: bpf_task_acquire's 6.12 word read as 6.1.
  const DecodedKfFlags as_61 = DecodeKfFlags(133, kV6_1);
  EXPECT_EQ(as_61.names, (Strs{"KF_ACQUIRE", "KF_RET_NULL"}));
  EXPECT_EQ(as_61.unknown_bits, 0x80u);
  // KF_FASTCALL (bit 12) from 6.13, KF_ARENA_* (13-15) from 6.15.
  EXPECT_EQ(Unknown(0x1000, kV6_12), 0x1000u);
  EXPECT_EQ(Names(0x1000, KernelVersion{6, 13, 0}), (Strs{"KF_FASTCALL"}));
  EXPECT_EQ(Unknown(0xE000, KernelVersion{6, 14, 0}), 0xE000u);
  EXPECT_EQ(Unknown(0xE000, KernelVersion{6, 15, 0}), 0u);
  // KF_ITER_* (8-10) from 6.4, KF_RCU_PROTECTED (11) from 6.7.
  EXPECT_EQ(Unknown(0x700, KernelVersion{6, 3, 0}), 0x700u);
  EXPECT_EQ(Unknown(0x800, KernelVersion{6, 6, 0}), 0x800u);
  EXPECT_EQ(Unknown(0x800, KernelVersion{6, 7, 0}), 0u);
  // KF_SLEEPABLE / KF_DESTRUCTIVE (5, 6) from 6.1.
  EXPECT_EQ(Unknown(0x60, KernelVersion{6, 0, 0}), 0x60u);
}

TEST(DecodeKfFlagsTest, BitsNoReleaseDefinesAreUnknown) {
  const DecodedKfFlags decoded = DecodeKfFlags(0x80010001u, kV6_18);
  EXPECT_EQ(decoded.names, (Strs{"KF_ACQUIRE"}));
  EXPECT_EQ(decoded.unknown_bits, 0x80010000u);
}

TEST(DecodeKfFlagsTest, VersionsOutsideTheTablesClamp) {
  // Older than 6.0 decodes like 6.0.
  EXPECT_EQ(Names(0x18, KernelVersion{5, 15, 0}),
            (Strs{"KF_KPTR_GET", "KF_TRUSTED_ARGS"}));
  EXPECT_EQ(Unknown(0x20, KernelVersion{5, 19, 0}), 0x20u);
  // Unknown and newer-than-6.18 decode like 6.18.
  for (KernelVersion v : {KernelVersion{}, ParseKernelVersion("abc"),
                          KernelVersion{6, 19, 0}, KernelVersion{7, 0, 0}}) {
    EXPECT_EQ(Names(0x1000, v), (Strs{"KF_FASTCALL"}));
    EXPECT_EQ(Unknown(0x8, v), 0x8u);
    EXPECT_EQ(KnownKfFlagMask(v), KnownKfFlagMask(kV6_18));
  }
}

// --- KnownKfFlagMask ----------------------------------------------------

TEST(KnownKfFlagMaskTest, PerRelease) {
  EXPECT_EQ(KnownKfFlagMask(KernelVersion{6, 0, 0}), 0x1Fu);
  EXPECT_EQ(KnownKfFlagMask(kV6_1), 0x7Fu);
  EXPECT_EQ(KnownKfFlagMask(KernelVersion{6, 2, 0}), 0xFFu);
  EXPECT_EQ(KnownKfFlagMask(KernelVersion{6, 3, 0}), 0xFFu);
  EXPECT_EQ(KnownKfFlagMask(KernelVersion{6, 4, 0}), 0x7F7u);
  EXPECT_EQ(KnownKfFlagMask(KernelVersion{6, 6, 0}), 0x7F7u);
  EXPECT_EQ(KnownKfFlagMask(KernelVersion{6, 7, 0}), 0xFF7u);
  EXPECT_EQ(KnownKfFlagMask(kV6_12), 0xFF7u);
  EXPECT_EQ(KnownKfFlagMask(KernelVersion{6, 13, 0}), 0x1FF7u);
  EXPECT_EQ(KnownKfFlagMask(KernelVersion{6, 14, 0}), 0x1FF7u);
  EXPECT_EQ(KnownKfFlagMask(KernelVersion{6, 15, 0}), 0xFFF7u);
  EXPECT_EQ(KnownKfFlagMask(kV6_18), 0xFFF7u);
}

TEST(KnownKfFlagMaskTest, CoversEveryRealWordSeen) {
  // OR of all kfunc words in the Debian 6.1 and 6.12 .BTF_ids sections.
  EXPECT_EQ(0x7Du & ~KnownKfFlagMask(kV6_1), 0u);
  EXPECT_EQ(0xFF7u & ~KnownKfFlagMask(kV6_12), 0u);
}

TEST(KnownKfFlagMaskTest, MatchesDecode) {
  for (int minor = 0; minor <= 18; ++minor) {
    const KernelVersion v{6, minor, 0};
    const uint32_t mask = KnownKfFlagMask(v);
    const DecodedKfFlags all = DecodeKfFlags(0xFFFFFFFFu, v);
    EXPECT_EQ(all.unknown_bits, ~mask) << "6." << minor;
    EXPECT_EQ(all.names.size(), static_cast<size_t>(std::popcount(mask)))
        << "6." << minor;
  }
}

// --- set8 header flag ---------------------------------------------------

TEST(Set8KfuncsFlagTest, BitAndRelease) {
  EXPECT_EQ(kBtfSet8Kfuncs, 1u);
  EXPECT_FALSE(Set8HasKfuncsFlag(kV6_1));  // Debian 6.1: header flags 0.
  EXPECT_FALSE(Set8HasKfuncsFlag(KernelVersion{6, 8, 12}));
  EXPECT_TRUE(Set8HasKfuncsFlag(KernelVersion{6, 9, 0}));
  EXPECT_TRUE(Set8HasKfuncsFlag(kV6_12));  // Debian 6.12: header flags 1.
  EXPECT_TRUE(Set8HasKfuncsFlag(kV6_18));
  EXPECT_TRUE(Set8HasKfuncsFlag(KernelVersion{7, 0, 0}));
  EXPECT_TRUE(Set8HasKfuncsFlag(KernelVersion{}));  // Unknown: newest.
  EXPECT_FALSE(Set8HasKfuncsFlag(KernelVersion{5, 15, 0}));
}

}  // namespace
}  // namespace kcontract
