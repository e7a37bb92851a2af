// The gate's CI files against their schemas (tests/schemas/): JUnit XML
// against junit.xsd with xmllint, SARIF against the SARIF 2.1.0 subset
// with Debian's python3-jsonschema. The schemas were written for these
// tests; see their headers.
#ifndef KCONTRACT_TESTS_GATE_SCHEMAS_H_
#define KCONTRACT_TESTS_GATE_SCHEMAS_H_

#include <filesystem>
#include <string>

#include "tests/test_support.h"

namespace kcontract::testing {

inline std::string SchemaPath(const std::string& name) {
  return (std::filesystem::path(KCONTRACT_SCHEMA_DIR) / name).string();
}

// Empty when both validators are installed, else what is missing.
inline std::string MissingSchemaValidators() {
  std::string missing;
  if (!HaveTool("xmllint")) missing += "xmllint (libxml2-utils) ";
  if (RunCommand("/usr/bin/python3 -c 'import jsonschema'").exit_code != 0) {
    missing += "python3-jsonschema";
  }
  return missing;
}

// Exit 0 when valid; the validator's complaints in err/out otherwise.
inline CommandResult ValidateJunit(const std::filesystem::path& file) {
  return RunCommand("xmllint --noout --schema " + ShellQuote(SchemaPath("junit.xsd")) + " " +
                    ShellQuote(file.string()));
}

inline CommandResult ValidateSarif(const std::filesystem::path& file) {
  return RunCommand("/usr/bin/python3 " + ShellQuote(SchemaPath("validate_json.py")) + " " +
                    ShellQuote(SchemaPath("sarif-2.1.0-subset.schema.json")) + " " +
                    ShellQuote(file.string()));
}

}  // namespace kcontract::testing

#endif  // KCONTRACT_TESTS_GATE_SCHEMAS_H_
