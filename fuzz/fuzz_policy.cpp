// Fuzzes the policy loader and compiler: any bytes must give a compiled engine or diagnostics,
// never a crash, a hang or an exception.
#include <cstddef>
#include <cstdint>
#include <string>

#include "engine/engine.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string yaml(reinterpret_cast<const char*>(data), size);
  postlint::Diagnostics diags;
  auto engine = postlint::CompilePolicyString(yaml, "fuzz.yaml", diags);
  if (!engine && diags.empty())
    __builtin_trap();  // a refusal must say why
  for (const auto& d : diags.items()) {
    if (d.message.empty())
      __builtin_trap();
  }
  return 0;
}
