# winback: the two front-door commands are `make demo` and `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := demo

UV_VERSION := 0.13.9
PYTHON ?= python3
TOOLS := .tools
VENV := .venv
BIN := $(VENV)/bin
DEMO_DIR := data/demo
DEMO_CUSTOMERS := 2500
DEMO_SEED := 42
export WINBACK_DUCKDB_PATH ?= target/winback.duckdb
export DBT_PROFILES_DIR := $(CURDIR)

.PHONY: setup demo-data demo test dbt-build pytest lint clean

# A project-local environment from the lock file; nothing is installed globally.
$(TOOLS)/bin/uv:
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

$(BIN)/dbt: $(TOOLS)/bin/uv pyproject.toml uv.lock
	UV_PROJECT_ENVIRONMENT=$(VENV) $(TOOLS)/bin/uv sync --frozen --compile-bytecode --quiet
	touch $(BIN)/dbt

setup: $(BIN)/dbt

$(DEMO_DIR)/subscription_events.csv: $(BIN)/dbt winback_data/generate.py
	$(BIN)/python -m winback_data.generate --out $(DEMO_DIR) --customers $(DEMO_CUSTOMERS) --seed $(DEMO_SEED)

demo-data: $(DEMO_DIR)/subscription_events.csv

# Builds everything on the demo data in DuckDB and prints the headline numbers.
demo: demo-data
	$(BIN)/dbt build --quiet --exclude test_type:unit
	$(BIN)/python scripts/summary.py $(WINBACK_DUCKDB_PATH)

dbt-build: demo-data
	$(BIN)/dbt build

pytest: demo-data
	$(BIN)/pytest -q python_tests

lint: setup
	$(BIN)/sqlfluff lint models macros tests analyses

# Every test: dbt build (seeds, models, data and unit tests), the pytest harness and lint.
test: dbt-build pytest lint

clean:
	rm -rf target logs $(DEMO_DIR)
