// SHA-256 as lower-case hex: policy identity, post fingerprints, the decision log's hash chain.
#pragma once

#include <string>
#include <string_view>

namespace postlint {

// 64 lower-case hex digits. Cost: one pass over `data` (OpenSSL).
std::string Sha256Hex(std::string_view data);

}  // namespace postlint
