// The one path from a post to a verdict. Every entry point (check, gate, audit, serve, policy
// test, the C and C++ library, and the front ends to come) goes through a CheckSession:
//
//   read -> analyse -> rules -> findings -> verdict (engine) -> waivers, approvals (gate)
//        -> recorded decision (when asked)
//
// so the same post with the same decision log gets the same verdict and the same findings
// wherever it comes from (tests/session/entry_points_test.cpp proves it for check, gate, audit,
// serve and the C API).
//
//   SessionOptions o;
//   o.check.offline = true;                        // how to check (engine/engine.h)
//   o.gate = GateStateSource(log.get()).Current(&error);  // waivers and approvals (or nullptr)
//   o.recorder = &recorder;  o.actor = "ci";       // `postlint gate`: record every verdict
//   CheckSession session(*engine, o);
//   PostResult r = session.Check(std::move(post));                     // one post
//   session.Run(batch, produce, [&](PostResult&& r) { report(r); });   // many, in order
//
// Everything a check depends on is in SessionOptions: no environment, no process-wide switch.
// Thread safety: Check() may be called from many threads at once (the engine and the gate state
// are immutable, the recorder locks).
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "core/post_result.h"
#include "engine/batch.h"
#include "engine/engine.h"
#include "gate/gate.h"
#include "gate/recording.h"
#include "io/post_reader.h"

namespace postlint {

struct SessionOptions {
  // How the engine checks: networks for posts that name none, offline, the live-check deadline.
  CheckOptions check;
  // The waivers and approvals in force. Null: none; the gate still routes findings for review.
  std::shared_ptr<const GateState> gate;
  // When set, every verdict (unreadable records included, as "error") is recorded as a gate
  // decision by `actor`.
  DecisionRecorder* recorder = nullptr;
  std::string actor;
  // The gate's now: waiver expiry, decision times. 0: the one clock (core/clock.h) when the
  // session is made.
  int64_t now = 0;
};

class CheckSession {
 public:
  CheckSession(const Engine& engine, SessionOptions options);

  // Checks one post, applies the gate, and records the decision when asked.
  PostResult Check(Post post) const;
  // The same for a record a reader produced: an unreadable one becomes an error result.
  PostResult Check(InputRecord&& record) const;

  // Checks a stream on `batch.jobs` threads (engine/batch.h) and hands the results, gated and
  // recorded, to `consume` in input order. `batch.check` is replaced by the session's.
  BatchStats Run(BatchOptions batch, const RecordProducer& produce,
                 const ResultConsumer& consume) const;

  const Engine& engine() const { return engine_; }
  const SessionOptions& options() const { return options_; }

 private:
  void Gate(PostResult& result) const;          // waivers, approvals, review: any thread
  void Record(const PostResult& result) const;  // the decision, when asked

  const Engine& engine_;
  SessionOptions options_;
};

}  // namespace postlint
