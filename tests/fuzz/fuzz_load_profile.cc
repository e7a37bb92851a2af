// Load profiles (abi/profile/load_profile.h): read, then looked up as a
// check would look up each object.
#include "abi/profile/load_profile.h"
#include "tests/fuzz/fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace kcontract;
  const fuzz::Fixtures& f = fuzz::GetFixtures();
  std::string path = fuzz::WriteScratchFile("profile.toml", data, size);
  LoadProfileReadResult read = ReadLoadProfile(path);
  LoadProfileReadResult parsed = ParseLoadProfile(
      std::string_view(reinterpret_cast<const char*>(data), size), "profile.toml");
  if (parsed.profile.has_value() != read.profile.has_value()) __builtin_trap();
  if (!parsed.profile) return 0;
  std::vector<LoadProfile> profiles = {*parsed.profile};
  const std::string sha = "9f2c0000000000000000000000000000000000000000000000000000000000ab";
  for (const auto& object : f.objects) {
    if (const ObjectProfile* p = FindObjectProfile(profiles, object->path, sha)) {
      for (const std::string& program : p->autoload_off) fuzz::Consume(program);
      for (const AttachSetting& a : p->attach) p->FindAttach(a.program);
      for (const RodataSetting& r : p->rodata) p->FindRodata(r.variable);
    }
  }
  FindObjectProfile(profiles, "dir/opensnoop.bpf.o", sha);
  FindObjectProfile(profiles, "tool@0x1000", "");
  return 0;
}
