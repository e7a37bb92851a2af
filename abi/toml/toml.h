// toml++, configured once for the whole library: header-only and without
// exceptions (parse errors come back as values; no extra library is linked).
// Every file that uses toml++ includes it through here, so that all of them
// see the same inline definitions.
#ifndef KCONTRACT_ABI_TOML_TOML_H_
#define KCONTRACT_ABI_TOML_TOML_H_

#define TOML_HEADER_ONLY 1
#define TOML_EXCEPTIONS 0
#define TOML_ENABLE_FORMATTERS 0
#include <toml++/impl/preprocessor.h>
// toml++ 3.3.0 states some facts about the text under its cursor as
// TOML_ASSERT_ASSUME: an abort without NDEBUG, and with it (built by clang)
// a promise to the optimiser. Hostile text breaks some of them ('[}' puts a
// '}' where parse_value assumes a value starts); the parser's own checks
// after each one report such text as an error, so the promise is dropped
// and the check left to them. Its plain TOML_ASSERTs guard its own
// invariants and stay.
#undef TOML_ASSERT_ASSUME
#define TOML_ASSERT_ASSUME(expr) static_assert(true)
#include <toml++/toml.h>

#endif  // KCONTRACT_ABI_TOML_TOML_H_
