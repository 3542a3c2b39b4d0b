// A post's identity at the approval gate.
#pragma once

#include <string>

#include "core/post.h"

namespace postlint {

// SHA-256 (64 hex digits) of what gets published: the text, the networks, the account, whether it
// is sponsored, its language, its media alt texts and its labels. The post's id, source file,
// author and creation time are left out, so renaming or moving a draft keeps its approvals while
// any change to what readers will see voids them. Stable across releases: the encoding is
// versioned ("postlint-post-v1") and changing it is a breaking change of the decision log.
std::string PostFingerprint(const Post& post);

// The first 12 hex digits: what people type and reports print. Commands accept any unique prefix
// of 8 or more digits.
std::string ShortFingerprint(const std::string& fingerprint);

}  // namespace postlint
