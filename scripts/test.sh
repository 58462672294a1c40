#!/usr/bin/env bash
# The one test command: installs what browser tests need, starts a throwaway PostgreSQL for the provider suites,
# builds the solution, runs every test.
# CI (.ci/run) calls exactly this, on a fresh Debian 12 machine as root.
set -euo pipefail

cd "$(dirname "$0")/.."

CHROMIUM=/usr/bin/chromium

ensure_chromium() {
    if [[ -x "$CHROMIUM" ]]; then
        return
    fi
    # Debian's Chromium, never a browser downloaded by `playwright install`: the machine's
    # closed network refuses that download. fonts-liberation gives pages a real Latin font.
    local packages=(chromium fonts-liberation)
    local run=()
    if [[ $(id -u) -ne 0 ]]; then
        if command -v sudo >/dev/null 2>&1; then
            run=(sudo)
        else
            echo "error: $CHROMIUM is missing and this is not root without sudo." >&2
            echo "       Install it first: apt-get install -y --no-install-recommends ${packages[*]}" >&2
            exit 1
        fi
    fi
    echo "== installing ${packages[*]} (apt-get)"
    local started=$SECONDS
    "${run[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q
    "${run[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${packages[@]}"
    echo "== chromium installed in $((SECONDS - started)) s: $("$CHROMIUM" --version)"
}

PG_BIN=/usr/lib/postgresql/15/bin

ensure_postgres() {
    if [[ -x "$PG_BIN/initdb" ]]; then
        return
    fi
    local run=()
    if [[ $(id -u) -ne 0 ]]; then
        if command -v sudo >/dev/null 2>&1; then
            run=(sudo)
        else
            echo "error: $PG_BIN/initdb is missing and this is not root without sudo." >&2
            echo "       Install it first: apt-get install -y --no-install-recommends postgresql" >&2
            exit 1
        fi
    fi
    echo "== installing postgresql (apt-get)"
    local started=$SECONDS
    "${run[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q
    "${run[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends postgresql
    echo "== postgresql installed in $((SECONDS - started)) s"
}

REDIS_SERVER=/usr/bin/redis-server

# Debian's redis-server for the Redis backplane tests (KelolaPesan.Tests/Infrastructure/RedisServer.cs starts its own
# on a free loopback port with a temp folder; nothing is started here).
ensure_redis() {
    if [[ -x "$REDIS_SERVER" ]]; then
        return
    fi
    local run=()
    if [[ $(id -u) -ne 0 ]]; then
        if command -v sudo >/dev/null 2>&1; then
            run=(sudo)
        else
            echo "error: $REDIS_SERVER is missing and this is not root without sudo." >&2
            echo "       Install it first: apt-get install -y --no-install-recommends redis-server" >&2
            exit 1
        fi
    fi
    echo "== installing redis-server (apt-get)"
    local started=$SECONDS
    "${run[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q
    "${run[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends redis-server
    # The package's own service is not needed (tests start their own); don't leave it listening on 6379.
    "${run[@]}" sh -c 'command -v systemctl >/dev/null 2>&1 && systemctl disable --now redis-server >/dev/null 2>&1; service redis-server stop >/dev/null 2>&1' || true
    echo "== redis-server installed in $((SECONDS - started)) s: $("$REDIS_SERVER" --version | awk '{print $3}')"
}

NGINX=/usr/sbin/nginx

