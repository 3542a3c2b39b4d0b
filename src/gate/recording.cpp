#include "gate/recording.h"

#include <optional>

namespace postlint {

DecisionRecorder::DecisionRecorder(DecisionLog* log, std::mutex* log_lock, size_t chunk)
    : log_(log), log_lock_(log_lock), chunk_(chunk) {}

DecisionRecorder::~DecisionRecorder() = default;

bool DecisionRecorder::Add(LogEntry entry) {
  std::lock_guard lock(mu_);
  if (failed_)
    return false;
  pending_.push_back(std::move(entry));
  return pending_.size() < chunk_ || FlushLocked();
}

bool DecisionRecorder::Flush() {
  std::lock_guard lock(mu_);
  return FlushLocked();
}

bool DecisionRecorder::FlushLocked() {
  if (failed_) {
    pending_.clear();
    return false;
  }
  if (log_ == nullptr || pending_.empty())
    return true;
  std::string why;
  bool ok = false;
  {
    std::optional<std::lock_guard<std::mutex>> held;
    if (log_lock_ != nullptr)
      held.emplace(*log_lock_);
    ok = log_->Append(pending_, &why);
  }
  if (!ok) {
    failed_ = true;
    error_ = why;
    pending_.clear();
    return false;
  }
  if (first_ == 0)
    first_ = pending_.front().seq;
  last_ = pending_.back().seq;
  pending_.clear();
  return true;
}

bool DecisionRecorder::failed() const {
  std::lock_guard lock(mu_);
  return failed_;
}

std::string DecisionRecorder::error() const {
  std::lock_guard lock(mu_);
  return error_;
}

int64_t DecisionRecorder::first() const {
  std::lock_guard lock(mu_);
  return first_;
}

int64_t DecisionRecorder::last() const {
  std::lock_guard lock(mu_);
  return last_;
}

GateStateSource::GateStateSource(DecisionLog* log, std::mutex* log_lock)
    : log_(log), log_lock_(log_lock) {}

std::shared_ptr<const GateState> GateStateSource::Current(std::string* error) {
  std::lock_guard lock(mu_);
  if (log_ == nullptr)
    return state_;
  if (!broken_.empty()) {
    *error = broken_;
    return nullptr;
  }
  std::optional<std::lock_guard<std::mutex>> held;
  if (log_lock_ != nullptr)
    held.emplace(*log_lock_);
  if (loaded_ && log_->HeadSeq() == verified_.seq)
    return state_;
  auto next = std::make_shared<GateState>(*state_);
  const LogVerification v = log_->Walk(verified_, [&](const LogEntry& e) { next->Apply(e); });
  if (!v.ok) {
    broken_ = UntrustedLogError(log_->path(), v);
    *error = broken_;
    return nullptr;
  }
  verified_ = {v.head_seq, v.head_hash};
  loaded_ = true;
  state_ = std::move(next);
  return state_;
}

}  // namespace postlint
