# DuckLake: `make run` starts the embedded server, `make test` runs every suite.
# Both install what is missing first (scripts/setup.sh needs root for apt-get on a fresh machine).

BUILD_DIR ?= build
# make test builds (once) with AddressSanitizer and UndefinedBehaviorSanitizer and runs every suite
# on that build; the libFuzzer targets are a clang build of their own.
TEST_BUILD_DIR ?= build-sanitize
FUZZ_BUILD_DIR ?= build-fuzz
FUZZ_SECONDS ?= 30
JOBS ?= 2
PYTHON ?= /usr/bin/python3
# Sanitizer reports fail the run. LeakSanitizer stays off: DuckDB (not built here) keeps its
# caches until exit, and the servers' exit codes are part of the tests.
SANITIZER_ENV = ASAN_OPTIONS=detect_leaks=0:abort_on_error=1:strict_string_checks=1 \
  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1

# The conformance suite (tests/conformance): the corpus, SEED's random queries (N) and write
# sequences (DML), and the ingest files, compared with in-process DuckDB. make test runs the CI seed;
# make conformance SEED=… N=… runs any.
SEED ?= 20261205
N ?= 400
DML ?= 10
CONFORMANCE_ARGS = --corpus tests/conformance/corpus --seed $(SEED) --queries $(N) --dml $(DML) --ingest

.PHONY: all setup build run test lint layering unit-test http-test http-test-postgres-s3 cli-test cli-test-postgres-s3 \
  python-test python-test-postgres-s3 chart-test image image-test conformance conformance-run lake-reader-run \
  conformance-test fuzz fuzz-smoke bench bench-build bench-smoke bench-smoke-run bench-test clean web web-test web-e2e

all: build

setup:
	scripts/setup.sh

# make test runs its suites with BUILD_DIR set to the test build: that one's own rule configures it.
ifneq ($(BUILD_DIR),$(TEST_BUILD_DIR))
$(BUILD_DIR)/CMakeCache.txt: CMakeLists.txt
	cmake -S . -B $(BUILD_DIR) -DCMAKE_BUILD_TYPE=RelWithDebInfo
endif

build: setup $(BUILD_DIR)/CMakeCache.txt
	cmake --build $(BUILD_DIR) --target ducklake -j $(JOBS)
	$(MAKE) --no-print-directory web

# The web data browser (web/), built into $(BUILD_DIR)/web: the binary serves it from beside itself.
# Rebuilt only when its sources or the API document change; npm's packages stay in web/node_modules.
WEB_SOURCES := $(shell find web/src web/public web/index.html web/package.json web/vite.config.ts \
  web/tsconfig.json web/tsconfig.app.json web/tsconfig.node.json -type f ! -name '*.gen.ts' 2>/dev/null) docs/openapi.json

# Node.js 20 from .deps/node when the machine's is older (scripts/setup.sh fetches it then).
export PATH := $(CURDIR)/.deps/node/bin:$(PATH)

web/node_modules/.package-lock.json: web/package-lock.json
	cd web && npm ci --no-audit --no-fund --loglevel=error

web: $(BUILD_DIR)/web/index.html

$(BUILD_DIR)/web/index.html: web/node_modules/.package-lock.json $(WEB_SOURCES)
	cd web && npm run --silent build -- --outDir $(CURDIR)/$(BUILD_DIR)/web --emptyOutDir --logLevel warn

# DUCKLAKE_LISTEN (host:port) and DUCKLAKE_DATA_DIR are read by the binary itself.
run: build
	$(BUILD_DIR)/ducklake serve

$(TEST_BUILD_DIR)/CMakeCache.txt: CMakeLists.txt
	cmake -S . -B $(TEST_BUILD_DIR) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DDUCKLAKE_SANITIZE=ON

