// The formats every report is written in.
#ifndef KCONTRACT_ABI_REPORT_OUTPUT_FORMAT_H_
#define KCONTRACT_ABI_REPORT_OUTPUT_FORMAT_H_

namespace kcontract {

enum class OutputFormat { kText, kJson };

}  // namespace kcontract

#endif  // KCONTRACT_ABI_REPORT_OUTPUT_FORMAT_H_
