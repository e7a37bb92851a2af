#include "abi/report/output_writer.h"

#include <cerrno>
#include <cstring>

#include "absl/strings/str_format.h"

namespace kcontract {

absl::Status WriteOutput(std::string_view text, std::FILE* stream, std::string_view what) {
  errno = 0;
  const bool written = std::fwrite(text.data(), 1, text.size(), stream) == text.size();
  // A buffered stream fails at the flush; a full buffer may fail at the write.
  if (written && std::fflush(stream) == 0) return absl::OkStatus();
  const int error = errno;
  if (error == 0) return absl::UnavailableError(absl::StrFormat("cannot write to %s", what));
  return absl::UnavailableError(
      absl::StrFormat("cannot write to %s: %s", what, std::strerror(error)));
}

}  // namespace kcontract
