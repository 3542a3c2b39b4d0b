#include "engine/batch.h"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <thread>

namespace postlint {

namespace {

// `record` is a Post or a ReadError: warnings never reach the workers (RunBatch).
PostResult CheckRecord(const Engine& engine, InputRecord&& record, const BatchOptions& options) {
  if (auto* post = std::get_if<Post>(&record)) {
    PostResult result = engine.Check(std::move(*post), options.check);
    if (options.finish)
      options.finish(result);
    return result;
  }
  return Engine::ErrorResult(std::get<ReadError>(record));
}

// Shared state of one parallel batch. Records travel in blocks of up to `block_size_` so that
// locking and waking threads (a futex call each, several microseconds) is paid once per block
// rather than once per post: per post it cost a quarter of the CPU time on two cores. One mutex
// guards everything, which keeps the ordering logic easy to verify.
class Pipeline {
 public:
  Pipeline(const Engine& engine, const BatchOptions& options)
      : engine_(engine),
        options_(options),
        // A few blocks fit in the window, so back-pressure still works with small windows.
        block_size_(std::clamp<size_t>(options.window / 4, 1, kMaxBlock)) {}

  // Producer side: adds a record to the block being filled and hands the block to the workers
  // when it is full, or at once when a worker is waiting for work (a slow input, such as a
  // terminal, is then checked post by post instead of waiting for a block to fill).
  void Add(InputRecord&& record) {
    filling_.push_back(std::move(record));
    if (filling_.size() >= block_size_ || idle_workers_.load(std::memory_order_relaxed) > 0)
      Flush();
  }

  // Producer side: the input is finished.
  void CloseInput() {
    Flush();
    std::lock_guard lock(mu_);
    input_done_ = true;
    work_.notify_all();
    ready_.notify_all();
  }

  // Worker loop.
  void Work() {
    std::vector<PostResult> results;
    for (;;) {
      Block block;
      {
        std::unique_lock lock(mu_);
        if (queue_.empty() && !input_done_) {
          idle_workers_.fetch_add(1, std::memory_order_relaxed);
          work_.wait(lock, [&] { return !queue_.empty() || input_done_; });
          idle_workers_.fetch_sub(1, std::memory_order_relaxed);
        }
        if (queue_.empty())
          return;
        block = std::move(queue_.front());
        queue_.pop_front();
      }
      results.clear();
      results.reserve(block.records.size());
      for (InputRecord& record : block.records)
        results.push_back(CheckRecord(engine_, std::move(record), options_));
      std::lock_guard lock(mu_);
      done_.emplace(block.seq, std::move(results));
      results = {};
      if (block.seq == consumed_)
        ready_.notify_all();
    }
  }

  // Consumer loop on the calling thread: hands results over in input order.
  void Drain(const ResultConsumer& consume) {
    for (;;) {
      std::vector<PostResult> results;
      {
        std::unique_lock lock(mu_);
        ready_.wait(lock, [&] {
          return done_.count(consumed_) > 0 || (input_done_ && consumed_ == next_seq_);
        });
        auto it = done_.find(consumed_);
        if (it == done_.end())
          return;  // input finished and everything consumed
        results = std::move(it->second);
        done_.erase(it);
        ++consumed_;
      }
      for (PostResult& result : results)
        consume(std::move(result));
      std::lock_guard lock(mu_);
      in_flight_ -= results.size();
      // Wake the producer once half the window is free, not after every block: it then reads a
      // few blocks at a time instead of switching threads for each one.
      if (in_flight_ <= options_.window / 2)
        room_.notify_all();
    }
  }

 private:
  static constexpr size_t kMaxBlock = 256;

  struct Block {
    uint64_t seq = 0;
    std::vector<InputRecord> records;
  };

  // Producer side: queues the block being filled; blocks while the window is full.
  void Flush() {
    if (filling_.empty())
      return;
    std::unique_lock lock(mu_);
    room_.wait(lock, [&] { return in_flight_ + filling_.size() <= options_.window; });
    in_flight_ += filling_.size();
    queue_.push_back({next_seq_++, std::move(filling_)});
    filling_ = {};
    filling_.reserve(block_size_);
    work_.notify_one();
  }

  const Engine& engine_;
  const BatchOptions& options_;
  const size_t block_size_;
  std::vector<InputRecord> filling_;  // producer thread only
  std::atomic<unsigned> idle_workers_{0};
  std::mutex mu_;
  std::condition_variable work_;   // queue non-empty or input done
  std::condition_variable ready_;  // the next block in order is checked
  std::condition_variable room_;   // the window has room
  std::deque<Block> queue_;
  std::map<uint64_t, std::vector<PostResult>> done_;
  uint64_t next_seq_ = 0;  // sequence number of the next block queued
  uint64_t consumed_ = 0;  // sequence number of the next block to consume
  size_t in_flight_ = 0;   // records queued, being checked, or checked but not consumed
  bool input_done_ = false;
};

}  // namespace

BatchStats RunBatch(const Engine& engine, const BatchOptions& options,
                    const RecordProducer& produce, const ResultConsumer& consume) {
  BatchStats stats;
  auto keep = [&](const InputRecord& record) {
    if (const auto* warning = std::get_if<ReadWarning>(&record)) {
      if (options.on_warning)
        options.on_warning(*warning);
      return false;
    }
    if (!options.keep)
      return true;
    const Post* post = std::get_if<Post>(&record);
    if (!post || options.keep(*post))
      return true;
    ++stats.skipped;
    return false;
  };
  unsigned jobs = options.jobs;
  if (jobs == 0)
    jobs = std::max(1u, std::thread::hardware_concurrency());

  if (jobs == 1) {
    // The writer's loop: no threads, no queues.
    produce([&](InputRecord&& record) {
      if (!keep(record))
        return;
      ++stats.records;
      consume(CheckRecord(engine, std::move(record), options));
    });
    return stats;
  }

  Pipeline pipeline(engine, options);
  std::vector<std::thread> workers;
  workers.reserve(jobs);
  for (unsigned i = 0; i < jobs; ++i)
    workers.emplace_back([&] { pipeline.Work(); });
  std::thread producer([&] {
    produce([&](InputRecord&& record) {
      if (keep(record))
        pipeline.Add(std::move(record));
    });
    pipeline.CloseInput();
  });
  pipeline.Drain([&](PostResult&& result) {
    ++stats.records;
    consume(std::move(result));
  });
  producer.join();
  for (auto& w : workers)
    w.join();
  return stats;
}

}  // namespace postlint
