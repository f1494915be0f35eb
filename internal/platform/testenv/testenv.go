// Package testenv is the one place the test harness reads its settings from
// the environment. They are not app.Config fields because the server never
// reads them: they tell `go test` which PostgreSQL server to create
// throw-away databases on, and where to keep generated PDFs for a person to
// look at. Every setting the running program reads belongs in app.Config
// (flag, FAZHI_* variable, --help, the README table); tests import this
// package, never os.Getenv.
package testenv

import "os"

// EnvPG names the variable holding the base PostgreSQL DSN of the tests,
// such as postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable
// (`make test` sets it when a server answers on 127.0.0.1:5432).
const EnvPG = "FAZHI_TEST_PG"

// PGBase is the base PostgreSQL DSN read from FAZHI_TEST_PG; empty means
// the tests run on SQLite only. Each test creates (and drops) its own
// database on that server.
var PGBase = os.Getenv(EnvPG)

// PDFOut is the directory named by FAZHI_PDF_OUT where the PDF tests keep
// the documents they generate and their page images; empty keeps nothing.
var PDFOut = os.Getenv("FAZHI_PDF_OUT")

// BenchDB names a database already loaded with `fazhi demo --records N`
// (SQLite path or postgres:// URL) for internal/app's profiling benchmarks
// (FAZHI_BENCH_DB); empty skips them.
var BenchDB = os.Getenv("FAZHI_BENCH_DB")

// BenchExportYear is the year whose findings export those benchmarks time
// (FAZHI_BENCH_EXPORT_YEAR); empty leaves the export out.
var BenchExportYear = os.Getenv("FAZHI_BENCH_EXPORT_YEAR")

// BenchImportRows is how many findings BenchmarkLoadedImport uploads in one
// workbook (FAZHI_BENCH_IMPORT_ROWS); empty means 1,000.
var BenchImportRows = os.Getenv("FAZHI_BENCH_IMPORT_ROWS")

// BenchMediation turns on mediation's import benchmark, 13,000 cases against a
// raw batch insert of the same rows (FAZHI_BENCH_MEDIATION, set by make bench);
// empty skips it.
var BenchMediation = os.Getenv("FAZHI_BENCH_MEDIATION")

// EnforcementFull makes enforcement's import test load all 10,000 rows on
// PostgreSQL too (FAZHI_ENFORCEMENT_FULL); empty loads 2,000 there.
var EnforcementFull = os.Getenv("FAZHI_ENFORCEMENT_FULL")
