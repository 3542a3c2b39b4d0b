// The HTTP/1.1 transport of `postlint serve`: sockets in, HttpRequests to a handler, bytes out,
// under the service's limits (ServerOptions). The only file that knows the HTTP library
// (transport_beast.cpp, Boost.Beast); the handlers (service.h) never see it.
//
// What the transport guarantees, whatever the client sends (docs/serve.md, "limits"):
//   - A whole-request deadline: from a request's first byte, its header and body must arrive
//     within read_timeout_seconds, however slowly they trickle in; else the connection is
//     closed and the request reported as a 408. An idle keep-alive connection is closed after
//     the same time. Reading never holds a worker thread: slow clients cost a socket only.
//   - Headers: at most max_header_bytes (request line included) and max_headers fields, else
//     431. Body: at most max_body_bytes, chunked bodies included, else 413.
//   - Framing: two different Content-Lengths, Content-Length with Transfer-Encoding, and any
//     Transfer-Encoding other than `chunked` are a 400; after any error answer the connection
//     is closed, so nothing the client sent after it is read as a request.
//   - Pipelined requests are answered in order.
//   - At most max_connections connections; more are closed as soon as they are accepted.
//   - Stop(): idle and half-received connections are closed at once, requests being answered
//     get shutdown_grace_seconds; Run() returns by then.
//   - Memory: a request with a large body gives its buffers back, to the OS, once answered.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "server/http.h"
#include "server/server.h"

namespace postlint::server {

class Transport {
 public:
  // Answers a request that arrived whole and well-formed. Called on a worker thread, several
  // at a time; exceptions it lets out become a 500.
  using Handler = std::function<HttpResponse(const HttpRequest&)>;
  // Tells of a request the transport answered itself, before any handler saw it (400, 408,
  // 413, 431): what was read of it (method and path may be empty), the answer (for a 408 none
  // is sent: the connection is closed) and the seconds since its first byte arrived. For the
  // metrics and the access log; called on a worker thread.
  using Rejected =
      std::function<void(const HttpRequest& partial, const HttpResponse& answer, double seconds)>;

  virtual ~Transport() = default;
  // Binds host:port (0: a free port). Returns the port, or -1 with `*error` set ("address
  // already in use", ...). Never shares a port with another process.
  virtual int Bind(const std::string& host, int port, std::string* error) = 0;
  // Serves until Stop() and returns once every connection is closed, or when the shutdown
  // grace runs out. False in that last case: a handler was still running, on a thread that
  // still uses this object, so the caller must end the process without destroying it.
  virtual bool Run() = 0;
  // Thread-safe; may be called before Run() (which then returns at once), from any thread.
  virtual void Stop() = 0;
};

std::unique_ptr<Transport> MakeTransport(const ServerOptions& options, Transport::Handler handler,
                                         Transport::Rejected rejected);

}  // namespace postlint::server
