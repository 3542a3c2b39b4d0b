#include "engine/batch.h"

#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <thread>

namespace postlint {

namespace {

PostResult CheckRecord(const Engine& engine, InputRecord&& record,
                       const std::vector<std::string>& fallback) {
  if (auto* post = std::get_if<Post>(&record))
    return engine.Check(std::move(*post), fallback);
  return Engine::ErrorResult(std::get<ReadError>(record));
}

// Shared state of one parallel batch. One mutex guards everything: the work per post (tens of
// microseconds) dwarfs the cost of taking it, and it keeps the ordering logic easy to verify.
class Pipeline {
 public:
  Pipeline(const Engine& engine, const BatchOptions& options)
      : engine_(engine), options_(options) {}

  // Producer side: blocks while the window is full.
  void Push(InputRecord&& record) {
    std::unique_lock lock(mu_);
    room_.wait(lock, [&] { return next_seq_ - consumed_ < options_.window; });
    queue_.push_back({next_seq_++, std::move(record)});
    work_.notify_one();
  }

  void CloseInput() {
    std::lock_guard lock(mu_);
    input_done_ = true;
    work_.notify_all();
    ready_.notify_all();
  }

  // Worker loop.
  void Work() {
    for (;;) {
      Item item;
      {
        std::unique_lock lock(mu_);
        work_.wait(lock, [&] { return !queue_.empty() || input_done_; });
        if (queue_.empty())
          return;
        item = std::move(queue_.front());
        queue_.pop_front();
      }
      PostResult result = CheckRecord(engine_, std::move(item.record), options_.fallback_networks);
      std::lock_guard lock(mu_);
      done_.emplace(item.seq, std::move(result));
      if (item.seq == consumed_)
        ready_.notify_all();
    }
  }

  // Consumer loop on the calling thread: hands results over in sequence order.
  void Drain(const ResultConsumer& consume) {
    for (;;) {
      PostResult result;
      {
        std::unique_lock lock(mu_);
        ready_.wait(lock, [&] {
          return done_.count(consumed_) > 0 || (input_done_ && consumed_ == next_seq_);
        });
        auto it = done_.find(consumed_);
        if (it == done_.end())
          return;  // input finished and everything consumed
        result = std::move(it->second);
        done_.erase(it);
        ++consumed_;
        room_.notify_all();
      }
      consume(std::move(result));
    }
  }

 private:
  struct Item {
    uint64_t seq = 0;
    InputRecord record;
  };

  const Engine& engine_;
  const BatchOptions& options_;
  std::mutex mu_;
  std::condition_variable work_;   // queue non-empty or input done
  std::condition_variable ready_;  // the next result in order is available
  std::condition_variable room_;   // the window has room
  std::deque<Item> queue_;
  std::map<uint64_t, PostResult> done_;
  uint64_t next_seq_ = 0;  // sequence number of the next record pushed
  uint64_t consumed_ = 0;  // sequence number of the next record to consume
  bool input_done_ = false;
};

}  // namespace

BatchStats RunBatch(const Engine& engine, const BatchOptions& options,
                    const RecordProducer& produce, const ResultConsumer& consume) {
  BatchStats stats;
  auto keep = [&](const InputRecord& record) {
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
      consume(CheckRecord(engine, std::move(record), options.fallback_networks));
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
        pipeline.Push(std::move(record));
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
