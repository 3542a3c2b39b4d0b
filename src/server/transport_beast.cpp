// The transport on Boost.Beast (transport.h): asynchronous HTTP/1.1 on a pool of threads.
//
// One Session per connection, its steps serialized on a strand. Reading never holds a thread:
// a slow client costs a socket and a timer, not a worker. Answering does (checks are CPU-bound
// and short; live link checks wait at most --link-budget-ms). A request goes
//
//   idle (keep-alive, closed after read_timeout) -> first bytes: the deadline starts
//   -> header (limits) -> body (limit) -> handler -> response -> idle, or linger and close
//
// Anything wrong while reading is answered here (400, 413, 431), reported through Rejected,
// and the connection closes; a missed deadline closes it at once (reported as a 408).
#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <malloc.h>
#include <mutex>
#include <optional>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <vector>

#include <boost/asio/dispatch.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include "core/utf8.h"
#include "server/transport.h"

namespace postlint::server {

namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;
using Clock = std::chrono::steady_clock;
using ErrorCode = beast::error_code;

// After answering a request with a body this large, the connection drops its buffers and
// glibc gives free memory back to the OS: a burst of large posts must not leave every worker
// thread's arena at its peak.
constexpr size_t kLargeBody = 64 * 1024;
// Bytes asked for at once when waiting for a request, and when discarding.
constexpr size_t kReadChunk = 16 * 1024;
// After its last answer a connection half-closes and reads (and drops) what the client still
// sends, for at most this long and this much, before it closes: closing a socket with unread
// data sends a reset, and the client's TCP would then drop the answer it had not read yet.
constexpr auto kLinger = std::chrono::seconds(1);
constexpr size_t kLingerBytes = 4 << 20;
// How long the listener waits before accepting again after a failure (out of descriptors).
constexpr auto kAcceptRetry = std::chrono::milliseconds(100);

// glibc serves blocks above M_MMAP_THRESHOLD with mmap and unmaps them when freed, but each
// such block freed raises the threshold to its size (up to 32 MiB): after the first large
// request, request-sized buffers come from the worker threads' arenas, and each arena keeps
// its peak (the cpp-httplib build reached 2 GB over 1,000 posts of 900 KB). Fixed thresholds
// end that adaptation: blocks of 4 MiB and more go back to the OS when freed, free memory at
// the top of a heap is trimmed past 1 MiB, and malloc_trim() after each large request returns
// the rest. (A lower mmap threshold costs more page faults: 256 KiB made a 900 KB check 10%
// slower, for no lower peak.)
void ReturnLargeBlocksToTheOs() {
  mallopt(M_MMAP_THRESHOLD, 4 << 20);
  mallopt(M_TRIM_THRESHOLD, 1 << 20);
}

std::string_view View(beast::string_view s) {
  return {s.data(), s.size()};
}

int HexValue(char c) {
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

// The path of a request target, percent-decoded, without the query. Whatever it decodes to
// (newlines included) is only ever compared with the service's routes.
std::string DecodePath(std::string_view target) {
  target = target.substr(0, target.find('?'));
  std::string out;
  out.reserve(target.size());
  for (size_t i = 0; i < target.size(); ++i) {
    if (target[i] == '%' && i + 2 < target.size() && HexValue(target[i + 1]) >= 0 &&
        HexValue(target[i + 2]) >= 0) {
      out.push_back(static_cast<char>(HexValue(target[i + 1]) * 16 + HexValue(target[i + 2])));
      i += 2;
    } else {
      out.push_back(target[i]);
    }
  }
  return out;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
    s.remove_suffix(1);
  return s;
}

using Request = http::request<http::string_body>;

// Why a request's framing is refused, or "". Beast itself refuses two different
// Content-Lengths, and Content-Length with a chunked body; a Transfer-Encoding that does not
// end in `chunked` it would read as "no body", leaving the body to be parsed as the next
// request (request smuggling behind a proxy that reads it otherwise).
std::string FramingProblem(const Request& request) {
  const size_t codings = request.count(http::field::transfer_encoding);
  if (codings == 0)
    return "";
  if (request.count(http::field::content_length) > 0)
    return "Content-Length together with Transfer-Encoding";
  if (codings > 1 || ToLowerAscii(Trim(View(request[http::field::transfer_encoding]))) != "chunked")
    return "Transfer-Encoding other than chunked";
  return "";
}

class Session;

// What the listener, the sessions and Stop() share.
struct Shared {
  Shared(const ServerOptions& o, Transport::Handler h, Transport::Rejected r)
      : options(o), handler(std::move(h)), rejected(std::move(r)) {}

  // A session's destructor: one connection fewer.
  void Ended(const Session* session) {
    std::lock_guard lock(mu);
    sessions.erase(session);
    --connections;
    changed.notify_all();
  }

  const ServerOptions options;
  const Transport::Handler handler;
  const Transport::Rejected rejected;
  std::atomic<bool> stopping{false};  // Stop() was called (read on the strands)
  std::mutex mu;
  std::condition_variable changed;  // Stop(), a session ended, a worker thread returned
  bool stop_requested = false;      // under mu, as the rest
  size_t connections = 0;
  size_t running_threads = 0;
  std::unordered_map<const Session*, std::weak_ptr<Session>> sessions;
};

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket socket, Shared& shared) : stream_(std::move(socket)), shared_(shared) {
    ErrorCode ec;
    const auto peer = stream_.socket().remote_endpoint(ec);
    if (!ec)
      remote_ = peer.address().to_string();
    // A 100 Continue, or an answer after a pipelined one, must not wait for the client's
    // delayed ACK (Nagle's algorithm: ~40 ms each).
    stream_.socket().set_option(tcp::no_delay(true), ec);
  }
  ~Session() { shared_.Ended(this); }
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  void Start() {
    net::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->AwaitRequest(); });
  }

  // For Stop(), from any thread: closes the connection now, unless a request is being
  // answered (that one finishes, then the connection closes).
  void Close() {
    net::post(stream_.get_executor(), [self = shared_from_this()] {
      if (self->state_ != State::kAnswering)
        self->CloseNow();
    });
  }

 private:
  enum class State { kIdle, kReading, kAnswering, kLingering, kClosed };

  std::chrono::seconds ReadTimeout() const {
    return std::chrono::seconds(std::max(1, shared_.options.read_timeout_seconds));
  }

  void AwaitRequest() {
    if (shared_.stopping)
      return CloseNow();
    state_ = State::kIdle;
    if (buffer_.size() > 0)
      return BeginRequest();  // pipelined: already here
    stream_.expires_after(ReadTimeout());
    stream_.async_read_some(buffer_.prepare(kReadChunk),
                            [self = shared_from_this()](ErrorCode ec, size_t n) {
                              if (self->state_ == State::kClosed)
                                return;
                              if (ec)
                                return self->CloseNow();  // idle too long, or the client left
                              self->buffer_.commit(n);
                              self->BeginRequest();
                            });
  }

  // The request's first bytes are here: its whole-request deadline starts.
  void BeginRequest() {
    state_ = State::kReading;
    started_ = Clock::now();
    stream_.expires_after(ReadTimeout());
    parser_.emplace();
    parser_->header_limit(
        static_cast<uint32_t>(std::min<size_t>(shared_.options.max_header_bytes, UINT32_MAX)));
    parser_->body_limit(shared_.options.max_body_bytes);
    http::async_read_header(stream_, buffer_, *parser_,
                            [self = shared_from_this()](ErrorCode ec, size_t) {
                              if (self->state_ == State::kClosed)
                                return;
                              if (ec)
                                return self->ReadFailed(ec);
                              self->OnHeader();
                            });
  }

  void OnHeader() {
    const Request& request = parser_->get();
    const auto fields = static_cast<size_t>(std::distance(request.begin(), request.end()));
    if (fields > shared_.options.max_headers) {
      return Reject(431, "headers_too_large",
                    "more than " + std::to_string(shared_.options.max_headers) + " header fields");
    }
    if (const std::string problem = FramingProblem(request); !problem.empty())
      return Reject(400, "bad_request", problem);
    if (parser_->is_done())
      return Answer();
    if (ToLowerAscii(Trim(View(request[http::field::expect]))) == "100-continue") {
      interim_.emplace(http::status::continue_, request.version());
      return http::async_write(stream_, *interim_,
                               [self = shared_from_this()](ErrorCode ec, size_t) {
                                 self->interim_.reset();
                                 if (self->state_ == State::kClosed)
                                   return;
                                 if (ec)
                                   return self->CloseNow();
                                 self->ReadBody();
                               });
    }
    ReadBody();
  }

  void ReadBody() {
    http::async_read(stream_, buffer_, *parser_, [self = shared_from_this()](ErrorCode ec, size_t) {
      if (self->state_ == State::kClosed)
        return;
      if (ec)
        return self->ReadFailed(ec);
      self->Answer();
    });
  }

  void ReadFailed(const ErrorCode& ec) {
    if (ec == beast::error::timeout) {
      // The socket is already closed: the request is only reported.
      Report(ErrorResponse(408, "request_timeout",
                           "the request did not arrive within the read timeout"));
      return CloseNow();
    }
    if (ec == http::error::header_limit) {
      return Reject(431, "headers_too_large",
                    "the request header is larger than " +
                        std::to_string(shared_.options.max_header_bytes) + " bytes");
    }
    if (ec == http::error::body_limit) {
      return Reject(413, "body_too_large", "request body is larger than the server allows");
    }
    // The client left (end of stream, reset) or Stop() closed the socket: no one to answer.
    if (ec.category() != http::make_error_code(http::error::bad_method).category() ||
        ec == http::error::end_of_stream || ec == http::error::partial_message) {
      return CloseNow();
    }
    Reject(400, "bad_request", "malformed request: " + ec.message());
  }

  // What was read of a request the transport answers itself.
  HttpRequest Partial() const {
    HttpRequest partial;
    partial.remote = remote_;
    if (parser_) {
      const Request& request = parser_->get();
      partial.method = std::string(request.method_string());
      partial.path = DecodePath(View(request.target()));
    }
    return partial;
  }

  void Report(const HttpResponse& answer) {
    const double seconds = std::chrono::duration<double>(Clock::now() - started_).count();
    shared_.rejected(Partial(), answer, seconds);
  }

  // Answers a request refused before routing, then closes: what follows it on the
  // connection cannot be trusted to start where a request starts.
  void Reject(int status, const std::string& code, const std::string& message) {
    HttpResponse answer = ErrorResponse(status, code, message);
    Report(answer);
    const unsigned version = parser_ ? parser_->get().version() : 11;
    parser_.reset();
    Write(std::move(answer), version, /*keep_alive=*/false, /*head=*/false);
  }

  void Answer() {
    state_ = State::kAnswering;
    unsigned version = 11;
    bool keep_alive = false, head = false;
    HttpResponse response;
    {
      Request message = parser_->release();
      parser_.reset();
      HttpRequest request;
      request.method = std::string(message.method_string());
      request.path = DecodePath(View(message.target()));
      request.remote = remote_;
      for (const auto& field : message)
        request.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
      request.body = std::move(message.body());
      large_ = request.body.size() >= kLargeBody;
      version = message.version();
      keep_alive = message.keep_alive();
      head = message.method() == http::verb::head;
      try {
        response = shared_.handler(request);
      } catch (const std::exception&) {
        response = ErrorResponse(500, "internal_error", "internal error; see the server log");
      }
    }  // the request, its body included, is freed before the answer goes out
    Write(std::move(response), version, keep_alive, head);
  }

  void Write(HttpResponse answer, unsigned version, bool keep_alive, bool head) {
    state_ = State::kAnswering;
    keep_alive = keep_alive && !shared_.stopping;
    response_.emplace(static_cast<http::status>(answer.status), version);
    response_->set(http::field::content_type, answer.content_type);
    for (const auto& [name, value] : answer.headers)
      response_->set(name, value);
    response_->keep_alive(keep_alive);
    if (head) {
      response_->content_length(answer.body.size());
    } else {
      response_->body() = std::move(answer.body);
      response_->prepare_payload();
    }
    // A client that does not read its answer gets the same time as one that does not send.
    stream_.expires_after(ReadTimeout());
    http::async_write(stream_, *response_,
                      [self = shared_from_this(), keep_alive](ErrorCode ec, size_t) {
                        self->response_.reset();
                        if (self->state_ == State::kClosed)
                          return;
                        if (ec)
                          return self->CloseNow();
                        if (self->large_)
                          self->ReleaseMemory();
                        if (!keep_alive || self->shared_.stopping)
                          return self->Linger();
                        self->AwaitRequest();
                      });
  }

  void ReleaseMemory() {
    large_ = false;
    if (buffer_.size() == 0)
      buffer_ = beast::flat_buffer();
    else
      buffer_.shrink_to_fit();  // keeps a pipelined request's bytes
    malloc_trim(0);
  }

  void Linger() {
    if (shared_.stopping)
      return CloseNow();
    state_ = State::kLingering;
    ErrorCode ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
    buffer_ = beast::flat_buffer();
    stream_.expires_after(kLinger);
    Discard();
  }

  void Discard() {
    stream_.async_read_some(buffer_.prepare(kReadChunk),
                            [self = shared_from_this()](ErrorCode ec, size_t n) {
                              if (self->state_ == State::kClosed)
                                return;
                              self->discarded_ += n;
                              if (ec || self->discarded_ > kLingerBytes)
                                return self->CloseNow();
                              self->Discard();
                            });
  }

  void CloseNow() {
    if (state_ == State::kClosed)
      return;
    state_ = State::kClosed;
    ErrorCode ec;
    stream_.socket().shutdown(tcp::socket::shutdown_both, ec);
    stream_.close();  // cancels what is pending; its handlers see kClosed
  }

  beast::tcp_stream stream_;
  Shared& shared_;
  std::string remote_;
  State state_ = State::kIdle;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  std::optional<http::response<http::empty_body>> interim_;  // 100 Continue
  std::optional<http::response<http::string_body>> response_;
  Clock::time_point started_ = Clock::now();  // the current request's first byte
  bool large_ = false;                        // the current request's body was >= kLargeBody
  size_t discarded_ = 0;
};

