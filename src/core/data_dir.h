// Where postlint's shipped data lives: the policy packs, lexicons and lists under rules/.
#pragma once

#include <string>

namespace postlint {

// Directory holding the shipped packs (rules/): $POSTLINT_DATA_DIR, else the installed share
// directory next to the running binary, else the source tree's rules/ directory (a build that
// runs from its build tree), else the configured install prefix's.
std::string DataDir();

}  // namespace postlint
