# `make run` serves the dashboard; `make test` runs lint, types and the test suite.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 8501
STAMP := $(VENV)/.installed

.PHONY: run test lint typecheck pytest install system-deps db bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): requirements.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $(STAMP)

install: $(STAMP)

db: install
	$(BIN)/python -m data_access init-db
	@$(BIN)/python -m data_access stats --json | $(BIN)/python -c "import json,sys; sys.exit(0 if json.load(sys.stdin)['plans'] else 1)" \
		|| $(BIN)/python -m data_access load-sample

run: db
	$(BIN)/python -m data_access preflight
	$(BIN)/streamlit run dashboard.py --server.headless true --server.port $(PORT)

lint: install
	$(BIN)/ruff check .

typecheck: install
	$(BIN)/mypy --strict data_access sample_data ui pages dashboard.py

# Debian packages the test suite drives: Chromium (browser tests) and nginx (deployment example).
# PostgreSQL is installed and started by scripts/test_postgres.sh when the suite needs it.
system-deps:
	@missing=""; \
	command -v chromium >/dev/null 2>&1 || missing="$$missing chromium"; \
	command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || missing="$$missing nginx-light"; \
	if [ -n "$$missing" ]; then \
		SUDO=""; [ "$$(id -u)" -ne 0 ] && SUDO=sudo; \
		echo "Cài gói Debian:$$missing"; \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing; \
	fi

pytest: install system-deps
	$(BIN)/python -m pytest -q

test: lint typecheck pytest

# Figures also go to JSON (artifacts/bench_*.json) and README.md's performance table is rebuilt from them.
BENCH_JSON ?= artifacts
bench: install
	$(BIN)/python -m benchmarks.pages --json $(BENCH_JSON)/bench_pages.json
	$(BIN)/python -m benchmarks.imports --json $(BENCH_JSON)/bench_imports.json
	$(BIN)/python -m benchmarks.readme_table $(BENCH_JSON)/bench_pages.json $(BENCH_JSON)/bench_imports.json

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
