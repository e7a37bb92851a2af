// Contracts: what maintainers promise about BPF kernel interfaces, as read
// from manifests (manifest_reader.h) and from stability tags in a kernel's
// BTF (stability_tags.h). Immutable once built; ContractSet answers "which
// entry governs this interface" by the precedence STABILITY.md documents.
#ifndef KCONTRACT_ABI_CONTRACT_CONTRACT_H_
#define KCONTRACT_ABI_CONTRACT_CONTRACT_H_

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "abi/contract/stability.h"
#include "absl/container/flat_hash_map.h"
#include "btfdiff/base/diagnostic.h"
#include "btfdiff/model/signature.h"

namespace kcontract {

// Where an entry was written: a manifest's file:line:col, or the kernel
// whose BTF carried the tag ("btf:6.18.44", line 0).
// One recorded form of an interface: its canonical signature as generated
// from BTF (btfdiff/model/signature.h), compared exactly.
struct Revision {
  std::string name;        // "rfc-v4", "v9", "6.12"
  Signature signature;
  std::string first_seen;  // the kernel it was generated from, as written
  SourceLocation location;
};

struct Interface {
  std::string name;  // "bpf_thp_ops", "scx_bpf_dispatch", "tcp_congestion_ops.init"
  InterfaceKind kind = InterfaceKind::kKfunc;
  // nullopt: the contract records revisions but promises nothing, which is
  // what the kernel's kfunc documentation says of every kfunc ("unstable").
  std::optional<Stability> stability;
  std::string opt_in;       // the token an object names to use it (experimental)
  std::string since;        // release it reached this level
  std::string remove;       // release it goes (deprecated) or went (withdrawn) away
  std::string replacement;  // the interface to use instead
  std::string module;       // "" for vmlinux
  // Not for programs outside the kernel (its self-tests, debugging aids):
  // `diff` groups its changes apart and does not count them.
  bool internal = false;
  std::string notes;
  std::vector<std::string> links;
  std::vector<Revision> revisions;
  SourceLocation location;  // the entry's header
  std::string contract;     // the contract's name

  // The token an object must name: opt_in, else the interface's name.
  const std::string& OptInToken() const { return opt_in.empty() ? name : opt_in; }
  const Revision* FindRevision(const Signature& signature) const;
};

// Lowest precedence first: an entry from a later origin governs.
enum class ContractOrigin {
  kInstalled = 0,  // manifests installed with kcontract (used by default)
  kKernelBtf = 1,  // stability tags in the BTF of the kernel at hand
  kGiven = 2,      // manifests named on the command line (--manifest)
};
std::string_view ContractOriginName(ContractOrigin origin);

struct Contract {
  std::string name;   // "bpf-thp"
  std::string owner;  // "mm (THP)"
  std::string notes;
  std::vector<std::string> links;
  std::string path;   // the manifest, or "btf:<kernel>"
  ContractOrigin origin = ContractOrigin::kInstalled;
  std::vector<Interface> interfaces;
};

class ContractSet {
 public:
  ContractSet() = default;
  // A copy shares the contracts (they never change once added): a command
  // reads the manifests once and adds each kernel's stability tags to a copy.
  ContractSet(const ContractSet&) = default;
  ContractSet& operator=(const ContractSet&) = default;
  ContractSet(ContractSet&&) = default;
  ContractSet& operator=(ContractSet&&) = default;

  void Add(Contract contract);

  // The governing entry: highest origin; among equals, the stricter level
  // (withdrawn > deprecated > experimental > stable > none). nullptr when no
  // contract names the interface.
  const Interface* Find(InterfaceKind kind, std::string_view name) const;
  // Every entry for the interface, governing one first.
  std::vector<const Interface*> FindAll(InterfaceKind kind, std::string_view name) const;

  // The governing entry of every named interface, sorted by (kind, name).
  std::vector<const Interface*> Governing() const;

  const std::vector<std::shared_ptr<const Contract>>& contracts() const { return contracts_; }
  bool empty() const { return contracts_.empty(); }

 private:
  struct Entry {
    const Interface* interface;
    ContractOrigin origin;
  };
  std::vector<std::shared_ptr<const Contract>> contracts_;
  absl::flat_hash_map<std::pair<InterfaceKind, std::string>, std::vector<Entry>> index_;
};

}  // namespace kcontract

#endif  // KCONTRACT_ABI_CONTRACT_CONTRACT_H_