# Builds once (ASan + UBSan), starts PostgreSQL and S3 (Swift s3api) on 127.0.0.1, then runs the
# unit tests (every backend), the HTTP, CLI and Python suites twice (on the embedded default and on
# PostgreSQL + S3), the chart checks, conformance, the web tests and a smoke run of every benchmark;
# then a smoke run of every fuzz target, and the container image built from deploy/Containerfile and
# run. The static checks and the benchmark suite's own tests run first: they take seconds.
test: setup lint bench-test $(TEST_BUILD_DIR)/CMakeCache.txt
	cmake --build $(TEST_BUILD_DIR) -j $(JOBS)
	cmake --build $(TEST_BUILD_DIR) --target ducklake_bench -j $(JOBS)
	cd tests/arrow_reader && npm ci --silent --no-audit --no-fund
	$(MAKE) --no-print-directory BUILD_DIR=$(TEST_BUILD_DIR) web
	SERVICES_ENV=$(TEST_BUILD_DIR)/test-services.env scripts/test-services.sh start
	. $(TEST_BUILD_DIR)/test-services.env && DUCKLAKE_TEST_REQUIRE_BACKENDS=1 $(SANITIZER_ENV) \
	  $(MAKE) --no-print-directory BUILD_DIR=$(TEST_BUILD_DIR) unit-test http-test http-test-postgres-s3 \
	  cli-test cli-test-postgres-s3 python-test python-test-postgres-s3 chart-test conformance-test web-test web-e2e \
	  bench-smoke-run
	$(MAKE) --no-print-directory fuzz-smoke
	$(MAKE) --no-print-directory image-test

lint: layering
	$(PYTHON) -m pyflakes $$(git ls-files '*.py')

# Fails when a source file includes a header of a module it must not depend on (docs/ARCHITECTURE.md).
layering:
	$(PYTHON) scripts/check-layering.py --self-test

unit-test:
	cd $(BUILD_DIR) && ctest --output-on-failure -j $(JOBS)

# A pytest suite of tests/$(1) against $(BUILD_DIR)/ducklake; $(2) is extra environment.
pytest_suite = $(2) DUCKLAKE_BIN=$(CURDIR)/$(BUILD_DIR)/ducklake $(PYTHON) -m pytest tests/$(1) -q -p no:cacheprovider

http-test:
	$(call pytest_suite,http)

http-test-postgres-s3:
	$(call pytest_suite,http,DUCKLAKE_TEST_BACKEND=postgres-s3)

# The client commands (tests/cli), driven as a user drives them against real servers; the
# interactive shell through tmux.
cli-test:
	$(call pytest_suite,cli)

cli-test-postgres-s3:
	$(call pytest_suite,cli,DUCKLAKE_TEST_BACKEND=postgres-s3)

# The Python client (python/ducklake), its fsspec filesystem, the test-data generator and the marimo
# notebooks (tests/python), against real servers.
python-test:
	$(call pytest_suite,python)

python-test-postgres-s3:
	$(call pytest_suite,python,DUCKLAKE_TEST_BACKEND=postgres-s3)

# The Helm chart (deploy/helm/ducklake), offline: rendered with every values file in ci/, each
# document validated against the Kubernetes schemas, policy checks, values the schema must refuse,
# and the server started with the chart's settings and generated admin token.
chart-test:
	DUCKLAKE_BIN=$(CURDIR)/$(BUILD_DIR)/ducklake deploy/checks/run.sh

# The container image (deploy/Containerfile, built with podman; no registry needed), then run as a
# user runs it (tests/deploy).
image:
	deploy/build-image.sh

image-test: image
	$(PYTHON) -m pytest tests/deploy -q -p no:cacheprovider

# The web app's component tests (vitest, jsdom) and its end-to-end tests in Chromium, each against
# real `ducklake serve` processes on the embedded backends. Screenshots go to build/web-e2e/.
web-test: web/node_modules/.package-lock.json
	cd web && DUCKLAKE_BIN=$(CURDIR)/$(BUILD_DIR)/ducklake npm test --silent

