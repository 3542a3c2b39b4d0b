// The HTTP/1.1 transport of `postlint serve`: sockets in, HttpRequests to a handler, bytes out,
// under the service's limits (ServerOptions: body size, read timeout, worker threads). The only
// file that knows the HTTP library; the handlers (service.h) never see it.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "server/http.h"
#include "server/server.h"

namespace postlint::server {

class Transport {
 public:
  using Handler = std::function<HttpResponse(const HttpRequest&)>;
  virtual ~Transport() = default;
  // Binds host:port (0: a free port). Returns the port, or -1 with `*error` set ("address
  // already in use", ...). Never shares a port with another process.
  virtual int Bind(const std::string& host, int port, std::string* error) = 0;
  // Serves until Stop(); requests in flight finish first.
  virtual void Run() = 0;
  // Thread-safe; may be called before Run() returns, from any thread.
  virtual void Stop() = 0;
};

std::unique_ptr<Transport> MakeTransport(const ServerOptions& options, Transport::Handler handler);

}  // namespace postlint::server
