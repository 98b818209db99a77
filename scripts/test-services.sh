#!/usr/bin/env bash
# Throw-away PostgreSQL 15 and S3 (OpenStack Swift with its s3api middleware) on 127.0.0.1 for the
# test suites. Installs them from Debian's packages if missing. Runs as root (initdb and postgres
# run as the 'postgres' OS user). Usage: scripts/test-services.sh start|stop
# `start` writes the connection settings to $SERVICES_ENV (default build/test-services.env).
set -euo pipefail
cd "$(dirname "$0")/.."
STATE=${DUCKLAKE_TEST_STATE:-/tmp/ducklake-test-services}
PG_PORT=${PG_PORT:-55432}
S3_PORT=${S3_PORT:-9100}
SERVICES_ENV=${SERVICES_ENV:-build/test-services.env}
PG_USER=ducklake PG_PASSWORD=ducklake-pw PG_DB=ducklake
S3_ACCESS_KEY=ducklake:ducklake S3_SECRET_KEY=ducklake-secret-123   # tempauth wants account:user
PGBIN=/usr/lib/postgresql/15/bin
SWIFT_SERVERS="account container object proxy"

apt_install() {
  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "$@" \
    >/dev/null 2>&1 || { apt-get -o DPkg::Lock::Timeout=600 update -qq >/dev/null &&
    DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "$@" >/dev/null; }
}

alive() { [ -r /proc/$1/stat ] && [ "$(awk '{print $3}' /proc/$1/stat 2>/dev/null)" != Z ]; }

pg_stop() {
  [ -f "$STATE/pg/data/postmaster.pid" ] || return 0
  runuser -u postgres -- $PGBIN/pg_ctl -D "$STATE/pg/data" -m fast -w -t 60 stop >/dev/null || true
}

pg_start() {
  [ -x $PGBIN/postgres ] || apt_install postgresql-15 postgresql-client-15
  pg_stop
  rm -rf "$STATE/pg" && mkdir -p "$STATE/pg" && chown postgres:postgres "$STATE/pg" && chmod 700 "$STATE/pg"
  runuser -u postgres -- $PGBIN/initdb -D "$STATE/pg/data" -U postgres -E UTF8 --locale=C.UTF-8 \
    --auth-local=peer --auth-host=scram-sha-256 >"$STATE/pg/initdb.log"
  cat >>"$STATE/pg/data/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $PG_PORT
unix_socket_directories = '$STATE/pg'
max_connections = 300
fsync = off
synchronous_commit = off
full_page_writes = off
CONF
  runuser -u postgres -- $PGBIN/pg_ctl -D "$STATE/pg/data" -l "$STATE/pg/server.log" -w -t 60 start >/dev/null
  $PGBIN/pg_isready -q -h 127.0.0.1 -p "$PG_PORT" -t 30
  # CREATEDB: each test gets a database of its own.
  runuser -u postgres -- psql -X -q -v ON_ERROR_STOP=1 -h "$STATE/pg" -p "$PG_PORT" -d postgres <<SQL
CREATE ROLE $PG_USER LOGIN CREATEDB PASSWORD '$PG_PASSWORD';
CREATE DATABASE $PG_DB OWNER $PG_USER;
SQL
}

s3_stop() {
  for name in $SWIFT_SERVERS; do
    local pid_file=$STATE/s3/run/$name.pid
    [ -f "$pid_file" ] || continue
    local pid; pid=$(cat "$pid_file"); kill "$pid" 2>/dev/null || true
    for _ in $(seq 50); do alive "$pid" || break; sleep 0.1; done
    rm -f "$pid_file"
  done
}

