// Network names as postlint spells them. Inputs may say "twitter" or "X"; everything inside
// postlint uses the canonical lower-case name ("x").
#pragma once

#include <string>
#include <string_view>

namespace postlint {

// Lower-cases `name` and maps known aliases ("twitter" -> "x", "ig" -> "instagram",
// "fb" -> "facebook", "yt" -> "youtube", "bsky" -> "bluesky") to their canonical names.
std::string CanonicalNetworkName(std::string_view name);

}  // namespace postlint
