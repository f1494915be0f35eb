#!/usr/bin/env bash
# make bench, part 2 (issue 11): a million findings, a concurrent client on
# loopback, each figure beside a baseline measured in the same run.
#   BENCH_RECORDS      findings to load (default 1000000)
#   BENCH_SECONDS      seconds per measured case (default 5; each case also stops at 5,000 requests)
#   BENCH_USERS        concurrent users (default 8)
#   BENCH_DBS          "sqlite postgres" (default; postgres only when pg_isready answers)
#   BENCH_EXPORT_YEAR  export only the findings found in that year (default 2025, about 1/7 of
#                      the rows, to keep the run to a few minutes; 0 exports all of them)
# Never fails on time. The machine may be shared: figures are what was seen.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${FAZHI_BIN:-bin/fazhi}
N=${BENCH_RECORDS:-1000000}
SECS=${BENCH_SECONDS:-5}
USERS=${BENCH_USERS:-8}
DBS=${BENCH_DBS:-sqlite postgres}
YEAR=${BENCH_EXPORT_YEAR:-2025}
PGBASE=${FAZHI_TEST_PG:-postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable}
tmp=$(mktemp -d)
pid=
pgdb=
cleanup() {
  [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true
  [ -n "$pgdb" ] && psql -q "$PGBASE" -c "DROP DATABASE IF EXISTS $pgdb WITH (FORCE)" >/dev/null 2>&1 || true
  rm -rf "$tmp"
}
trap cleanup EXIT
go build -o "$tmp/fazhi-bench" ./cmd/fazhi-bench
port=$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')
echo "== 机器：$(nproc) 核，$(awk '/MemTotal/{printf "%.0f GB", $2/1048576}' /proc/meminfo)，$(uname -sr)；$(date -u '+%Y-%m-%d %H:%M UTC')；负载 $(cut -d' ' -f1-3 /proc/loadavg)"
for kind in $DBS; do
  case $kind in
    sqlite) dsn="$tmp/bench.db" ;;
    postgres)
      if ! pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then echo "== PostgreSQL 未运行，跳过"; continue; fi
      pgdb="fazhi_bench_$$"
      psql -q "$PGBASE" -c "CREATE DATABASE $pgdb TEMPLATE template0 ENCODING 'UTF8'" >/dev/null
      dsn="${PGBASE%%/postgres\?*}/$pgdb?sslmode=disable" ;;
    *) echo "未知数据库 $kind"; exit 2 ;;
  esac
  echo
  echo "== $kind：fazhi demo --records $N"
  t0=$(date +%s.%N)
  "$BIN" demo --db "$dsn" --records "$N" | sed 's/^/  /'
  echo "  合计 $(python3 -c "print(round($(date +%s.%N)-$t0,1))") 秒"
  echo "== $kind：fazhi metric verify"
  "$BIN" metric verify --db "$dsn" | sed 's/^/  /'
  "$BIN" serve --db "$dsn" --addr "127.0.0.1:$port" >"$tmp/serve.log" 2>&1 & pid=$!
  for _ in $(seq 1 600); do curl -fs "http://127.0.0.1:$port/readyz" >/dev/null 2>&1 && break; sleep 0.1; done
  echo "== $kind：并发客户端（$USERS 个用户）"
  "$tmp/fazhi-bench" --url "http://127.0.0.1:$port" --db "$dsn" --pid "$pid" -c "$USERS" -d "${SECS}s" --export-year "$YEAR"
  kill "$pid"; wait "$pid" 2>/dev/null || true; pid=
  if [ -n "$pgdb" ]; then psql -q "$PGBASE" -c "DROP DATABASE IF EXISTS $pgdb WITH (FORCE)" >/dev/null; pgdb=; fi
done
