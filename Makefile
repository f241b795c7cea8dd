# govhall — the two commands a newcomer needs are `make run` and `make test`.
SHELL := /bin/bash
PY ?= python3
UV_VERSION := 0.13.8
UV := .tools/bin/uv
VENV := .venv
BIN := $(VENV)/bin
STATIC := platform/govhall/static/web
PORT ?= 8000

.PHONY: run test install ui api-client db demo serve test-unit test-pg test-e2e browser bench lint typecheck clean

## make run: install everything, build the UI, migrate, load the demo, serve on http://127.0.0.1:$(PORT).
## Quiet by default: the steps' output goes to var/make-run.log and a short banner ends it (the URL to open, the
## demo logins); `make run V=1` shows everything (debug lines, build warnings, the server's log).
V ?= 0
RUNLOG := var/make-run.log
ifeq ($(V),1)
QUIET :=
SERVE_LOG_LEVEL ?= INFO
else
QUIET := >>$(RUNLOG) 2>&1
SERVE_LOG_LEVEL ?= WARNING
endif

run:
	@mkdir -p var && : > $(RUNLOG)
	@echo "govhall: 安装依赖、构建界面、迁移数据库、加载演示数据 · installing, building, migrating, loading the demo ..."
	@$(MAKE) --no-print-directory install ui db $(QUIET) || { tail -n 40 $(RUNLOG); echo "failed: see $(RUNLOG)"; exit 1; }
	@$(BIN)/govhall demo --banner http://127.0.0.1:$(PORT) $(if $(QUIET),2>>$(RUNLOG)) || { tail -n 40 $(RUNLOG); exit 1; }
	@GOVHALL_LOG_LEVEL=$(SERVE_LOG_LEVEL) $(BIN)/govhall serve --host 127.0.0.1 --port $(PORT)

## make test: install test dependencies (Chromium, CJK fonts), run unit/integration (SQLite, and PostgreSQL
## when GOVHALL_TEST_DATABASE_URL is set) and the e2e suite
test: install ui browser lint test-unit test-pg test-e2e

$(UV):
	$(PY) -m venv .tools
	.tools/bin/pip install --quiet uv==$(UV_VERSION)

install: $(UV)
	$(UV) sync --frozen --quiet
	cd frontend && npm ci --no-audit --no-fund --loglevel=error

ui:
	cd frontend && npm run build --silent
	mkdir -p $(STATIC)/vendor/swagger-ui
	if [ -d frontend/node_modules/swagger-ui-dist ]; then cp frontend/node_modules/swagger-ui-dist/swagger-ui{.css,-bundle.js,-standalone-preset.js} $(STATIC)/vendor/swagger-ui/; fi

## make api-client: the UI's typed API client from the server's OpenAPI document (commit frontend/src/api/ after a
## route change; tests/system/test_openapi.py fails while it is stale). `npm run build` regenerates the types too.
api-client:
	$(BIN)/govhall openapi -o frontend/src/api/openapi.json
	cd frontend && npm run --silent api-types

db:
	$(BIN)/govhall db upgrade

demo:
	$(BIN)/govhall demo

serve:
	$(BIN)/govhall serve --host 127.0.0.1 --port $(PORT)

## Debian's Chromium and CJK fonts for the e2e suite (Playwright never downloads a browser here)
browser:
	@if ! command -v chromium >/dev/null || ! fc-list 2>/dev/null | grep -qi "Noto Sans CJK"; then \
	  SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq chromium fonts-noto-cjk >/dev/null; \
	fi

test-unit:
	GOVHALL_TEST_DATABASE_URL= $(BIN)/python -m pytest tests -q -p no:cacheprovider

test-pg:
	@if [ -n "$$GOVHALL_TEST_DATABASE_URL" ]; then \
	  echo "== the same suite on PostgreSQL"; $(BIN)/python -m pytest tests -q -p no:cacheprovider; \
	else echo "== GOVHALL_TEST_DATABASE_URL not set: PostgreSQL run skipped"; fi

test-e2e:
	$(BIN)/python -m pytest e2e -q -p no:cacheprovider

bench: install
	$(BIN)/python -m bench

## make lint: ruff, the floors of platform/govhall (import-linter contract in pyproject.toml, no exceptions) and
## the type checker
lint: typecheck
	$(BIN)/ruff check platform plugins tests e2e bench
	$(BIN)/lint-imports --no-cache

## make typecheck: mypy over platform/ and plugins/ ([tool.mypy] in pyproject.toml), no errors allowed
typecheck:
	$(BIN)/mypy

clean:
	rm -rf $(VENV) .tools frontend/node_modules $(STATIC) var
