#include "server/server.h"

#include <chrono>

#include <nlohmann/json.hpp>

#include "core/clock.h"
#include "server/service.h"
#include "server/transport.h"

namespace postlint {

Server::Server(ServerOptions options)
    : options_(std::move(options)), service_(std::make_unique<server::Service>(options_)) {}

Server::~Server() {
  Stop();
  if (listener_.joinable())
    listener_.join();
  if (watcher_.joinable())
    watcher_.join();
}

void Server::Reload(const std::string& why) {
  service_->Reload(why);
}

bool Server::Start(std::string* error) {
  if (options_.policy_paths.empty()) {
    *error = "no policy given";
    return false;
  }
  if (!service_->Load(error))
    return false;
  transport_ = server::MakeTransport(
      options_, [this](const server::HttpRequest& request) { return service_->Serve(request); },
      [this](const server::HttpRequest& partial, const server::HttpResponse& answer,
             double seconds) { service_->Record(partial, answer, seconds); });
  port_ = transport_->Bind(options_.host, options_.port, error);
  if (port_ <= 0) {
    *error += "\n";
    return false;
  }
  listener_ = std::thread([this] { finished_ = transport_->Run(); });
  if (options_.watch_files) {
    watcher_ = std::thread([this] {
      std::unique_lock lock(stop_mu_);
      while (!stop_cv_.wait_for(lock, std::chrono::seconds(1), [this] { return stopping_; })) {
        lock.unlock();
        if (service_->PolicyFilesChanged())
          Reload("file changed");
        lock.lock();
      }
    });
  }
  service_->Log({{"ts", FormatTimeMillis(NowMillis())},
                 {"event", "listening"},
                 {"host", options_.host},
                 {"port", port_},
                 {"policies", options_.policy_paths.size()}});
  return true;
}

bool Server::Wait() {
  if (listener_.joinable())
    listener_.join();
  if (watcher_.joinable())
    watcher_.join();
  if (!finished_) {
    service_->Log({{"ts", FormatTimeMillis(NowMillis())},
                   {"event", "shutdown_grace_expired"},
                   {"grace_seconds", options_.shutdown_grace_seconds},
                   {"note", "requests still being answered were abandoned"}});
  }
  return finished_;
}

void Server::Stop() {
  {
    std::lock_guard lock(stop_mu_);
    if (stopping_)
      return;
    stopping_ = true;
  }
  stop_cv_.notify_all();
  // Stops accepting and closes idle connections; requests being answered get the grace.
  if (transport_)
    transport_->Stop();
}

}  // namespace postlint
