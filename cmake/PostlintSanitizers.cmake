# INTERFACE target that adds ASan + UBSan when POSTLINT_SANITIZE is on (used by `make test-asan`).
add_library(postlint_sanitizers INTERFACE)
if(POSTLINT_SANITIZE)
  set(_san -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer)
  target_compile_options(postlint_sanitizers INTERFACE ${_san})
  target_link_options(postlint_sanitizers INTERFACE ${_san})
endif()
