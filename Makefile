# planner: two commands on a fresh machine.
#   make demo   installs into .venv and solves the default scenario, printing the plan
#   make test   installs and runs the whole test suite

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test test-fast lint bench bench-quick bench-batch bench-batch-quick clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev,bench,dask]"
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/planner solve scenarios/default.yaml --time-limit 60

test: $(STAMP)
	$(BIN)/python -m pytest

test-fast: $(STAMP)  # everything but the long end-to-end solves (marked slow)
	$(BIN)/python -m pytest -m "not slow"

lint: $(STAMP)
	$(BIN)/ruff check planner tests benchmarks
	$(BIN)/mypy

bench: $(STAMP)
	$(BIN)/python -m benchmarks.run --full

bench-quick: $(STAMP)
	$(BIN)/python -m benchmarks.run --quick

bench-batch: $(STAMP)  # batch throughput, local and Dask engines (benchmarks/batch.py)
	$(BIN)/python -m benchmarks.batch

bench-batch-quick: $(STAMP)
	$(BIN)/python -m benchmarks.batch --quick

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .mypy_cache .ruff_cache .hypothesis
