// What a policy may load and how large it may be, so that a hostile or careless policy cannot
// take postlint down, read files it has no business reading, or print them:
//
//   - `extends` names shipped packs, files under the extending file's own directory, or files
//     under a directory of the policy path ($POSTLINT_POLICY_PATH, --policy-path). Anything
//     else (`extends: ["/etc/shadow"]`, `../../secrets.yaml`, a symbolic link pointing out) is
//     refused before it is opened, so its contents can never appear in an error.
//   - Each file is loaded once per policy load: a diamond or a fan-out of N files costs N loads,
//     not 2^N. At most kMaxPolicyFiles files, kMaxExtendsDepth deep.
//   - Sizes: a policy file, one pattern, all patterns of a policy, and the RE2 program a
//     pattern compiles to.
// YAML aliases are limited for every YAML postlint reads (core/yaml_limits.h).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "core/diagnostics.h"

namespace postlint {

struct Policy;

// Policy files one load reads (the policy and everything it extends, each counted once). The
// shipped default loads four; a team's layering rarely passes ten.
inline constexpr size_t kMaxPolicyFiles = 64;
// Files in one chain of `extends` (a extends b extends c ...), the policy itself at depth 0.
inline constexpr uint32_t kMaxExtendsDepth = 16;
// Bytes of one policy file (or policy string). The largest shipped pack is under 4 KiB; a
// policy is read whole and parsed into a tree several times its size.
inline constexpr size_t kMaxPolicyFileBytes = size_t{8} << 20;
// Bytes of one `pattern` rule pattern. Longer patterns are word lists, which a `terms` rule
// matches in one pass without compiling them into a program.
inline constexpr size_t kMaxPatternBytes = size_t{64} << 10;
// Instructions of the RE2 program one pattern compiles to (RE2::ProgramSize()). Matching time
// and memory grow with it. An alternation of 5,000 words (about all 64 KiB hold) stays under
// it; a class repeated many times does not (`\pL{200}` is about 240,000).
inline constexpr int kMaxPatternProgramSize = 100000;
// Bytes of all patterns of one policy, every file it extends included: each is compiled twice
// (alone and in the rule's RE2::Set) when the policy loads, and again on every `serve` reload.
inline constexpr size_t kMaxPolicyPatternBytes = size_t{1} << 20;

// How to load a policy: where `extends` may look besides the shipped packs and the extending
// file's own directory. Passed in by the front end (the CLI reads $POSTLINT_POLICY_PATH and
// --policy-path); the library never reads the environment for it.
struct PolicyLoadOptions {
  std::vector<std::string> policy_path;  // directories
};

// Splits a $POSTLINT_POLICY_PATH value ("dir1:dir2") into directories; empty parts are dropped.
std::vector<std::string> SplitPolicyPath(const std::string& value);

// Where an `extends` entry leads when it may be loaded: `canonical` (absolute, symbolic links
// resolved: what is opened, and what tells two names of one file apart) and `path` (as
// diagnostics and `policy validate` show it: the extending file's directory joined with the
// name, or the shipped pack's path). Else `error`: what was wrong and what was expected, never
// anything read from the file.
struct ExtendsTarget {
  std::string path;
  std::string canonical;
  std::string error;
};

// Resolves `ref`, named in `from_file`'s `extends`:
//   - a name without '/' that does not end in .yaml/.yml ("default", "networks") is a shipped
//     pack (DataDir()/NAME.yaml), else NAME.yaml in a policy path directory, in order;
//   - anything else is a path ending in .yaml or .yml: absolute, or relative to `from_file`'s
//     directory, else to each policy path directory, else to the shipped packs' directory.
// A path is taken only when, with symbolic links resolved, it lies under `from_file`'s own
// directory, a policy path directory or the shipped packs' directory; nothing outside them is
// opened or even tested for existence.
ExtendsTarget ResolveExtends(const std::string& ref, const std::string& from_file,
                             const PolicyLoadOptions& options);

// Reads a policy file whole into `*out`: only a regular file of at most kMaxPolicyFileBytes
// ("extends: /dev/zero" must not hang the loader, nor a file that grows while read). On failure
// returns false with `*error` set ("cannot read policy file: ...", "... is larger than 8 MiB").
bool ReadPolicyFile(const std::string& path, std::string* out, std::string* error);

// The pattern limits over a loaded policy's `pattern` rules (their `patterns` option): a
// pattern longer than kMaxPatternBytes, or the one that takes the policy's total past
// kMaxPolicyPatternBytes, is an error at its file:line:col, and its rule is dropped from
// `policy` so that the engine never compiles it. The pattern itself is not quoted.
void CheckPatternLimits(Policy& policy, Diagnostics& diags);

}  // namespace postlint
