#!/usr/bin/env bash
# The one test command: installs what browser tests need, builds the solution, runs every test.
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

ensure_chromium

export DOTNET_CLI_TELEMETRY_OPTOUT=1
export DOTNET_NOLOGO=1

echo "== restore"
dotnet restore KelolaPesan.sln

echo "== build (Release)"
dotnet build KelolaPesan.sln -c Release --no-restore

echo "== test"
# Console logger at normal verbosity names every failed test with its message; the trx file
# keeps the full record. A hung browser test is killed after 5 minutes instead of eating the
# CI job's 90 (dump type none: the report of which test hung is what we need, not a 1 GB dump).
dotnet test KelolaPesan.Tests/KelolaPesan.Tests.csproj -c Release --no-build \
    --results-directory TestResults \
    --logger "console;verbosity=normal" \
    --logger "trx;LogFileName=tests.trx" \
    --blame-hang-timeout 5m --blame-hang-dump-type none
