# winback: the two front-door commands are `make demo` and `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := demo

UV_VERSION := 0.13.9
PYTHON ?= python3
TOOLS := .tools
VENV := .venv
BIN := $(VENV)/bin
# Spark (pyspark is large) gets its own environment, so `make setup` stays lean.
SPARK_VENV := $(TOOLS)/venv-spark
DUCKDB14_VENV := $(TOOLS)/venv-duckdb14
# Apache Superset (about 850 MB) in an environment of its own, from bi/uv.lock.
SUPERSET_VENV := $(TOOLS)/venv-superset
DEMO_DIR := data/demo
DEMO_CUSTOMERS := 2500
DEMO_SEED := 42
export WINBACK_DUCKDB_PATH ?= target/winback.duckdb
export DBT_PROFILES_DIR := $(CURDIR)
# Test builds stop on the warnings that hide misconfiguration: a config path in
# dbt_project.yml that applies to nothing, and any deprecated property or syntax.
WARN_ERROR_OPTIONS := {"error": ["UnusedResourceConfigPath", "Deprecations"]}

.PHONY: setup setup-spark demo-data demo demo-postgres test dbt-build pytest lint clean \
	test-postgres test-spark test-tools setup-bi bi bench compare-policies

# A project-local environment from the lock file; nothing is installed globally.
$(TOOLS)/bin/uv:
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

$(BIN)/dbt: $(TOOLS)/bin/uv pyproject.toml uv.lock
	UV_PROJECT_ENVIRONMENT=$(VENV) $(TOOLS)/bin/uv sync --frozen --compile-bytecode --quiet
	touch $(BIN)/dbt

setup: $(BIN)/dbt

# The lock file's `spark` group (dbt-spark, pyspark) beside the project's dependencies.
$(SPARK_VENV)/bin/dbt: $(TOOLS)/bin/uv pyproject.toml uv.lock
	UV_PROJECT_ENVIRONMENT=$(SPARK_VENV) $(TOOLS)/bin/uv sync --frozen --compile-bytecode --quiet \
		--group spark
	touch $(SPARK_VENV)/bin/dbt

setup-spark: $(SPARK_VENV)/bin/dbt

$(DEMO_DIR)/subscription_events.csv: $(BIN)/dbt winback_data/generate.py
	$(BIN)/python -m winback_data.generate --out $(DEMO_DIR) --customers $(DEMO_CUSTOMERS) --seed $(DEMO_SEED)

demo-data: $(DEMO_DIR)/subscription_events.csv

# Builds everything on the demo data in DuckDB, prints the headline numbers and writes
# the report (one self-contained HTML file beside the DuckDB file).
demo: demo-data
	$(BIN)/dbt build --quiet --exclude test_type:unit
	$(BIN)/python scripts/summary.py $(WINBACK_DUCKDB_PATH)
	$(BIN)/python scripts/report.py $(WINBACK_DUCKDB_PATH) \
		$(dir $(WINBACK_DUCKDB_PATH))winback_report.html

# A DuckDB 1.4 in an environment of its own: the tests open the marts file with it, as
# a BI tool that embeds an older DuckDB would.
$(DUCKDB14_VENV)/bin/python: $(TOOLS)/bin/uv
	$(TOOLS)/bin/uv venv --quiet --python $(PYTHON) $(DUCKDB14_VENV)
	$(TOOLS)/bin/uv pip install --quiet --python $(DUCKDB14_VENV)/bin/python duckdb==1.4.5

# Debian's headless Chromium, for the tests that open the report as a person would.
/usr/bin/chromium:
	@if [ "$$(id -u)" = 0 ]; then apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium > /dev/null; \
	else echo "chromium is missing: sudo apt-get install chromium"; exit 1; fi

# Superset's lock file is bi/uv.lock (a uv project of its own, so its pins never touch
# dbt's). UV_PROJECT_ENVIRONMENT is absolute: uv resolves a relative one against bi/.
$(SUPERSET_VENV)/bin/superset: $(TOOLS)/bin/uv bi/pyproject.toml bi/uv.lock
	UV_PROJECT_ENVIRONMENT=$(CURDIR)/$(SUPERSET_VENV) $(TOOLS)/bin/uv sync --frozen \
		--compile-bytecode --quiet --project bi
	touch $(SUPERSET_VENV)/bin/superset

setup-bi: $(SUPERSET_VENV)/bin/superset

