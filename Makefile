# Thin front door over CMake. `make run` sets up and lints the sample drafts; `make test` runs
# every test. See README.md.
BUILD      ?= build
# Release, as packagers build it; CI tests this build (Debug and RelWithDebInfo build with the
# same warnings as errors, on g++ and clang).
BUILD_TYPE ?= Release
ASAN_BUILD ?= build-asan
TSAN_BUILD ?= build-tsan
JOBS       ?= $(shell nproc 2>/dev/null || echo 2)
# One translation unit per batch of sources: a clean build in half the time (CI builds three).
# `make UNITY=OFF` (or plain cmake) recompiles one file per edit instead of its batch.
UNITY      ?= ON
# Ninja keeps both cores busy across targets (make waits for a library before compiling what
# uses it). A build directory keeps the generator it was made with.
GENERATOR  ?= Ninja
generator   = $(if $(wildcard $(1)/CMakeCache.txt),,-G "$(GENERATOR)")
CMAKE_FLAGS ?=
override CMAKE_FLAGS += -DCMAKE_UNITY_BUILD=$(UNITY)
MAKEFLAGS  += --no-print-directory

.PHONY: all deps configure build run test test-asan test-tsan bench fuzz format format-check clean install

all: build

deps:
	@scripts/install-deps.sh

$(BUILD)/CMakeCache.txt:
	cmake -S . -B $(BUILD) $(call generator,$(BUILD)) -DCMAKE_BUILD_TYPE=$(BUILD_TYPE) $(CMAKE_FLAGS)

configure: deps $(BUILD)/CMakeCache.txt

build: configure
	cmake --build $(BUILD) -j $(JOBS)

# Lints the shipped sample drafts with the shipped default policy. Exit status is postlint's own
# (0 pass, 1 fail, 3 review, 2 error); the samples deliberately include posts that fail, so the
# target ignores it and always shows the report.
run: build
	@echo "postlint check --policy rules/default.yaml fixtures/drafts"
	@$(BUILD)/src/postlint check --policy rules/default.yaml fixtures/drafts; status=$$?; \
	  echo "(postlint exit status $$status: 0 pass, 1 fail, 2 error, 3 review)"

test: build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

# What the tests need when run outside ctest (ctest sets the same for every test).
TEST_ENV = POSTLINT_DATA_DIR=$(CURDIR)/rules POSTLINT_OFFLINE=1

# AddressSanitizer + UndefinedBehaviorSanitizer over every test. The unit tests run in one
# process per core (GoogleTest shards; one process per case would pay the sanitizer's start-up
# 500 times); ctest runs the rest: the CLI, the service, the library, the fuzz replays, the docs.
# -O0 with line tables only (-g1): what the stack traces need, at a third less compile time.
ASAN_ENV = ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1
test-asan: deps
	cmake -S . -B $(ASAN_BUILD) $(call generator,$(ASAN_BUILD)) -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG="-g1" -DPOSTLINT_SANITIZE=address -DPOSTLINT_BUILD_BENCH=OFF $(CMAKE_FLAGS)
	cmake --build $(ASAN_BUILD) -j $(JOBS)
	@status=0; pids=""; \
	for i in $$(seq 0 $$(($(JOBS) - 1))); do \
	  $(TEST_ENV) POSTLINT_CACHE_DIR=$(CURDIR)/$(ASAN_BUILD)/test-link-cache-$$i $(ASAN_ENV) \
	    GTEST_TOTAL_SHARDS=$(JOBS) GTEST_SHARD_INDEX=$$i \
	    $(ASAN_BUILD)/tests/postlint_tests --gtest_brief=1 > $(ASAN_BUILD)/unit-tests-$$i.log 2>&1 & \
	  pids="$$pids $$!"; \
	done; \
	i=0; for pid in $$pids; do \
	  if wait $$pid; then tail -n 2 $(ASAN_BUILD)/unit-tests-$$i.log; \
	  else status=1; cat $(ASAN_BUILD)/unit-tests-$$i.log; fi; i=$$((i + 1)); \
	done; exit $$status
	cd $(ASAN_BUILD) && $(ASAN_ENV) ctest --output-on-failure -j $(JOBS) -E '[.]'

# ThreadSanitizer over the multi-threaded code: the batch runner, the check session, the link
# checker, the decision log, the library, and the service under concurrent requests and attacks.
test-tsan: deps
	cmake -S . -B $(TSAN_BUILD) $(call generator,$(TSAN_BUILD)) -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG="-g1 -O1" -DPOSTLINT_SANITIZE=thread -DPOSTLINT_BUILD_BENCH=OFF $(CMAKE_FLAGS)
	cmake --build $(TSAN_BUILD) -j $(JOBS) --target postlint postlint_mt_tests
	$(TEST_ENV) POSTLINT_CACHE_DIR=$(CURDIR)/$(TSAN_BUILD)/test-link-cache TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1 suppressions=$(CURDIR)/tests/tsan.supp" \
	  $(TSAN_BUILD)/tests/postlint_mt_tests --gtest_brief=1
	cd $(TSAN_BUILD) && TSAN_OPTIONS="halt_on_error=1 suppressions=$(CURDIR)/tests/tsan.supp" ctest --output-on-failure -R '^(serve_integration|security_serve)$$'

# libFuzzer (clang) over the policy loader, the readers + reporters, every export reader, and
# twitter-text, and the URL parser against the address policy; `make fuzz FUZZ_TARGETS=readers`
# runs one of them.
# New findings land in fuzz-findings/; copy interesting inputs into fixtures/fuzz-corpus/.
FUZZ_SECONDS ?= 60
FUZZ_TARGETS ?= policy posts readers twitter_text url_policy
fuzz: deps
	CC=clang CXX=clang++ cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo -DPOSTLINT_FUZZ=ON -DPOSTLINT_BUILD_BENCH=OFF -DPOSTLINT_WERROR=OFF
	cmake --build build-fuzz -j $(JOBS) --target postlint postlint_shared $(addprefix fuzz_,$(FUZZ_TARGETS))
	mkdir -p fuzz-findings
	# The leak test, longer and with a new seed each run (printed, to replay a failure).
	seed=$$(date +%s); echo "leak test seed $$seed"; \
	  /usr/bin/python3 tests/leak/leak_test.py build-fuzz/src/postlint build-fuzz/src/libpostlint.so . \
	    --count 20000 --seed $$seed || exit 1
	for t in $(FUZZ_TARGETS); do \
	  mkdir -p build-fuzz/corpus/$$t && cp -n fixtures/fuzz-corpus/$$t/* build-fuzz/corpus/$$t/ 2>/dev/null; \
	  POSTLINT_DATA_DIR=$(CURDIR)/rules build-fuzz/fuzz/fuzz_$$t build-fuzz/corpus/$$t \
	    -max_total_time=$(FUZZ_SECONDS) -max_len=4096 -artifact_prefix=fuzz-findings/$$t- || exit 1; \
	done

bench: build
	$(BUILD)/bench/postlint_bench

format:
	find src tests bench fuzz examples -name '*.cpp' -o -name '*.h' 2>/dev/null | xargs -r clang-format -i

format-check:
	find src tests bench fuzz examples -name '*.cpp' -o -name '*.h' 2>/dev/null | xargs -r clang-format --dry-run -Werror

install: build
	cmake --install $(BUILD)

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(TSAN_BUILD)
