// What kcontract's findings and verdict say, in the oracle's words, and
// what the oracle saw, in the verdict's: the comparisons the agreement tests
// (check_agreement_test, load_profile_oracle_test) make, written once.
#ifndef KCONTRACT_TESTS_ORACLE_ORACLE_VERDICT_H_
#define KCONTRACT_TESTS_ORACLE_ORACLE_VERDICT_H_

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "abi/finding/finding.h"
#include "btfdiff/model/kernel_btf.h"
#include "tests/oracle/oracle_table.h"

namespace kcontract::oracle {

// The oracle's class for what the findings say libbpf does: the first
// stage at which libbpf refuses the object, else whether it poisons.
std::string OracleClassFor(const std::vector<Finding>& findings);

// A check's verdict in the words of the corpus' Expect-verdict lines.
std::string VerdictWord(LoadStage verdict);

// What really happened to the whole load, in those words; "" when the
// oracle could not judge it.
std::string RealVerdict(const OracleResult& r);

// The kernel as the oracle ran it (a foreign kernel's config beside it);
// nullptr, with a test failure, when it cannot be read.
std::unique_ptr<KernelBtf> LoadOracleKernel(const OracleKernel& k);

}  // namespace kcontract::oracle

#endif  // KCONTRACT_TESTS_ORACLE_ORACLE_VERDICT_H_
