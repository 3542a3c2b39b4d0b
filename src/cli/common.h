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

// Splits "x,bluesky" and repeated flags into canonical network names.
std::vector<std::string> ParseNetworkList(const std::vector<std::string>& values);

}  // namespace postlint::cli
