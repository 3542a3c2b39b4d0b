// A small HTTP/1.1 server on 127.0.0.1 for the links tests and benchmark: plain sockets, one
// thread per connection, keep-alive, and a handler that decides each response (status,
// headers, body, a delay, or an endless body). It counts requests so tests can assert what was
// (not) fetched. Never touches anything but the loopback interface.
//
//   TestServer server([](const TestServer::Request& r) {
//     return r.path == "/ok" ? TestServer::Response{200} : TestServer::Response{404};
//   });
//   std::string url = server.Url("/ok");        // http://127.0.0.1:<port>/ok
//   EXPECT_EQ(server.requests(), 1);
#pragma once

#include <arpa/inet.h>
#include <atomic>
#include <chrono>
#include <cstring>
#include <functional>
#include <map>
#include <mutex>
#include <netinet/in.h>
#include <poll.h>
#include <string>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>
#include <utility>
#include <vector>

namespace postlint::testing {

class TestServer {
 public:
  struct Request {
    std::string method;
    std::string path;                            // with query
    std::map<std::string, std::string> headers;  // lower-case names
  };
  struct Response {
    Response(int s = 200, std::vector<std::pair<std::string, std::string>> h = {},
             std::string b = "ok", int delay = 0, bool stream = false)
        : status(s), headers(std::move(h)), body(std::move(b)), delay_ms(delay), endless(stream) {}
    int status;
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;
    int delay_ms;  // before the status line
    bool endless;  // stream a body until the client goes away
  };
  using Handler = std::function<Response(const Request&)>;

  explicit TestServer(Handler handler) : handler_(std::move(handler)) {
    listen_fd_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    int one = 1;
    setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    listen(listen_fd_, 512);
    socklen_t len = sizeof addr;
    getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    acceptor_ = std::thread([this] { Accept(); });
  }

  ~TestServer() {
    stop_ = true;
    acceptor_.join();
    close(listen_fd_);
    std::lock_guard lock(mu_);
    for (auto& t : connections_)
      t.join();
  }

  TestServer(const TestServer&) = delete;
  TestServer& operator=(const TestServer&) = delete;

  int port() const { return port_; }
  std::string Url(const std::string& path, const std::string& host = "127.0.0.1") const {
    return "http://" + host + ":" + std::to_string(port_) + path;
  }
  int requests() const { return requests_.load(); }
  std::vector<std::string> paths() const {
    std::lock_guard lock(mu_);
    return paths_;
  }

 private:
  void Accept() {
    while (!stop_) {
      pollfd p{listen_fd_, POLLIN, 0};
      if (poll(&p, 1, 20) <= 0)
        continue;
      const int fd = accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
      if (fd < 0)
        continue;
      std::lock_guard lock(mu_);
      connections_.emplace_back([this, fd] { Serve(fd); });
    }
  }

  // Waits for `fd` to be readable, checking `stop_` every 20 ms.
  bool WaitReadable(int fd) {
    while (!stop_) {
      pollfd p{fd, POLLIN, 0};
      const int n = poll(&p, 1, 20);
      if (n > 0)
        return true;
      if (n < 0)
        return false;
    }
    return false;
  }

  static bool SendAll(int fd, const std::string& data) {
    size_t sent = 0;
    while (sent < data.size()) {
      const ssize_t n = send(fd, data.data() + sent, data.size() - sent, MSG_NOSIGNAL);
      if (n <= 0)
        return false;
      sent += static_cast<size_t>(n);
    }
    return true;
  }

  void Serve(int fd) {
    std::string buffer;
    char chunk[4096];
    while (!stop_) {
      size_t end;
      while ((end = buffer.find("\r\n\r\n")) == std::string::npos) {
        if (!WaitReadable(fd)) {
          close(fd);
          return;
        }
        const ssize_t n = recv(fd, chunk, sizeof chunk, 0);
        if (n <= 0) {
          close(fd);
          return;
        }
        buffer.append(chunk, static_cast<size_t>(n));
      }
      Request req;
      const std::string head = buffer.substr(0, end);
      buffer.erase(0, end + 4);
      const size_t sp1 = head.find(' ');
      const size_t sp2 = head.find(' ', sp1 + 1);
      req.method = head.substr(0, sp1);
      req.path = head.substr(sp1 + 1, sp2 - sp1 - 1);
      size_t line = head.find("\r\n");
      while (line != std::string::npos) {
        const size_t next = head.find("\r\n", line + 2);
        const std::string h =
            head.substr(line + 2, next == std::string::npos ? std::string::npos : next - line - 2);
        const size_t colon = h.find(':');
        if (colon != std::string::npos) {
          std::string name = h.substr(0, colon);
          for (char& c : name)
            c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
          req.headers[name] = h.substr(h.find_first_not_of(' ', colon + 1));
        }
        line = next;
      }
      requests_++;
      {
        std::lock_guard lock(mu_);
        paths_.push_back(req.path);
      }
      const Response res = handler_(req);
      for (int waited = 0; waited < res.delay_ms && !stop_; waited += 10)
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
      std::string out = "HTTP/1.1 " + std::to_string(res.status) + " X\r\n";
      for (const auto& [k, v] : res.headers)
        out += k + ": " + v + "\r\n";
      if (res.endless) {
        out += "Content-Type: text/html\r\nConnection: close\r\n\r\n";
        const std::string filler(16384, 'x');
        bool ok = SendAll(fd, out);
        while (ok && !stop_)
          ok = SendAll(fd, filler);
        close(fd);
        return;
      }
      out += "Content-Length: " + std::to_string(res.body.size()) + "\r\n\r\n";
      if (req.method != "HEAD")
        out += res.body;
      if (!SendAll(fd, out))
        break;
    }
    close(fd);
  }

  Handler handler_;
  int listen_fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stop_{false};
  std::atomic<int> requests_{0};
  std::thread acceptor_;
  mutable std::mutex mu_;
  std::vector<std::thread> connections_;
  std::vector<std::string> paths_;
};

}  // namespace postlint::testing
