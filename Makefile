# Set-up and the main jobs. Everything installs into .venv from this repository's files.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup demo test test-nojit lint bench mutants clean

$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e ".[dev]"
	$(BIN)/python -m neuro.engine.warm  # compile the (network-independent) kernel once into Numba's disk cache
	touch $(STAMP)

setup: $(STAMP)

demo: setup
	$(BIN)/neuro demo

lint: setup
	$(BIN)/ruff check .
	$(BIN)/lint-imports

# The whole suite, then the engine tests again with Numba's JIT off (pure Python kernels).
test: lint
	$(BIN)/python -m pytest
	$(MAKE) test-nojit

test-nojit: setup
	NUMBA_DISABLE_JIT=1 $(BIN)/python -m pytest -m engine

bench: setup
	$(BIN)/python benchmarks/kernel_throughput.py --json reports/kernel_throughput.json
	$(BIN)/python benchmarks/engine_vs_peers.py --json reports/engine_vs_peers.json

# Mutation testing of the numerical and accounting core (tools/mutants.py; slow, never run by CI):
# each mutant's module is changed in a scratch copy of the tree and its tests run against it.
mutants: setup
	$(BIN)/python tools/mutants.py --json reports/mutants.json

clean:
	rm -rf $(VENV) reports .pytest_cache .ruff_cache .hypothesis
