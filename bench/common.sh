# Shared by the benchmark scripts (sourced, not run). Needs BUILD_DIR and scratch set.

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
