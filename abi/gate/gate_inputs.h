// The gate's inputs: BPF objects, files embedding them (skeleton
// executables, libraries), directories walked recursively and Debian
// packages read in memory. Each distinct object (by the sha256 of its
// bytes) is one row named by the first of its names, "package:path@offset"
// where those apply; a file reached twice (a symlink, a path given twice) is
// read once. An input that cannot be read is a row of its own with the
// one-line reason; files in directories and packages that hold no BPF
// object are skipped silently.
#ifndef KCONTRACT_ABI_GATE_GATE_INPUTS_H_
#define KCONTRACT_ABI_GATE_GATE_INPUTS_H_

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "abi/gate/gate_result.h"
#include "abi/object/bpf_object.h"
#include "absl/status/status.h"
#include "btfdiff/source/deb_package.h"

namespace kcontract {

struct GateInputs {
  std::vector<GateRow> rows;  // sorted by name; no cells yet
  // Parallel to rows: the object, null for a row that could not be read.
  std::vector<std::unique_ptr<BpfObject>> objects;
};

// `limits`: what reading one package may take (the defaults are the CLI's;
// the fuzz targets give smaller ones, under their memory limit).
GateInputs ReadGateInputs(const std::vector<std::string>& paths, const DebReadLimits& limits = {});

// A reader's error as a row or column shows it: one line, without the name
// the row or column already shows ("a.o: truncated ELF header" -> "truncated
// ELF header").
std::string OneLineReason(const absl::Status& status, std::string_view name);

// Keeps the rows of shard `shard` (every count-th row from index-1, in name
// order): the same rows whatever machine runs it.
void KeepShard(const GateShard& shard, GateInputs* inputs);

}  // namespace kcontract

#endif  // KCONTRACT_ABI_GATE_GATE_INPUTS_H_