class BeastTransport final : public Transport {
 public:
  BeastTransport(const ServerOptions& options, Handler handler, Rejected rejected)
      : shared_(options, std::move(handler), std::move(rejected)),
        threads_(options.threads ? options.threads
                                 : std::max(8u, 2 * std::thread::hardware_concurrency())),
        io_(static_cast<int>(threads_)),
        acceptor_(net::make_strand(io_)),
        retry_(acceptor_.get_executor()) {}

  int Bind(const std::string& host, int port, std::string* error) override {
    ErrorCode ec;
    tcp::resolver resolver(io_);
    const auto found = resolver.resolve(
        host, std::to_string(port), tcp::resolver::passive | tcp::resolver::numeric_service, ec);
    if (!ec && !found.empty()) {
      const tcp::endpoint endpoint = found.begin()->endpoint();
      acceptor_.open(endpoint.protocol(), ec);
      // SO_REUSEADDR only (restarts while old connections are in TIME_WAIT); never
      // SO_REUSEPORT, with which a forgotten second instance would share the traffic.
      if (!ec)
        acceptor_.set_option(tcp::acceptor::reuse_address(true), ec);
      if (!ec)
        acceptor_.bind(endpoint, ec);
      if (!ec)
        acceptor_.listen(net::socket_base::max_listen_connections, ec);
    }
    if (ec || found.empty()) {
      std::string why = "no such address";
      if (ec == net::error::address_in_use)
        why = "address already in use";
      else if (ec)
        why = ec.message();
      *error = "cannot listen on " + host + ":" + std::to_string(port) + ": " + why;
      ErrorCode ignored;
      acceptor_.close(ignored);
      return -1;
    }
    return acceptor_.local_endpoint().port();
  }

