#!/usr/bin/env bash
# Browser tests against a real `fazhi serve` on a fresh demo database.
#
#   FAZHI_BIN=bin/fazhi scripts/browser-test.sh [filter]
#
# Installs Debian's chromium (and CJK fonts) with apt-get when missing, loads
# the demo district into a temporary SQLite file, starts the server on a free
# port, waits for /readyz, runs web/e2e/run.mjs and always stops the server.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
FAZHI_BIN="${FAZHI_BIN:-bin/fazhi}"

if [[ ! -x "$FAZHI_BIN" ]]; then
  echo "browser-test: $FAZHI_BIN not found or not executable (run make build first)" >&2
  exit 2
fi

if [[ ! -x /usr/bin/chromium ]]; then
  echo "browser-test: installing chromium and fonts-noto-cjk with apt-get" >&2
  SUDO=""
  if [[ $(id -u) -ne 0 ]]; then SUDO="sudo"; fi
  $SUDO apt-get update
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y chromium fonts-noto-cjk
fi

if [[ ! -d web/node_modules/playwright-core ]]; then
  echo "browser-test: installing front-end dependencies (npm ci)" >&2
  (cd web && npm ci --no-audit --no-fund)
fi

TMP="$(mktemp -d -t fazhi-browser-XXXXXX)"
SERVER_PID=""
cleanup() {
  if [[ -n "$SERVER_PID" ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill "$SERVER_PID" 2>/dev/null || true
    for _ in $(seq 1 50); do
      kill -0 "$SERVER_PID" 2>/dev/null || break
      sleep 0.1
    done
    kill -9 "$SERVER_PID" 2>/dev/null || true
  fi
  rm -rf "$TMP"
}
trap cleanup EXIT INT TERM

# A free port: ask the kernel for one.
PORT="$(node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')"
BASE_URL="http://127.0.0.1:$PORT"

echo "browser-test: loading demo data into $TMP/fazhi.db"
"$FAZHI_BIN" demo --db "$TMP/fazhi.db" >"$TMP/demo.log" 2>&1 || { cat "$TMP/demo.log" >&2; exit 1; }

echo "browser-test: starting $FAZHI_BIN serve on $BASE_URL"
"$FAZHI_BIN" serve --db "$TMP/fazhi.db" --addr "127.0.0.1:$PORT" >"$TMP/serve.log" 2>&1 &
SERVER_PID=$!

probe() {
  if command -v curl >/dev/null 2>&1; then
    [[ "$(curl -s -o /dev/null -w '%{http_code}' "$1" || true)" == "200" ]]
  else
    node -e 'fetch(process.argv[1]).then(r=>process.exit(r.status===200?0:1),()=>process.exit(1))' "$1"
  fi
}

ready=""
deadline=$((SECONDS + 30))
while (( SECONDS < deadline )); do
  if ! kill -0 "$SERVER_PID" 2>/dev/null; then
    echo "browser-test: server exited early" >&2
    cat "$TMP/serve.log" >&2
    exit 1
  fi
  if probe "$BASE_URL/readyz"; then ready=1; break; fi
  sleep 0.1
done
if [[ -z "$ready" ]]; then
  echo "browser-test: $BASE_URL/readyz not 200 within 30s" >&2
  cat "$TMP/serve.log" >&2
  exit 1
fi

set +e
BASE_URL="$BASE_URL" node web/e2e/run.mjs "$@"
status=$?
set -e
if [[ $status -ne 0 ]]; then
  echo "browser-test: server log:" >&2
  tail -n 50 "$TMP/serve.log" >&2
fi
exit $status
