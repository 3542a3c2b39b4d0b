// Checks a stream of posts on many threads and hands results back in input order, with memory
// bounded by a window of in-flight posts whatever the input size.
//
//   BatchOptions options;
//   options.jobs = 0;  // all cores
//   RunBatch(*engine, options,
//            [&](const RecordCallback& emit) { ReadPosts(path, InputFormat::kAuto, emit); },
//            [&](PostResult&& r) { reporter->Add(r); });
//
// `produce` runs on its own thread and calls `emit` once per record, in order. `consume` runs
// on the calling thread, once per record, in the same order. A record that could not be read
// reaches `consume` as an error result; the batch goes on. Records go to the workers in blocks
// of up to 256 (fewer when the window is small, or when a worker is idle, so a slow input such
// as a terminal is still checked as it arrives).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "engine/engine.h"
#include "io/post_reader.h"

namespace postlint {

struct BatchOptions {
  unsigned jobs = 0;     // worker threads; 0 = hardware concurrency; 1 = no threads at all
  size_t window = 4096;  // most posts read but not yet consumed (bounds memory); at least 1
  CheckOptions check;    // how every post is checked (networks for posts that name none, ...)
  // Posts for which this returns false are skipped (not checked, not consumed); may be empty.
  std::function<bool(const Post&)> keep;
  // Runs on the worker thread after the engine checked a post (never for unreadable records),
  // for work that belongs beside the rules, such as the gate (session/check_session.h). May be
  // empty; must be thread-safe.
  std::function<void(PostResult&)> finish;
  // Reader warnings (ReadWarning) go here, on the producer's thread, and are neither checked
  // nor consumed; may be empty (then they are dropped).
  std::function<void(const ReadWarning&)> on_warning;
};

struct BatchStats {
  uint64_t records = 0;  // posts and read errors consumed
  uint64_t skipped = 0;  // posts dropped by `keep`
};

using RecordProducer = std::function<void(const RecordCallback& emit)>;
using ResultConsumer = std::function<void(PostResult&& result)>;

BatchStats RunBatch(const Engine& engine, const BatchOptions& options,
                    const RecordProducer& produce, const ResultConsumer& consume);

}  // namespace postlint
