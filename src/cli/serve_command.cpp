// postlint serve: the pre-publish hook as an HTTP service (see docs/serve.md).
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <signal.h>
#include <thread>

#include <CLI/CLI.hpp>

#include "cli/common.h"
#include "server/server.h"

namespace postlint::cli {

void AddServeCommand(CLI::App& app, int& exit_code) {
  auto opts = std::make_shared<ServerOptions>();
  auto token_file = std::make_shared<std::string>();
  auto no_log = std::make_shared<bool>(false);
  CLI::App* cmd = app.add_subcommand(
      "serve", "Serve POST /v1/check over HTTP for schedulers, CMSs and automations");
  cmd->add_option("-p,--policy", opts->policy_paths,
                  "Policy file(s), repeatable; the first is the default, others are chosen by "
                  "name (default: postlint.yaml here or in a parent, else the shipped default)");
  AddPolicyPathOption(cmd);
  cmd->add_option("--host", opts->host,
                  "Address to bind (default 127.0.0.1; TLS belongs in a "
                  "reverse proxy)");
  cmd->add_option("--port", opts->port, "Port (0: any free port, printed in the log)");
  cmd->add_option("--token-file", *token_file,
                  "File holding the bearer token clients must send (or set POSTLINT_TOKEN)");
  cmd->add_option("--max-body", opts->max_body_bytes,
                  "Largest request body in bytes, chunked or not (default 1 MiB; 413)")
      ->check(CLI::PositiveNumber);
  cmd->add_option("--max-posts", opts->max_posts, "Most posts per request (default 100; 413)")
      ->check(CLI::PositiveNumber);
  cmd->add_option("--max-header-bytes", opts->max_header_bytes,
                  "Largest request line + header fields in bytes (default 16 KiB; 431)")
      ->check(CLI::Range(size_t{1024}, size_t{1} << 20));
  cmd->add_option("--max-headers", opts->max_headers,
                  "Most header fields per request (default 100; 431)")
      ->check(CLI::PositiveNumber);
  cmd->add_option("--max-connections", opts->max_connections,
                  "Most open connections; more are closed at once (default 512)")
      ->check(CLI::PositiveNumber);
  cmd->add_option("--threads", opts->threads,
                  "Worker threads answering requests; slow clients hold none (default 2 per "
                  "core, at least 8)");
  cmd->add_option("--read-timeout", opts->read_timeout_seconds,
                  "Seconds a request has to arrive whole, header and body, from its first byte "
                  "(default 5; then 408 and the connection is closed); also the keep-alive "
                  "idle time")
      ->check(CLI::Range(1, 3600));
  cmd->add_option("--shutdown-grace", opts->shutdown_grace_seconds,
                  "Seconds requests in flight get to finish after SIGTERM (default 5); idle "
                  "and slow connections are closed at once")
      ->check(CLI::Range(0, 3600));
  cmd->add_option("--link-budget-ms", opts->link_budget_ms,
                  "Milliseconds a request waits for live link checks; later ones are 'pending'");
  cmd->add_option("--db", opts->decision_log,
                  "Decision log (docs/gate.md): apply its waivers and approvals to every check; "
                  "requests with \"record\": true append their verdicts");
  cmd->add_flag("--no-access-log", *no_log, "Do not write the JSON access log to stderr");
  cmd->add_flag("--offline", opts->offline,
                "No network: live link checks answer from the cache only; links not in it are "
                "'unverifiable' (also POSTLINT_OFFLINE=1)");
  cmd->footer(
      "Exit codes:\n  0  stopped by SIGTERM or SIGINT after finishing the requests in flight "
      "(those\n"
      "     still running after --shutdown-grace are abandoned, and logged)\n"
      "  2  cannot start: a policy with problems, a port in use, an unreadable token file\n");
  cmd->callback([opts, token_file, no_log, &exit_code] {
    opts->access_log = !*no_log;
    if (const char* env = std::getenv("POSTLINT_OFFLINE"); env && *env && std::string(env) != "0")
      opts->offline = true;
    opts->policy_search_path = PolicyLoadOptionsFromCli().policy_path;
    if (opts->policy_paths.empty())
      opts->policy_paths.push_back(DiscoverPolicyPath(std::filesystem::current_path().string()));
    if (!token_file->empty()) {
      std::ifstream in(*token_file);
      if (!in || !std::getline(in, opts->token) || opts->token.empty()) {
        std::cerr << "postlint: cannot read a token from " << *token_file << "\n";
        exit_code = kExitError;
        return;
      }
    } else if (const char* env = std::getenv("POSTLINT_TOKEN"); env && *env) {
      opts->token = env;
    }
    // Signals go to one thread that acts on them, so handlers never touch server state.
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGHUP);
    sigaddset(&signals, SIGTERM);
    sigaddset(&signals, SIGINT);
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);
    Server server(*opts);
    std::string error;
    if (!server.Start(&error)) {
      std::cerr << error << "postlint: cannot start the server\n";
      exit_code = kExitError;
      return;
    }
    std::thread signal_thread([&] {
      for (;;) {
        int sig = 0;
        if (sigwait(&signals, &sig) != 0)
          continue;
        if (sig == SIGHUP) {
          server.Reload("SIGHUP");
        } else {
          server.Stop();
          return;
        }
      }
    });
    if (!server.Wait()) {
      // A request outlived the grace on a worker thread that still uses the server: end the
      // process without destroying it (SIGTERM must end the service within the grace).
      std::cerr.flush();
      std::_Exit(kExitPass);
    }
    // Wake the signal thread if the server stopped for another reason.
    pthread_kill(signal_thread.native_handle(), SIGTERM);
    signal_thread.join();
    exit_code = kExitPass;
  });
}

}  // namespace postlint::cli