# Apache Superset on 127.0.0.1 with the winback dashboard (bi/dashboard.json, created
# through Superset's REST API) on the DuckDB file WINBACK_DUCKDB_PATH; builds the demo
# first only when that file does not exist. Serves until Ctrl-C.
bi: setup-bi
	@test -f "$(WINBACK_DUCKDB_PATH)" || $(MAKE) --no-print-directory demo
	$(SUPERSET_VENV)/bin/python scripts/bi.py serve "$(WINBACK_DUCKDB_PATH)"

test-tools: $(DUCKDB14_VENV)/bin/python /usr/bin/chromium $(SUPERSET_VENV)/bin/superset

dbt-build: demo-data
	$(BIN)/dbt build

# The same build and tests on a throwaway local PostgreSQL server (scripts/warehouse.py
# starts it, loads the raw files with COPY, runs dbt and stops it).
test-postgres: demo-data
	$(BIN)/python scripts/warehouse.py postgres --raw-dir $(DEMO_DIR) -- build

# The demo on Postgres: build there, then print the headline numbers of its marts.
demo-postgres: demo-data
	$(BIN)/python scripts/warehouse.py postgres --raw-dir $(DEMO_DIR) \
		--export-duckdb target/winback_postgres.duckdb -- build --quiet --exclude test_type:unit
	$(BIN)/python scripts/summary.py target/winback_postgres.duckdb

# The whole build and tests on a local Spark session (slow: not part of `make test`),
# then its marts compared row by row with DuckDB's.
test-spark: demo-data setup-spark
	rm -rf target/spark-marts
	$(SPARK_VENV)/bin/python scripts/warehouse.py spark --raw-dir $(DEMO_DIR) \
		--export target/spark-marts -- build
	WINBACK_ENGINES=spark WINBACK_SPARK_EXPORT=target/spark-marts \
		$(BIN)/pytest -q python_tests/test_engines_agree.py

# The test files run on PYTEST_WORKERS processes (pytest-xdist): a build's dbt and DuckDB
# leave a core idle much of the time. Files that share builds run on one worker
# (python_tests/conftest.py). PYTEST_WORKERS=0 runs them in this process, one by one.
PYTEST_WORKERS ?= 2
pytest: demo-data test-tools
	$(BIN)/pytest -q -n $(PYTEST_WORKERS) --dist loadgroup --durations=25 python_tests

# sqlfluff over models, singular tests and analyses (with the SQL that macros write
# into them), in DuckDB's dialect and again parsed as Postgres; then over the compiled
# SQL of the generic tests, which the dbt templater skips; then the DAG check on the
# manifest, and a secret scanner over every file the repository tracks.
lint: setup
	$(BIN)/sqlfluff lint models macros tests analyses
	$(BIN)/sqlfluff lint models tests analyses --dialect postgres
	$(BIN)/python scripts/lint_generic_tests.py
	$(BIN)/dbt parse --quiet
	$(BIN)/python scripts/check_dag.py target/manifest.json
	git ls-files -z | xargs -0 $(BIN)/detect-secrets-hook

# Every test: dbt build (seeds, models, data and unit tests) on DuckDB and on Postgres,
# the pytest harness (the oracles, the configuration matrix, the point-in-time property,
# the engines' marts compared) and lint.
test: dbt-build test-postgres pytest lint

dbt-build test-postgres pytest: export DBT_WARN_ERROR_OPTIONS = $(WARN_ERROR_OPTIONS)

# The project's benchmark (not part of `make test`): generated data at 100k, 300k and
# 1M customers, the revenue path and every model built on each; prints rows, wall
# seconds, peak RSS and the slowest models. BENCH_SIZES=20000 for a quick look.
BENCH_SIZES ?= 100000,300000,1000000
bench: setup
	$(BIN)/python scripts/bench.py --sizes $(BENCH_SIZES)

# Why two policy presets give different numbers on the demo data, rule by rule
# (POLICY_BRIDGES=1: the latest quarter's bridge under every preset).
POLICY_FROM ?= winback
POLICY_TO ?= stripe
compare-policies: demo-data
	$(BIN)/python scripts/compare_policies.py --raw $(DEMO_DIR) \
		$(if $(POLICY_BRIDGES),--bridges,--from $(POLICY_FROM) --to $(POLICY_TO))

clean:
	rm -rf target logs $(DEMO_DIR)
