// Plumbing shared by the commands: policy loading with error printing, input iteration.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "engine/engine.h"
#include "io/post_reader.h"

namespace postlint::cli {

// Resolves the policy path (explicit, discovered, or shipped default), compiles it, and prints
// every problem to stderr. Returns nullptr on failure.
std::shared_ptr<const Engine> LoadEngine(const std::string& explicit_policy);

// Reads every record from `paths` (standard input when empty) in order. Returns false when a
// path was missing or a record unreadable (each reported through `emit` or stderr).
bool ForEachRecord(const std::vector<std::string>& paths, const std::string& input_format,
                   const std::function<void(InputRecord&&)>& emit);

// The exit code of a run that checked posts: 2 when an input could not be read (or an unreadable
// record was reported), else 1 when a post failed, 3 when one needs review, 0 when all passed.
int ExitCodeFor(const RunSummary& summary, bool inputs_ok);

// Splits "x,bluesky" and repeated flags into canonical network names.
std::vector<std::string> ParseNetworkList(const std::vector<std::string>& values);

}  // namespace postlint::cli
