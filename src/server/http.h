// The service's requests and responses, independent of the HTTP library that carries them
// (transport.h): handlers take an HttpRequest and return an HttpResponse, so they are tested,
// and the transport replaced, without the other knowing.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace postlint::server {

struct HttpRequest {
  std::string method;  // "GET", "POST", ...
  std::string path;    // decoded, without the query
  std::string remote;  // peer address, for the access log
  // Names as the client sent them; Header() compares case-insensitively.
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;

  // The first value of header `name` (case-insensitive), or "".
  std::string Header(std::string_view name) const;
};

struct HttpResponse {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;  // beyond Content-Type
  // For the access log and metrics, never sent: posts checked and the worst verdict.
  size_t posts = 0;
  std::string verdict;
};

// {"error": {"code": ..., "message": ..., "field": ...}}, as docs/api/openapi.yaml describes.
HttpResponse ErrorResponse(int status, const std::string& code, const std::string& message,
                           const std::string& field = "");

}  // namespace postlint::server