  bool Run() override {
    {
      std::lock_guard lock(shared_.mu);
      if (shared_.stop_requested)
        return true;
      shared_.running_threads = threads_;
    }
    net::dispatch(acceptor_.get_executor(), [this] { Accept(); });
    auto work = net::make_work_guard(io_);
    std::vector<std::thread> pool;
    for (unsigned i = 0; i < threads_; ++i) {
      pool.emplace_back([this] {
        io_.run();
        std::lock_guard lock(shared_.mu);
        --shared_.running_threads;
        shared_.changed.notify_all();
      });
    }
    std::unique_lock lock(shared_.mu);
    shared_.changed.wait(lock, [this] { return shared_.stop_requested; });
    // Stop() closed the listener and every connection not being answered; the others get
    // the grace to finish their request.
    const auto deadline =
        Clock::now() + std::chrono::seconds(std::max(0, shared_.options.shutdown_grace_seconds));
    shared_.changed.wait_until(lock, deadline, [this] { return shared_.connections == 0; });
    lock.unlock();
    work.reset();
    io_.stop();
    lock.lock();
    const bool finished =
        shared_.changed.wait_until(lock, deadline, [this] { return shared_.running_threads == 0; });
    lock.unlock();
    for (auto& thread : pool) {
      if (finished)
        thread.join();
      else
        thread.detach();  // still in a handler: Run()'s caller ends the process
    }
    return finished;
  }

