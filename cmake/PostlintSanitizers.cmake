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
if(POSTLINT_SANITIZE STREQUAL "thread")
  # Asio orders its handlers with std::atomic_thread_fence, which TSan does not model: it
  # would report races between a handler and the thread that queued it. Without the fenced
  # block Asio uses operations TSan understands.
  target_compile_definitions(postlint_sanitizers INTERFACE BOOST_ASIO_DISABLE_FENCED_BLOCK)
endif()
