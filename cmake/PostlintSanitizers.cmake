# INTERFACE target that adds sanitizers. POSTLINT_SANITIZE: OFF, ON or `address` (ASan + UBSan,
# `make test-asan`), or `thread` (TSan, `make test-tsan`).
add_library(postlint_sanitizers INTERFACE)
if(POSTLINT_SANITIZE STREQUAL "thread")
  set(_san -fsanitize=thread -fno-omit-frame-pointer)
elseif(POSTLINT_SANITIZE)
  set(_san -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer)
endif()
if(_san)
  target_compile_options(postlint_sanitizers INTERFACE ${_san})
  target_link_options(postlint_sanitizers INTERFACE ${_san})
endif()
