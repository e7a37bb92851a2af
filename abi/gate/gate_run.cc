#include "abi/gate/gate_run.h"

#include "abi/profile/apply_profile.h"

#include <algorithm>
#include <atomic>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

#include "abi/libbpf/libbpf_check.h"
#include "abi/prepared/prepared_check.h"

namespace kcontract {
namespace {

GateCell CheckCell(const BpfObject& object, const CheckTarget& target,
                   const ContractSet& contracts, const GateRunOptions& options) {
  // As `check` does: the object as the loader helper prepares it, with what
  // its load profile says the loader does, judged.
  const CheckPolicy& policy = options.policy;
  ObjectCheck check =
      CheckPrepared(object, target, contracts, MatchProfile(options.profiles, object),
                    options.libbpf)
          .check;
  JudgeCheck(policy, &check);
  GateCell cell;
  cell.verdict = check.verdict;
  cell.findings = std::move(check.findings);
  return cell;
}

int ThreadsFor(int jobs, size_t work) {
  int threads =
      jobs > 0 ? jobs : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  return static_cast<int>(std::min<size_t>(threads, std::max<size_t>(work, 1)));
}

}  // namespace

void CheckColumn(const KernelBtf& kernel, const ContractSet& contracts,
                 const GateRunOptions& options, bool baseline, GateInputs* inputs) {
  CheckTarget target(kernel);
  // Lookups build the name index lazily, which threads must not race on.
  target.names().BuildNow();
  std::vector<size_t> work;
  for (size_t i = 0; i < inputs->rows.size(); ++i) {
    if (inputs->objects[i] != nullptr) work.push_back(i);
  }
  std::vector<GateCell> cells(work.size());
  std::atomic<size_t> next{0};
  std::mutex progress_mutex;
  auto worker = [&] {
    for (size_t n = next++; n < work.size(); n = next++) {
      cells[n] = CheckCell(*inputs->objects[work[n]], target, contracts, options);
      if (options.progress) {
        std::lock_guard<std::mutex> lock(progress_mutex);
        options.progress();
      }
    }
  };
  const int threads = ThreadsFor(options.jobs, work.size());
  if (threads <= 1) {
    worker();
  } else {
    std::vector<std::thread> pool;
    for (int t = 0; t < threads; ++t) pool.emplace_back(worker);
    for (std::thread& thread : pool) thread.join();
  }
  for (size_t n = 0; n < work.size(); ++n) {
    GateRow& row = inputs->rows[work[n]];
    if (baseline) {
      row.baseline = cells[n].verdict;
    } else {
      row.cells.push_back(std::move(cells[n]));
    }
  }
}

void SkipColumn(bool baseline, GateInputs* inputs) {
  if (baseline) return;
  for (size_t i = 0; i < inputs->rows.size(); ++i) {
    if (inputs->objects[i] == nullptr) continue;
    GateCell cell;
    cell.kernel_unreadable = true;
    inputs->rows[i].cells.push_back(std::move(cell));
  }
}

void ApplyWaivers(std::string_view today, GateResult* result) {
  for (Waiver& waiver : result->waivers) {
    // ISO dates compare as strings.
    waiver.expired = waiver.expires < today;
    waiver.matched = 0;
  }
  for (GateRow& row : result->rows) {
    for (size_t k = 0; k < row.cells.size() && k < result->kernels.size(); ++k) {
      GateCell& cell = row.cells[k];
      cell.waived_by.clear();
      if (cell.verdict == LoadStage::kNone) continue;
      std::set<size_t> used;
      bool all_waived = true;
      for (const Finding& finding : cell.findings) {
        if (finding.severity != Severity::kError) continue;
        size_t w = 0;
        for (; w < result->waivers.size(); ++w) {
          const Waiver& waiver = result->waivers[w];
          if (!waiver.expired && WaiverMatches(waiver, row.names, result->kernels[k], finding)) {
            break;
          }
        }
        if (w == result->waivers.size()) {
          all_waived = false;
          break;
        }
        used.insert(w);
      }
      if (!all_waived || used.empty()) continue;
      for (size_t w : used) {
        ++result->waivers[w].matched;
        cell.waived_by.push_back(WaiverLabel(result->waivers[w]));
      }
    }
  }
}

}  // namespace kcontract