s3_start() {
  command -v swift-proxy-server >/dev/null || apt_install swift-proxy swift-object swift-container swift-account
  s3_stop
  local home=$STATE/s3 ap=$((S3_PORT + 2)) cp=$((S3_PORT + 1)) op=$((S3_PORT + 3))
  rm -rf "$home" && mkdir -p "$home"/{etc,node/d1,run,log}
  for spec in account:$ap container:$cp object:$op; do
    local name=${spec%%:*} port=${spec##*:}
    cat >"$home/etc/$name-server.conf" <<CONF
[DEFAULT]
swift_dir = $home/etc
devices = $home/node
mount_check = false
bind_ip = 127.0.0.1
bind_port = $port
workers = 0
user = root
log_level = WARNING
[pipeline:main]
pipeline = $name-server
[app:$name-server]
use = egg:swift#$name
CONF
  done
  cat >"$home/etc/proxy-server.conf" <<CONF
[DEFAULT]
swift_dir = $home/etc
bind_ip = 127.0.0.1
bind_port = $S3_PORT
workers = 0
user = root
log_level = WARNING
[pipeline:main]
pipeline = catch_errors gatekeeper healthcheck proxy-logging cache listing_formats bulk s3api tempauth copy slo dlo proxy-logging proxy-server
[app:proxy-server]
use = egg:swift#proxy
account_autocreate = true
[filter:s3api]
use = egg:swift#s3api
location = us-east-1
[filter:tempauth]
use = egg:swift#tempauth
user_${S3_ACCESS_KEY%%:*}_${S3_ACCESS_KEY#*:} = $S3_SECRET_KEY .admin
[filter:catch_errors]
use = egg:swift#catch_errors
[filter:gatekeeper]
use = egg:swift#gatekeeper
[filter:healthcheck]
use = egg:swift#healthcheck
[filter:proxy-logging]
use = egg:swift#proxy_logging
[filter:cache]
use = egg:swift#memcache
[filter:listing_formats]
use = egg:swift#listing_formats
[filter:bulk]
use = egg:swift#bulk
[filter:copy]
use = egg:swift#copy
[filter:slo]
use = egg:swift#slo
[filter:dlo]
use = egg:swift#dlo
CONF
  /usr/bin/python3 - "$home/etc" $ap $cp $op <<'PY'
import sys
from swift.common.ring import RingBuilder
directory, ports = sys.argv[1], [int(p) for p in sys.argv[2:]]
for name, port in zip(('account', 'container', 'object'), ports):
    builder = RingBuilder(6, 1, 1)
    builder.add_dev({'id': 0, 'region': 1, 'zone': 1, 'ip': '127.0.0.1', 'port': port, 'device': 'd1', 'weight': 100})
    builder.rebalance()
    builder.get_ring().save(f'{directory}/{name}.ring.gz')
PY
  for name in $SWIFT_SERVERS; do
    setsid /usr/bin/swift-$name-server "$home/etc/$name-server.conf" </dev/null >"$home/log/$name.log" 2>&1 &
    echo $! >"$home/run/$name.pid"
  done
  for _ in $(seq 150); do
    curl -sf -m 2 "http://127.0.0.1:$S3_PORT/healthcheck" >/dev/null && return 0
    sleep 0.2
  done
  echo "test-services: the S3 server did not start" >&2; tail -n 20 "$home"/log/*.log >&2; return 1
}

case "${1:-start}" in
  start)
    mkdir -p "$STATE" "$(dirname "$SERVICES_ENV")"
    pg_start
    s3_start
    cat >"$SERVICES_ENV" <<ENV
export DUCKLAKE_TEST_POSTGRES=postgresql://$PG_USER:$PG_PASSWORD@127.0.0.1:$PG_PORT/$PG_DB
export DUCKLAKE_TEST_S3_ENDPOINT=http://127.0.0.1:$S3_PORT
export DUCKLAKE_TEST_S3_ACCESS_KEY=$S3_ACCESS_KEY
export DUCKLAKE_TEST_S3_SECRET_KEY=$S3_SECRET_KEY
export DUCKLAKE_TEST_PG_ADMIN_SOCKET=$STATE/pg
export DUCKLAKE_TEST_PG_PORT=$PG_PORT
ENV
    echo "test-services: PostgreSQL on 127.0.0.1:$PG_PORT, S3 on 127.0.0.1:$S3_PORT"
    ;;
  stop) s3_stop; pg_stop ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