web-e2e: web
	cd web && DUCKLAKE_BIN=$(CURDIR)/$(BUILD_DIR)/ducklake DUCKLAKE_SCREENSHOTS=$(CURDIR)/build/web-e2e \
	  npm run --silent e2e

# Each run starts a server of its own on DUCKLAKE_TEST_BACKEND (embedded unless said otherwise).
conformance-run:
	DUCKLAKE_BIN=$(CURDIR)/$(BUILD_DIR)/ducklake $(PYTHON) tests/conformance/run.py \
	  --bin $(BUILD_DIR)/ducklake_conformance -- $(CONFORMANCE_ARGS)

# On both backends: everything on the embedded one; on PostgreSQL + S3 the corpus, the ingest files
# and a shorter random run.
conformance-test:
	$(MAKE) --no-print-directory conformance-run
	DUCKLAKE_TEST_BACKEND=postgres-s3 $(MAKE) --no-print-directory conformance-run N=100 DML=3
	$(MAKE) --no-print-directory lake-reader-run
	DUCKLAKE_TEST_BACKEND=postgres-s3 $(MAKE) --no-print-directory lake-reader-run

# The catalog read and written by the official DuckLake extension (tests/conformance/lake_reader_suite.hpp),
# when ../shared/ducklake-extension has it.
lake-reader-run:
	DUCKLAKE_BIN=$(CURDIR)/$(BUILD_DIR)/ducklake $(PYTHON) tests/conformance/run.py --lake-reader \
	  --bin $(BUILD_DIR)/ducklake_conformance --

conformance: setup $(BUILD_DIR)/CMakeCache.txt
	cmake --build $(BUILD_DIR) --target ducklake ducklake_conformance -j $(JOBS)
	$(MAKE) --no-print-directory conformance-run

$(FUZZ_BUILD_DIR)/CMakeCache.txt: CMakeLists.txt tests/fuzz/CMakeLists.txt
	CC=clang CXX=clang++ cmake -S . -B $(FUZZ_BUILD_DIR) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DDUCKLAKE_FUZZ=ON

fuzz: setup $(FUZZ_BUILD_DIR)/CMakeCache.txt
	cmake --build $(FUZZ_BUILD_DIR) -j $(JOBS)

# FUZZ_SECONDS of each target from the checked-in corpus (new inputs go to a scratch directory).
fuzz-smoke: fuzz
	scripts/fuzz-smoke.sh $(FUZZ_BUILD_DIR)/tests/fuzz $(FUZZ_SECONDS)

# The benchmarks (bench/suite.py runs every script in bench/): `make bench` at sizes that take about
# 30 minutes on 2 cores; it prints the ratio tables and every ratio that fell by more than 15 % since
# its last recorded run, writes bench/results/<UTC time>.json and regenerates the generated section
# of docs/BENCHMARKS.md with its plots. BENCH_ARGS passes more: --only files,cli, --no-docs.
# `make bench-smoke` runs every script at tiny sizes (a minute or two): it checks that each runs and
# records its figures, not their speed; make test runs it on the sanitizer build.
bench: bench-build
	$(PYTHON) bench/suite.py --build-dir $(BUILD_DIR) $(BENCH_ARGS)

bench-smoke: bench-build
	$(MAKE) --no-print-directory bench-smoke-run

bench-smoke-run:
	$(PYTHON) bench/suite.py --smoke --build-dir $(BUILD_DIR) $(BENCH_ARGS)

# The benchmark programs beside the server: the build's ducklake (and web app) and ducklake_bench,
# which the default target leaves out.
bench-build: build
	cmake --build $(BUILD_DIR) --target ducklake_bench -j $(JOBS)

# bench/suite.py's comparison, record contract and docs regeneration, on synthetic records.
bench-test:
	$(PYTHON) -m pytest tests/bench -q -p no:cacheprovider

clean:
	rm -rf $(BUILD_DIR) $(TEST_BUILD_DIR) $(FUZZ_BUILD_DIR)