  void Stop() override {
    std::vector<std::shared_ptr<Session>> open;
    {
      std::lock_guard lock(shared_.mu);
      if (shared_.stop_requested)
        return;
      shared_.stop_requested = true;
      shared_.stopping = true;
      for (const auto& [key, session] : shared_.sessions) {
        if (auto s = session.lock())
          open.push_back(std::move(s));
      }
      shared_.changed.notify_all();
    }
    net::post(acceptor_.get_executor(), [this] {
      ErrorCode ignored;
      acceptor_.close(ignored);
      retry_.cancel();
    });
    for (const auto& session : open)
      session->Close();
  }

 private:
  void Accept() {
    acceptor_.async_accept(net::make_strand(io_), [this](ErrorCode ec, tcp::socket socket) {
      if (!acceptor_.is_open())
        return;  // Stop()
      if (ec) {
        // Out of file descriptors, or the like: try again shortly rather than spin.
        retry_.expires_after(kAcceptRetry);
        retry_.async_wait([this](ErrorCode waited) {
          if (!waited && acceptor_.is_open())
            Accept();
        });
        return;
      }
      Admit(std::move(socket));
      Accept();
    });
  }

  void Admit(tcp::socket socket) {
    std::shared_ptr<Session> session;
    {
      std::lock_guard lock(shared_.mu);
      if (shared_.stop_requested || shared_.connections >= shared_.options.max_connections) {
        ErrorCode ignored;
        socket.close(ignored);  // over the limit: closed at once, costs nothing more
        return;
      }
      session = std::make_shared<Session>(std::move(socket), shared_);
      ++shared_.connections;
      shared_.sessions.emplace(session.get(), session);
    }
    session->Start();
  }

  Shared shared_;  // outlives io_, whose destruction destroys the sessions still queued in it
  const unsigned threads_;
  net::io_context io_;
  tcp::acceptor acceptor_;
  net::steady_timer retry_;
};

}  // namespace

std::unique_ptr<Transport> MakeTransport(const ServerOptions& options, Transport::Handler handler,
                                         Transport::Rejected rejected) {
  ReturnLargeBlocksToTheOs();
  return std::make_unique<BeastTransport>(options, std::move(handler), std::move(rejected));
}

}  // namespace postlint::server
