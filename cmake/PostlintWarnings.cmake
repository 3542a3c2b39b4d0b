# INTERFACE target carrying the project's warning set. Linked PRIVATE so it never leaks onto
# dependencies or consumers of the library.
add_library(postlint_warnings INTERFACE)
target_compile_options(postlint_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Woverloaded-virtual -Wextra-semi
  -Wcast-align -Wimplicit-fallthrough
  $<$<CXX_COMPILER_ID:GNU>:-Wlogical-op>)
if(POSTLINT_WERROR)
  target_compile_options(postlint_warnings INTERFACE -Werror)
endif()
if(CMAKE_BUILD_TYPE STREQUAL "Debug")
  target_compile_definitions(postlint_warnings INTERFACE _GLIBCXX_ASSERTIONS)
endif()
