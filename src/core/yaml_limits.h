// Limits on what a YAML document may expand to, checked on the loaded tree before anything uses
// it: policies (src/policy) and the front matter of drafts (src/io).
//
//   const YAML::Node root = YAML::Load(text);
//   if (auto problem = CheckYamlLimits(root)) ... report problem->mark and problem->message
//
// Why: an alias (*name) repeats the node its anchor (&name) names, so a few lines can stand for
// billions of nodes ("billion laughs": nine lines of nine aliases each make 9^9 leaves). yaml-cpp
// loads an alias as the very same node, shared, so loading costs nothing; every walk over the
// tree (duplicate keys, rule options, front matter fields) then visits each use again, and a
// copy of the tree is as large as its expansion. The check walks the tree once, counting alias
// uses and the nodes the walk visits with aliases expanded, and stops as soon as either count
// passes its limit: it never costs more than `max_nodes` steps.
#pragma once

#include <cstddef>
#include <optional>
#include <string>

#include <yaml-cpp/yaml.h>

namespace postlint {

// Alias uses (*name) in one YAML document. Real policies and front matter use a handful, to
// share a list of terms or a `when:` block between rules; a thousand is far more than any needs.
inline constexpr size_t kMaxYamlAliases = 1000;
// Nodes of one document with every alias expanded. The largest shipped pack has about 3,000; a
// policy of 8 MiB (the file size cap) written without aliases has at most a few hundred
// thousand, and 200,000 keeps every walk over a tree to a fraction of a second.
inline constexpr size_t kMaxYamlNodes = 200000;

struct YamlLimits {
  size_t max_aliases = kMaxYamlAliases;
  size_t max_nodes = kMaxYamlNodes;
};

struct YamlLimitProblem {
  // Where: the node whose alias went over the limit (yaml-cpp gives an alias its anchor's
  // position), else the node the walk stopped at.
  YAML::Mark mark;
  // "uses more than 1,000 aliases (*name) ..." or "expands to more than 200,000 nodes ...".
  std::string message;
};

// The first limit `root` goes over, or nullopt when it is within both. An undefined or null
// root is within them. A cycle (an alias inside its own anchor, `&a [*a]`, which yaml-cpp
// accepts) expands without end and so goes over `max_nodes`. Never throws.
std::optional<YamlLimitProblem> CheckYamlLimits(const YAML::Node& root,
                                                const YamlLimits& limits = {});

}  // namespace postlint
