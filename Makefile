# The two commands of the README's quick start. Each creates .venv when needed.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test soak bench clean

run: $(VENV)/.installed
	$(BIN)/recorder

test: $(VENV)/.installed-test
	$(BIN)/ruff check recorder tests bench schema
	$(BIN)/ruff format --check recorder tests bench schema
	$(BIN)/mypy recorder
	$(BIN)/lint-imports --no-cache
	$(BIN)/pytest -n auto --dist loadgroup

# The crash and concurrency tests at ten times the kills and trials of `make test`.
soak: $(VENV)/.installed-test
	RECORDER_SOAK=1 $(BIN)/pytest tests/store/test_crashes.py tests/store/test_opening.py

bench: $(VENV)/.installed-test
	$(BIN)/python bench/bench_cli.py
	$(BIN)/python bench/bench_tui.py
	$(BIN)/python bench/bench_screens.py
	$(BIN)/python bench/bench_dups.py
	$(BIN)/python bench/bench_export.py
	$(BIN)/python bench/bench_import.py
	$(BIN)/python bench/bench_secrets.py
	$(BIN)/python bench/bench_search.py
	$(BIN)/python bench/bench_store.py

$(VENV)/bin/python:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11) and "recorder needs Python 3.11 or newer")'
	@echo "Creating $(VENV) (once)..."
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# pip prints each package it fetches: the first install takes a minute or so.
$(VENV)/.installed: pyproject.toml $(VENV)/bin/python
	@echo "Installing recorder and what it needs into $(VENV)..."
	$(BIN)/python -m pip install --progress-bar on -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/bin/python
	@echo "Installing recorder with its test tools into $(VENV)..."
	$(BIN)/python -m pip install --progress-bar on -e '.[test]'
	touch $(VENV)/.installed $@

clean:
	rm -rf $(VENV) build dist .mypy_cache .pytest_cache .ruff_cache .import_linter_cache
