# souk — a thin wrapper over CMake. The README's two commands are `make demo` and `make test`.
#
#   make deps         install missing Debian packages (scripts/install-deps.sh)
#   make build        configure and build build/ (RelWithDebInfo)
#   make test         ctest (doctest suite, packaging tests, ...) then pytest for the bindings
#   make demo         run the marketplace simulation on a fresh build/demo.souk
#   make bench        run build/benchmarks/souk-bench (make bench-quick: --quick)
#   make sanitize     ASan+UBSan build in build-asan/ and its ctest (make tsan: TSan in build-tsan/)
#   make fuzz         libFuzzer build in build-fuzz/ (clang 16+), every harness FUZZ_SECONDS each
#   make clean        remove the build trees
#
# Variables: JOBS (parallel jobs, default 2), BUILD_TYPE, CMAKE_ARGS (extra configure flags),
# DEMO_ARGS, BENCH_ARGS, PYTEST_ARGS, FUZZ_CXX, FUZZ_SECONDS, FUZZERS.

SHELL := /bin/bash
.DEFAULT_GOAL := build

# The Python that has pytest and the -dev headers: Debian's, not whatever is first on PATH.
PYTHON     := /usr/bin/python3
BUILD_DIR  := build
JOBS       ?= 2
BUILD_TYPE ?= RelWithDebInfo
CMAKE_ARGS ?=
DEMO_ARGS  ?=
BENCH_ARGS ?=
PYTEST_ARGS ?=
FUZZ_CXX     ?= clang++-16
FUZZ_SECONDS ?= 180
FUZZERS      ?= record notification money tokenize

PYTHON_FLAGS := -DPython_EXECUTABLE=$(PYTHON) -DPython3_EXECUTABLE=$(PYTHON) -DPYTHON_EXECUTABLE=$(PYTHON)
DEMO_FILE    := $(CURDIR)/$(BUILD_DIR)/demo.souk

.PHONY: all deps configure build test ctest pytest demo bench bench-quick sanitize tsan fuzz clean

all: build

deps:
	@bash scripts/install-deps.sh

# Configuring every time is cheap and keeps build/ in step with the flags below.
configure: deps
	cmake -S . -B $(BUILD_DIR) --no-warn-unused-cli -DCMAKE_BUILD_TYPE=$(BUILD_TYPE) $(PYTHON_FLAGS) $(CMAKE_ARGS)

build: configure
	cmake --build $(BUILD_DIR) -j $(JOBS)

# Both suites run even if the first fails, so one run shows every failure; either failing
# fails make. ctest refuses an empty test list; pytest's exit 5 (no tests collected) fails too.
test: build
	@status=0; \
	ctest --test-dir $(BUILD_DIR) --output-on-failure --no-tests=error -j $(JOBS) || status=1; \
	PYTHONPATH="$(CURDIR)/$(BUILD_DIR)/bindings/python$${PYTHONPATH:+:$$PYTHONPATH}" \
	  $(PYTHON) -m pytest -q -p no:cacheprovider $(PYTEST_ARGS) bindings/python/tests; rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "make test: pytest collected no tests in bindings/python/tests" >&2; fi; \
	if [ $$rc -ne 0 ]; then status=1; fi; \
	exit $$status

# The two halves of `make test`, for quicker iteration.
ctest: build
	ctest --test-dir $(BUILD_DIR) --output-on-failure --no-tests=error -j $(JOBS)

pytest: build
	PYTHONPATH="$(CURDIR)/$(BUILD_DIR)/bindings/python$${PYTHONPATH:+:$$PYTHONPATH}" \
	  $(PYTHON) -m pytest -q -p no:cacheprovider $(PYTEST_ARGS) bindings/python/tests

# A fresh marketplace file each run, so the demo is repeatable.
demo: build
	rm -f $(DEMO_FILE) $(DEMO_FILE)-wal $(DEMO_FILE)-shm $(DEMO_FILE)-journal
	$(BUILD_DIR)/examples/souk-demo $(DEMO_FILE) $(DEMO_ARGS)

# Run from the build tree so any scratch journals the benchmarks write stay out of the sources.
bench: build
	cd $(BUILD_DIR) && ./benchmarks/souk-bench $(BENCH_ARGS)

bench-quick: build
	cd $(BUILD_DIR) && ./benchmarks/souk-bench --quick $(BENCH_ARGS)

# Sanitizer builds run the C++ suites only (the Python module would need the runtime preloaded;
# the packaging tests only re-check the build system).
sanitize: deps
	cmake -S . -B build-asan --no-warn-unused-cli -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	  -DSOUK_SANITIZE=address,undefined -DSOUK_BUILD_PYTHON=OFF $(CMAKE_ARGS)
	cmake --build build-asan -j $(JOBS)
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	  ctest --test-dir build-asan --output-on-failure --no-tests=error -j $(JOBS) -LE packaging

tsan: deps
	cmake -S . -B build-tsan --no-warn-unused-cli -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	  -DSOUK_SANITIZE=thread -DSOUK_BUILD_PYTHON=OFF $(CMAKE_ARGS)
	cmake --build build-tsan -j $(JOBS)
	TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1 \
	  ctest --test-dir build-tsan --output-on-failure --no-tests=error -j $(JOBS) -LE packaging

# Not part of `make test` (the ctest label `fuzz` replays the checked-in corpora there). New
# inputs go to build-fuzz/corpus/, findings to build-fuzz/artifacts/ (tests/fuzz/README.md).
fuzz:
	@command -v $(FUZZ_CXX) >/dev/null || { echo "make fuzz: $(FUZZ_CXX) not found (Debian 12: apt-get install clang-16 libclang-rt-16-dev)" >&2; exit 1; }
	cmake -S . -B build-fuzz --no-warn-unused-cli -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=$(FUZZ_CXX) \
	  -DSOUK_BUILD_FUZZERS=ON -DSOUK_BUILD_TESTS=OFF -DSOUK_BUILD_EXAMPLES=OFF -DSOUK_BUILD_BENCHMARKS=OFF \
	  -DSOUK_BUILD_PYTHON=OFF -DSOUK_INSTALL=OFF $(CMAKE_ARGS)
	cmake --build build-fuzz -j $(JOBS)
	@for name in $(FUZZERS); do \
	  mkdir -p build-fuzz/corpus/$$name build-fuzz/artifacts/$$name; \
	  echo "make fuzz: $$name for $(FUZZ_SECONDS) s"; \
	  build-fuzz/tests/fuzz/souk-fuzz-$$name -max_total_time=$(FUZZ_SECONDS) -timeout=10 -rss_limit_mb=2048 \
	    -artifact_prefix=build-fuzz/artifacts/$$name/ build-fuzz/corpus/$$name tests/fuzz/corpus/$$name || exit 1; \
	done

clean:
	rm -rf $(BUILD_DIR) build-asan build-tsan build-fuzz
