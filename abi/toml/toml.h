// toml++, configured once for the whole library: header-only and without
// exceptions (parse errors come back as values; no extra library is linked).
// Every file that uses toml++ includes it through here, so that all of them
// see the same inline definitions.
#ifndef KCONTRACT_ABI_TOML_TOML_H_
#define KCONTRACT_ABI_TOML_TOML_H_

#define TOML_HEADER_ONLY 1
#define TOML_EXCEPTIONS 0
#define TOML_ENABLE_FORMATTERS 0
#include <toml++/toml.h>

#endif  // KCONTRACT_ABI_TOML_TOML_H_
