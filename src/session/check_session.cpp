#include "session/check_session.h"

#include "core/clock.h"

namespace postlint {

CheckSession::CheckSession(const Engine& engine, SessionOptions options)
    : engine_(engine), options_(std::move(options)) {
  if (options_.now == 0)
    options_.now = NowSeconds();
  if (!options_.gate)
    options_.gate = std::make_shared<GateState>();
}

void CheckSession::Gate(PostResult& result) const {
  ApplyGate(engine_.policy(), *options_.gate, options_.now, result);
}

void CheckSession::Record(const PostResult& result) const {
  if (options_.recorder != nullptr) {
    options_.recorder->Add(
        GateDecisionEntry(engine_.policy(), result, options_.actor, options_.now));
  }
}

PostResult CheckSession::Check(Post post) const {
  PostResult result = engine_.Check(std::move(post), options_.check);
  Gate(result);
  Record(result);
  return result;
}

PostResult CheckSession::Check(InputRecord&& record) const {
  if (auto* post = std::get_if<Post>(&record))
    return Check(std::move(*post));
  PostResult result = Engine::ErrorResult(std::get<ReadError>(record));
  Record(result);
  return result;
}

BatchStats CheckSession::Run(BatchOptions batch, const RecordProducer& produce,
                             const ResultConsumer& consume) const {
  batch.check = options_.check;
  // The gate runs on the workers with the rules (it hashes every post); the decisions are
  // recorded on the consuming thread, in input order, so the log reads like the report.
  batch.finish = [this](PostResult& result) { Gate(result); };
  return RunBatch(engine_, batch, produce, [&](PostResult&& result) {
    Record(result);
    consume(std::move(result));
  });
}

}  // namespace postlint
