// Fixed-rate load against `postlint serve`: sends single-post checks at a steady request rate
// (open loop: a slow answer does not slow the schedule), then prints throughput, latency
// percentiles, errors and the server's RSS over time.
//
//   build/bench/serve_load --port 8080 --rate 1000 --seconds 300 --pid $(pidof postlint)
//   build/bench/serve_load --port 8080 --rate 2 --seconds 30 --connections 1 --body-bytes 900000
//
// --body-bytes N sends one post of N bytes of text (plain words) instead of the four short ones.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

namespace {

namespace beast = boost::beast;
namespace http = beast::http;
using tcp = boost::asio::ip::tcp;

// One keep-alive connection, reopened after an error or when the server closes it.
class Client {
 public:
  explicit Client(int port) : port_(port) {}

  // The status of POST /v1/check with `body`, or 0 when the request failed.
  int Check(const std::string& body) {
    for (;;) {
      beast::error_code ec;
      const bool reused = stream_.has_value();
      if (!reused) {
        stream_.emplace(io_);
        stream_->connect(tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"),
                                       static_cast<unsigned short>(port_)),
                         ec);
        if (ec) {
          stream_.reset();
          return 0;
        }
        stream_->socket().set_option(tcp::no_delay(true), ec);
      }
      http::request<http::string_body> req(http::verb::post, "/v1/check", 11);
      req.set(http::field::host, "127.0.0.1");
      req.set(http::field::content_type, "application/json");
      req.body() = body;
      req.prepare_payload();
      http::write(*stream_, req, ec);
      http::response<http::string_body> res;
      if (!ec)
        http::read(*stream_, buffer_, res, ec);
      if (ec) {
        stream_.reset();
        buffer_.clear();
        if (reused)
          continue;  // a keep-alive connection the server had closed: once more, on a new one
        return 0;
      }
      if (!res.keep_alive())
        stream_.reset();
      return res.result_int();
    }
  }

 private:
  int port_;
  boost::asio::io_context io_;
  std::optional<beast::tcp_stream> stream_;
  beast::flat_buffer buffer_;
};

long RssKb(int pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("VmRSS:", 0) == 0)
      return std::stol(line.substr(6));
  }
  return -1;
}

}  // namespace

int main(int argc, char** argv) {
  int port = 8080, rate = 1000, seconds = 30, pid = 0, connections = 16, body_bytes = 0;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string a = argv[i];
    const int v = std::atoi(argv[i + 1]);
    if (a == "--port")
      port = v;
    if (a == "--rate")
      rate = v;
    if (a == "--seconds")
      seconds = v;
    if (a == "--pid")
      pid = v;
    if (a == "--connections")
      connections = v;
    if (a == "--body-bytes")
      body_bytes = v;
  }
  std::vector<std::string> bodies = {
      R"({"text": "Launch day! Our new blender ships today https://acme.com/blender #AcmeLaunch", "network": "x"})",
      R"({"text": "Sveiki! Jaunais blenderis ir klāt 🎉 #Acme", "networks": ["x", "bluesky"]})",
      R"({"text": "TODO: add the link, send us an e-mail", "network": "linkedin"})",
      R"({"text": "Grazie a tutti! Nuovo frullatore disponibile da oggi.", "network": "mastodon"})"};
  if (body_bytes > 0) {
    std::string text;
    for (size_t i = 0; text.size() < static_cast<size_t>(body_bytes); ++i)
      text += i % 12 == 11 ? "launch. " : "blender ";
    bodies = {R"({"network": "x", "text": ")" + text + R"("})"};
  }
  const auto start = std::chrono::steady_clock::now();
  const auto interval = std::chrono::nanoseconds(1'000'000'000LL * connections / rate);
  std::mutex mu;
  std::vector<double> latencies_ms;
  latencies_ms.reserve(static_cast<size_t>(rate) * seconds);
  std::atomic<long> errors{0};
  std::vector<std::thread> workers;
  for (int c = 0; c < connections; ++c) {
    workers.emplace_back([&, c] {
      Client client(port);
      auto next = start + interval * c / connections;
      size_t k = static_cast<size_t>(c);
      std::vector<double> local;
      while (next < start + std::chrono::seconds(seconds)) {
        std::this_thread::sleep_until(next);
        // Latency from the scheduled send time: queueing behind a slow answer counts.
        const int status = client.Check(bodies[k++ % bodies.size()]);
        const auto done = std::chrono::steady_clock::now();
        if (status != 200)
          ++errors;
        local.push_back(std::chrono::duration<double, std::milli>(done - next).count());
        next += interval;
      }
      std::lock_guard lock(mu);
      latencies_ms.insert(latencies_ms.end(), local.begin(), local.end());
    });
  }
  std::vector<long> rss;
  if (pid > 0) {
    for (int s = 0; s < seconds; s += std::max(1, seconds / 10)) {
      rss.push_back(RssKb(pid));
      std::this_thread::sleep_for(std::chrono::seconds(std::max(1, seconds / 10)));
    }
  }
  for (auto& w : workers)
    w.join();
  const double elapsed =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::sort(latencies_ms.begin(), latencies_ms.end());
  auto pct = [&](double p) {
    return latencies_ms.empty()
               ? 0.0
               : latencies_ms[std::min(latencies_ms.size() - 1,
                                       static_cast<size_t>(p * latencies_ms.size()))];
  };
  std::printf("requests %zu in %.1f s (%.0f req/s target %d), errors %ld\n", latencies_ms.size(),
              elapsed, latencies_ms.size() / elapsed, rate, errors.load());
  std::printf("latency ms: p50 %.3f  p90 %.3f  p99 %.3f  p99.9 %.3f  max %.3f\n", pct(0.5),
              pct(0.9), pct(0.99), pct(0.999), latencies_ms.empty() ? 0 : latencies_ms.back());
  if (!rss.empty()) {
    std::printf("server RSS KB over time:");
    for (long r : rss)
      std::printf(" %ld", r);
    std::printf("\n");
  }
  return errors.load() == 0 ? 0 : 1;
}
