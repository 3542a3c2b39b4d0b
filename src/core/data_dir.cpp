#include "core/data_dir.h"

#include <cstdlib>
#include <filesystem>

namespace postlint {

namespace fs = std::filesystem;

std::string DataDir() {
  if (const char* env = std::getenv("POSTLINT_DATA_DIR"); env && *env)
    return env;
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    const fs::path installed = exe.parent_path().parent_path() / "share" / "postlint" / "rules";
    if (fs::exists(installed / "default.yaml", ec))
      return installed.string();
  }
  if (fs::exists(fs::path(POSTLINT_SOURCE_DATA_DIR) / "default.yaml", ec)) {
    return POSTLINT_SOURCE_DATA_DIR;
  }
  return POSTLINT_INSTALL_DATA_DIR;
}

}  // namespace postlint
