#include "abi/report/json_envelope.h"

namespace kcontract {

nlohmann::ordered_json JsonEnvelope(int format_version) {
  nlohmann::ordered_json document;
  document["format_version"] = format_version;
  document["tool"] = "kcontract";
  document["version"] = KCONTRACT_VERSION;
  return document;
}

std::string DumpJson(const nlohmann::ordered_json& document) {
  return document.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n";
}

}  // namespace kcontract
