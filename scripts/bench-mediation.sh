#!/usr/bin/env bash
# make bench, part 3 (issue 14): the Excel import of a district's year of
# people's mediation cases (13,000 rows) — read with excelize's row
# iterator, every row checked, written in batches in one transaction — in
# rows per second beside a raw batch insert of the same rows (the same
# multi-row INSERTs in one transaction, without the workbook or the checks).
# Target: the import at least half the raw rate. Never fails on time.
#   BENCH_DBS  "sqlite postgres" (default; postgres only when pg_isready answers)
set -euo pipefail
cd "$(dirname "$0")/.."
DBS=${BENCH_DBS:-sqlite postgres}
PGBASE=${FAZHI_TEST_PG:-postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable}
echo "== 人民调解案件导入：$(nproc) 核；负载 $(cut -d' ' -f1-3 /proc/loadavg)"
for kind in $DBS; do
  case $kind in
    sqlite) env -u FAZHI_TEST_PG FAZHI_BENCH_MEDIATION=1 go test -count=1 -run 'TestImportBench/sqlite' -v ./internal/mediation/ | grep '^BENCH' ;;
    postgres)
      if ! pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then echo "== PostgreSQL 未运行，跳过"; continue; fi
      FAZHI_TEST_PG="$PGBASE" FAZHI_BENCH_MEDIATION=1 go test -count=1 -run 'TestImportBench/postgres' -v ./internal/mediation/ | grep '^BENCH' ;;
    *) echo "未知数据库 $kind"; exit 2 ;;
  esac
done
