// Where the gate's decisions go and where its waivers and approvals come from, for front ends
// that run for long or on many threads (the service, the library) as well as for one command.
//
//   DecisionRecorder recorder(log.get());          // appends in chunks of 1,000, in order
//   recorder.Add(GateDecisionEntry(...));  ...  if (!recorder.Flush()) report(recorder.error());
//
//   GateStateSource source(std::move(reader));     // the log's waivers and approvals...
//   std::shared_ptr<const GateState> state = source.Current(&error);  // ...as of its latest
//                                                   // entry; nullptr when the chain is broken
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "gate/decision_log.h"
#include "gate/gate.h"

namespace postlint {

// Appends decisions to a log in chunks: one transaction per chunk keeps a large batch fast and
// its memory flat. Thread-safe: the service's request threads may share one, and `log_lock`
// (when given) is held around every append, for a log that others use too.
class DecisionRecorder {
 public:
  explicit DecisionRecorder(DecisionLog* log, std::mutex* log_lock = nullptr, size_t chunk = 1000);
  ~DecisionRecorder();  // does not flush: callers decide what a failed flush means
  DecisionRecorder(const DecisionRecorder&) = delete;
  DecisionRecorder& operator=(const DecisionRecorder&) = delete;

  // Queues `entry`; appends the queue when it reaches a chunk. False once an append failed.
  bool Add(LogEntry entry);
  // Appends what is queued. False (with error() set) when this or an earlier append failed; the
  // failed chunk is dropped, never appended half.
  bool Flush();

  bool failed() const;
  std::string error() const;
  // Sequence numbers of the first and last decision appended so far (0 when none).
  int64_t first() const;
  int64_t last() const;

 private:
  bool FlushLocked();
  DecisionLog* log_;
  std::mutex* log_lock_;
  size_t chunk_;
  mutable std::mutex mu_;
  std::vector<LogEntry> pending_;
  bool failed_ = false;
  std::string error_;
  int64_t first_ = 0;
  int64_t last_ = 0;
};

// The waivers and approvals of a decision log as of its latest entry. The first call verifies
// the whole chain while reading it; later calls read only what was appended since (the log's
// head moved), verifying that it follows the entry already verified, so a long-running service
// never re-reads, and so never trusts, an old entry someone edited in place. Thread-safe; the
// state handed out is immutable and may be used after the next reload.
class GateStateSource {
 public:
  // `log` may be null: no log, an empty state forever.
  explicit GateStateSource(DecisionLog* log, std::mutex* log_lock = nullptr);
  // The state, or nullptr with `*error` set (UntrustedLogError) when the chain is broken; once
  // broken, every later call fails too.
  std::shared_ptr<const GateState> Current(std::string* error);

 private:
  DecisionLog* log_;
  std::mutex* log_lock_;
  std::mutex mu_;
  LogHead verified_;  // the last entry applied to state_
  bool loaded_ = false;
  std::string broken_;  // why the chain cannot be trusted, once found
  std::shared_ptr<const GateState> state_ = std::make_shared<GateState>();
};

}  // namespace postlint
