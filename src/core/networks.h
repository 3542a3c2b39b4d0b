// Network names as postlint spells them. Inputs may say "twitter" or "X"; everything inside
// postlint uses the canonical lower-case name ("x").
//
// Network names are a closed vocabulary: a post, a command line or a policy that names a network
// postlint does not know is an error with a suggestion, never a post silently checked against
// nothing. The vocabulary is the networks below plus any network a policy defines under
// `networks:` (see NetworkVocabulary in policy/policy.h).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace postlint {

// Lower-cases `name` and maps known aliases ("twitter" -> "x", "ig" -> "instagram",
// "fb" -> "facebook", "yt" -> "youtube", "bsky" -> "bluesky", "li" -> "linkedin") to their
// canonical names. Names it does not know are returned lower-cased.
std::string CanonicalNetworkName(std::string_view name);

// The canonical names of the networks postlint knows (whether or not a policy gives them
// limits), in a stable order.
const std::vector<std::string>& KnownNetworkNames();

// Every spelling CanonicalNetworkName() maps to a known network: the canonical names and the
// aliases. For "did you mean" suggestions.
const std::vector<std::string>& KnownNetworkSpellings();

// True when `canonical` (already canonical) is in KnownNetworkNames().
bool IsKnownNetwork(std::string_view canonical);

}  // namespace postlint
