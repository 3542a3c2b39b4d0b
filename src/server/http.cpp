#include "server/http.h"

#include <nlohmann/json.hpp>

#include "core/utf8.h"
#include "report/json_post.h"

namespace postlint::server {

std::string HttpRequest::Header(std::string_view name) const {
  const std::string wanted = ToLowerAscii(name);
  for (const auto& [key, value] : headers) {
    if (ToLowerAscii(key) == wanted)
      return value;
  }
  return {};
}

HttpResponse ErrorResponse(int status, const std::string& code, const std::string& message,
                           const std::string& field) {
  nlohmann::ordered_json error = {{"code", code}, {"message", message}};
  if (!field.empty())
    error["field"] = field;
  HttpResponse res;
  res.status = status;
  res.body = DumpJson(nlohmann::ordered_json{{"error", error}});
  return res;
}

}  // namespace postlint::server
