#!/usr/bin/env bash
# Benchmarks: prints figures and ratios against a baseline measured in the
# same run. Never fails on time.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${FAZHI_BIN:-bin/fazhi}
tmp=$(mktemp -d); trap 'rm -rf "$tmp"; [ -n "${pid:-}" ] && kill "$pid" 2>/dev/null || true' EXIT
port=$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')

now_ms() { date +%s%3N; }
wait_ready() { for _ in $(seq 1 2000); do curl -fs "http://127.0.0.1:$port/readyz" >/dev/null 2>&1 && return 0; sleep 0.005; done; return 1; }

echo "== 启动到就绪（空 SQLite 数据库，含迁移），5 次"
total=0
for i in 1 2 3 4 5; do
  rm -f "$tmp"/s*.db*
  t0=$(now_ms)
  "$BIN" serve --db "$tmp/s$i.db" --addr "127.0.0.1:$port" >/dev/null 2>&1 & pid=$!
  wait_ready
  t1=$(now_ms)
  kill "$pid"; wait "$pid" 2>/dev/null || true; pid=
  echo "  第 $i 次：$((t1 - t0)) ms"
  total=$((total + t1 - t0))
done
echo "  平均：$((total / 5)) ms（目标 < 1000 ms）"

echo "== Go 基准（API 与基线之比，见各基准输出的 ratio）"
go test -run='^$' -bench=. -benchtime=2s ./internal/app/ 2>&1 | grep -E 'Benchmark|ratio|ok' || true
