# DuckLake: `make run` starts the embedded server, `make test` runs every suite.
# Both install what is missing first (scripts/setup.sh needs root for apt-get on a fresh machine).

BUILD_DIR ?= build
JOBS ?= 2
PYTHON ?= /usr/bin/python3

.PHONY: all setup build run test unit-test http-test http-test-postgres-s3 bench clean

all: build

setup:
	scripts/setup.sh

$(BUILD_DIR)/CMakeCache.txt: CMakeLists.txt
	cmake -S . -B $(BUILD_DIR) -DCMAKE_BUILD_TYPE=RelWithDebInfo

build: setup $(BUILD_DIR)/CMakeCache.txt
	cmake --build $(BUILD_DIR) --target ducklake -j $(JOBS)

# DUCKLAKE_LISTEN (host:port) and DUCKLAKE_DATA_DIR are read by the binary itself.
run: build
	$(BUILD_DIR)/ducklake serve

# Builds once, starts PostgreSQL and S3 (Swift s3api) on 127.0.0.1, then runs the unit tests
# (every backend) and the HTTP suite twice: on the embedded default and on PostgreSQL + S3.
test: setup $(BUILD_DIR)/CMakeCache.txt
	cmake --build $(BUILD_DIR) -j $(JOBS)
	cd tests/arrow_reader && npm ci --silent --no-audit --no-fund
	scripts/test-services.sh start
	. $(BUILD_DIR)/test-services.env && DUCKLAKE_TEST_REQUIRE_BACKENDS=1 \
	  $(MAKE) --no-print-directory unit-test http-test http-test-postgres-s3

unit-test:
	cd $(BUILD_DIR) && ctest --output-on-failure -j $(JOBS)

http-test:
	DUCKLAKE_BIN=$(CURDIR)/$(BUILD_DIR)/ducklake $(PYTHON) -m pytest tests/http -q -p no:cacheprovider

http-test-postgres-s3:
	DUCKLAKE_TEST_BACKEND=postgres-s3 DUCKLAKE_BIN=$(CURDIR)/$(BUILD_DIR)/ducklake \
	  $(PYTHON) -m pytest tests/http -q -p no:cacheprovider

bench: build
	bench/run.sh

clean:
	rm -rf $(BUILD_DIR)