# Debian's nginx, to check deploy/nginx.conf with `nginx -t` (KelolaPesan.Tests/Nodes/DeployFilesTests.cs). RUNLEVEL=1
# keeps the package from starting its own server on port 80; nothing is started here either.
ensure_nginx() {
    if [[ -x "$NGINX" ]]; then
        return
    fi
    local run=()
    if [[ $(id -u) -ne 0 ]]; then
        if command -v sudo >/dev/null 2>&1; then
            run=(sudo)
        else
            echo "error: $NGINX is missing and this is not root without sudo." >&2
            echo "       Install it first: apt-get install -y --no-install-recommends nginx" >&2
            exit 1
        fi
    fi
    echo "== installing nginx (apt-get)"
    local started=$SECONDS
    "${run[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q
    "${run[@]}" env DEBIAN_FRONTEND=noninteractive RUNLEVEL=1 apt-get install -y -q --no-install-recommends nginx
    "${run[@]}" sh -c 'command -v systemctl >/dev/null 2>&1 && systemctl disable --now nginx >/dev/null 2>&1; service nginx stop >/dev/null 2>&1' || true
    echo "== nginx installed in $((SECONDS - started)) s: $("$NGINX" -v 2>&1)"
}

# A throwaway cluster in a temp folder on a free loopback port, trusted local connections only, fsync off (its data
# is thrown away at the end). As root it runs as the `postgres` user (initdb refuses root). Stopped by the trap.
PG_DIR=""
start_postgres() {
    PG_DIR=$(mktemp -d /tmp/kelola-pg.XXXXXX)
    local port
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])' 2>/dev/null \
        || shuf -i 20000-60000 -n 1)
    local start="$PG_BIN/initdb -D $PG_DIR/data -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >$PG_DIR/initdb.log \
        && $PG_BIN/pg_ctl -D $PG_DIR/data -o '-p $port -k $PG_DIR -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300' -l $PG_DIR/log -w start >/dev/null"
    if [[ $(id -u) -eq 0 ]]; then
        chown postgres "$PG_DIR"
        su postgres -s /bin/sh -c "$start"
    else
        sh -c "$start"
    fi
    export KELOLA_TEST_POSTGRES="Host=127.0.0.1;Port=$port;Username=postgres;Database=postgres"
    echo "== postgresql $("$PG_BIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$port ($PG_DIR)"
}

stop_postgres() {
    [[ -n "$PG_DIR" && -d "$PG_DIR/data" ]] || return 0
    local stop="$PG_BIN/pg_ctl -D $PG_DIR/data -m fast -w stop >/dev/null"
    if [[ $(id -u) -eq 0 ]]; then
        su postgres -s /bin/sh -c "$stop" || true
    else
        sh -c "$stop" || true
    fi
    rm -rf "$PG_DIR"
}

ensure_chromium
ensure_postgres
ensure_redis
ensure_nginx
trap stop_postgres EXIT
start_postgres

export DOTNET_CLI_TELEMETRY_OPTOUT=1
export DOTNET_NOLOGO=1

echo "== restore"
dotnet restore KelolaPesan.sln

echo "== build (Release)"
dotnet build KelolaPesan.sln -c Release --no-restore

echo "== test"
# The two-node tests (KelolaPesan.Tests/Nodes) run KelolaPesan.Web/bin/Release/net10.0/KelolaPesan.Web.dll as processes:
# the build above made it (the test project references the Web project).
# Console logger at normal verbosity names every failed test with its message; the trx file
# keeps the full record. A hung browser test is killed after 5 minutes instead of eating the
# CI job's 90 (dump type none: the report of which test hung is what we need, not a 1 GB dump).
# CI keeps only the end of this log: after a failure the failed tests and their messages are repeated there.
mkdir -p TestResults
set +e
dotnet test KelolaPesan.Tests/KelolaPesan.Tests.csproj -c Release --no-build \
    --results-directory TestResults \
    --logger "console;verbosity=normal" \
    --logger "trx;LogFileName=tests.trx" \
    --blame-hang-timeout 5m --blame-hang-dump-type none 2>&1 | tee TestResults/console.log
status=${PIPESTATUS[0]}
set -e
if [[ $status -ne 0 ]]; then
    echo "== failed tests (repeated from above)"
    grep -E -A 20 '^\s+Failed [A-Za-z]' TestResults/console.log | cut -c1-400 | head -150 || true
fi
exit "$status"
