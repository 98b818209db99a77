# DuckLake: `make run` starts the embedded server, `make test` runs every suite.
# Both install what is missing first (scripts/setup.sh needs root for apt-get on a fresh machine).

BUILD_DIR ?= build
JOBS ?= 2
PYTHON ?= /usr/bin/python3

.PHONY: all setup build run test unit-test http-test bench clean

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

test: setup $(BUILD_DIR)/CMakeCache.txt
	scripts/setup.sh --test
	cmake --build $(BUILD_DIR) -j $(JOBS)
	cd tests/arrow_reader && npm ci --silent --no-audit --no-fund
	$(MAKE) unit-test http-test

unit-test:
	cd $(BUILD_DIR) && ctest --output-on-failure -j $(JOBS)

http-test:
	DUCKLAKE_BIN=$(CURDIR)/$(BUILD_DIR)/ducklake $(PYTHON) -m pytest tests/http -q -p no:cacheprovider

bench: build
	bench/run.sh

clean:
	rm -rf $(BUILD_DIR)
