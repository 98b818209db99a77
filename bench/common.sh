# Shared by the benchmark scripts (sourced, not run). Needs BUILD_DIR set (and scratch, for start_server).

# Starts `ducklake serve` on 127.0.0.1:<port> with the given extra flags, waits until it is
# healthy and leaves its pid in $server.
start_server() {
  local port=$1; shift
  "$BUILD_DIR"/ducklake serve --listen "127.0.0.1:$port" --log-level warn "$@" &
  server=$!
  for _ in $(seq 100); do
    curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && return 0
    kill -0 $server 2>/dev/null || { echo "server died" >&2; exit 1; }
    sleep 0.1
  done
  echo "server did not start" >&2; exit 1
}

# Makes PostgreSQL and S3 (scripts/test-services.sh) reachable and loads their settings from
# $BUILD_DIR/test-services.env: started only when they are not already up, so a run inside `make test`
# uses (and does not wipe) the suites' services.
ensure_services() {
  local settings="$BUILD_DIR/test-services.env"
  if ! { [ -f "$settings" ] && ( . "$settings"
           psql -X -q -tA "$DUCKLAKE_TEST_POSTGRES" -c 'SELECT 1' >/dev/null 2>&1 &&
             curl -sf -m 5 "$DUCKLAKE_TEST_S3_ENDPOINT/healthcheck" >/dev/null ); }; then
    SERVICES_ENV="$settings" scripts/test-services.sh start >/dev/null
  fi
  . "$settings"
}

# Fails unless $BUILD_DIR/ducklake exists: the driver scripts run it as it is, they do not build.
require_binary() {
  if [ ! -x "$BUILD_DIR/ducklake" ]; then
    echo "$BUILD_DIR/ducklake is missing; build it first (make build). This script does not build." >&2
    exit 1
  fi
}

# Runs a Python driver (bench/*_bench.py) with --binary, --scratch (a fresh directory) and the
# given arguments, and waits for it. On any exit it is stopped, asked to remove what it could not
# (`DRIVER --cleanup --scratch DIR`, when its list of resources is not empty), and the scratch
# directory goes.
run_driver() {
  driver_script=$1; shift
  scratch=$(mktemp -d /tmp/ducklake-bench.XXXXXX)
  driver=
  trap stop_driver EXIT
  trap 'exit 130' INT TERM
  /usr/bin/python3 "$driver_script" --binary "$BUILD_DIR/ducklake" --scratch "$scratch" "$@" &
  driver=$!
  wait "$driver"
}

stop_driver() {
  if [ -n "$driver" ] && kill -0 "$driver" 2>/dev/null; then kill -TERM "$driver"; wait "$driver" || true; fi
  [ -s "$scratch/resources" ] && /usr/bin/python3 "$driver_script" --cleanup --scratch "$scratch" || true
  rm -rf "$scratch"
}
