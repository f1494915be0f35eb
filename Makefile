# fazhi — two commands: `make run` and `make test`. See README.md.
SHELL := /bin/bash
.DEFAULT_GOAL := run

VERSION  ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS  := -s -w -X fazhi/internal/app.Version=$(VERSION)
GO       ?= go
BIN      := bin/fazhi
ADDR     ?= 127.0.0.1:8080
DB       ?= ./data/fazhi.db
export CGO_ENABLED := 0

# Tests use the machine's PostgreSQL when it answers (CI always sets it).
PG_DSN := postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable
FAZHI_TEST_PG ?= $(shell command -v pg_isready >/dev/null 2>&1 && pg_isready -q -h 127.0.0.1 -p 5432 && echo '$(PG_DSN)')
export FAZHI_TEST_PG

.PHONY: run build web web-deps doc-deps test test-go test-web test-browser test-reliability vet bench soak api-types clean

## run: build everything and start fazhi on ./data/fazhi.db with demo data
run: build
	@mkdir -p $(dir $(DB))
	@echo "------------------------------------------------------------"
	@echo " 法治政府建设管理平台 fazhi $(VERSION)"
	@echo " 地址：http://$(ADDR)"
	@echo " 演示账号：sifaju    密码：Fazhi@2026demo  （区司法局）"
	@echo " 其他演示账号：zfb（区政府办公室，记录集体讨论决定与公布）、leader、head_sj、clerk_sj、sysadmin、secadmin、auditor（密码相同）"
	@echo " 按 Ctrl+C 停止"
	@echo "------------------------------------------------------------"
	$(BIN) serve --db $(DB) --addr $(ADDR) --demo-if-empty

## build: the single binary with the web app embedded
build: web
	@mkdir -p bin
	$(GO) build -trimpath -tags embedweb -ldflags "$(LDFLAGS)" -o $(BIN) ./cmd/fazhi
	@echo "已生成 $(BIN)"

web-deps: web/node_modules/.package-lock.json

## doc-deps: LibreOffice, CJK fonts and poppler for the document tests (apt-get)
doc-deps:
	scripts/doc-deps.sh

web/node_modules/.package-lock.json: web/package-lock.json web/package.json
	cd web && npm ci --no-audit --no-fund --loglevel=error
	@touch $@

web: web-deps
	cd web && npm run build --silent

## test: everything CI checks
test: vet test-go test-web build test-browser test-reliability

vet:
	@test -z "$$(gofmt -l cmd internal test migrations web/*.go)" || (echo "gofmt 需要格式化："; gofmt -l cmd internal test migrations web/*.go; exit 1)
	$(GO) vet ./...

test-go:
	@if [ -n "$$FAZHI_TEST_PG" ]; then echo "Go 测试：SQLite 与 PostgreSQL"; else echo "Go 测试：仅 SQLite（PostgreSQL 未运行）"; fi
	$(GO) test -count=1 -timeout 40m ./...

test-web: web-deps
	cd web && npm test --silent

test-browser: build
	FAZHI_BIN=$(BIN) bash scripts/browser-test.sh

## test-reliability: SIGKILL during writes and an import, fifty clients on one record (short runs; docs/reliability.md)
test-reliability: build
	set -o pipefail; FAZHI_BIN=$(CURDIR)/$(BIN) $(GO) test -count=1 -timeout 20m -v ./test/reliability/ | grep -E '^(RELIABILITY|--- FAIL|FAIL|ok|PASS)|_test.go:'

## soak: the reliability suite's long runs (more kills, longer writes, more rounds); on demand
soak: build
	set -o pipefail; FAZHI_SOAK=1 FAZHI_BIN=$(CURDIR)/$(BIN) $(GO) test -count=1 -timeout 60m -v ./test/reliability/ | grep -E '^(RELIABILITY|--- FAIL|FAIL|ok|PASS)|_test.go:'

## bench: start-up time, API figures, and 1 M findings under a concurrent client (prints baselines; never fails on time; on demand, not part of test)
bench: build
	FAZHI_BIN=$(BIN) bash scripts/bench.sh
	FAZHI_BIN=$(BIN) bash scripts/bench-records.sh
	bash scripts/bench-mediation.sh

## api-types: regenerate web/openapi.json and the TypeScript types from the Go declarations
api-types:
	$(GO) run ./cmd/fazhi openapi > web/openapi.json
	cd web && npm run gen:api --silent

clean:
	rm -rf bin web/dist
