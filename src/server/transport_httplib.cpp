// The transport on cpp-httplib (transport.h).
#include <cerrno>
#include <chrono>
#include <cstring>
#include <httplib.h>
#include <mutex>
#include <thread>

#include "server/transport.h"

namespace postlint::server {

namespace {

HttpRequest FromHttplib(const httplib::Request& req) {
  HttpRequest out;
  out.method = req.method;
  out.path = req.path;
  out.remote = req.remote_addr;
  out.body = req.body;
  for (const auto& [name, value] : req.headers)
    out.headers.emplace_back(name, value);
  return out;
}

void ToHttplib(const HttpResponse& from, httplib::Response& res) {
  res.status = from.status;
  for (const auto& [name, value] : from.headers)
    res.set_header(name, value);
  res.set_content(from.body, from.content_type.c_str());
}

class HttplibTransport final : public Transport {
 public:
  HttplibTransport(const ServerOptions& options, Handler handler) : handler_(std::move(handler)) {
    const unsigned threads = options.threads ? options.threads : 64;
    http_.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
    http_.set_payload_max_length(options.max_body_bytes);
    // Responses go out as headers then body; without TCP_NODELAY, Nagle's algorithm holds the
    // body until the client's delayed ACK (~40 ms per request on keep-alive connections).
    http_.set_tcp_nodelay(true);
    // SO_REUSEADDR only: httplib's default also sets SO_REUSEPORT, with which a second `serve`
    // (a forgotten instance with an old policy) binds the same port and answers part of the
    // traffic.
    http_.set_socket_options([](socket_t sock) {
      int yes = 1;
      setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, reinterpret_cast<const void*>(&yes), sizeof yes);
    });
    http_.set_read_timeout(options.read_timeout_seconds, 0);
    http_.set_write_timeout(options.read_timeout_seconds, 0);
    // Every request, whatever its method and path, goes to the service, which routes it
    // itself (with its body read: httplib reads it before calling a route's handler).
    const auto serve = [this](const httplib::Request& req, httplib::Response& res) {
      ToHttplib(handler_(FromHttplib(req)), res);
    };
    http_.Get(".*", serve);
    http_.Post(".*", serve);
    http_.Put(".*", serve);
    http_.Patch(".*", serve);
    http_.Delete(".*", serve);
    http_.Options(".*", serve);
    // What httplib answers itself (a body too large, a request too slow or too long).
    http_.set_error_handler([](const httplib::Request&, httplib::Response& res) {
      if (!res.body.empty())
        return;
      switch (res.status) {
        case 408:
          ToHttplib(ErrorResponse(408, "request_timeout", "the request took too long to arrive"),
                    res);
          break;
        case 413:
          ToHttplib(
              ErrorResponse(413, "body_too_large", "request body is larger than the server allows"),
              res);
          break;
        case 414:
          ToHttplib(ErrorResponse(414, "uri_too_long", "request URI is too long"), res);
          break;
        default:
          ToHttplib(ErrorResponse(res.status, res.status >= 500 ? "internal_error" : "bad_request",
                                  "the request could not be served"),
                    res);
      }
    });
  }

  int Bind(const std::string& host, int port, std::string* error) override {
    const int bound =
        port == 0 ? http_.bind_to_any_port(host) : (http_.bind_to_port(host, port) ? port : -1);
    if (bound <= 0) {
      const int err = errno;
      *error = "cannot listen on " + host + ":" + std::to_string(port) + ": " +
               (err == EADDRINUSE || err == 0 ? std::string("address already in use")
                                              : std::strerror(err));
      return -1;
    }
    return bound;
  }

  void Run() override {
    {
      std::lock_guard lock(mu_);
      if (stop_requested_)
        return;
      entered_ = true;
    }
    http_.listen_after_bind();
    std::lock_guard lock(mu_);
    returned_ = true;
  }

  // httplib's stop() does nothing until its accept loop runs, so a stop that comes right after
  // Bind() (a SIGTERM just after "listening") would be lost: wait for the loop to run.
  void Stop() override {
    {
      std::lock_guard lock(mu_);
      stop_requested_ = true;
      if (!entered_)
        return;  // Run() has not started, and now will not
    }
    // Once: httplib asserts that a running server still has its socket.
    bool stopped = false;
    for (;;) {
      {
        std::lock_guard lock(mu_);
        if (returned_)
          return;
      }
      if (!stopped && http_.is_running()) {
        http_.stop();
        stopped = true;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
  }

 private:
  std::mutex mu_;
  bool stop_requested_ = false;
  bool entered_ = false;
  bool returned_ = false;
  Handler handler_;
  httplib::Server http_;
};

}  // namespace

std::unique_ptr<Transport> MakeTransport(const ServerOptions& options, Transport::Handler handler) {
  return std::make_unique<HttplibTransport>(options, std::move(handler));
}

}  // namespace postlint::server
