# The two commands of the README's quick start. Each creates .venv when needed.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test soak bench clean catalogs messages

run: $(VENV)/.installed catalogs
	$(BIN)/recorder

test: $(VENV)/.installed-test catalogs
	$(BIN)/ruff check recorder tests bench schema
	$(BIN)/ruff format --check recorder tests bench schema
	$(BIN)/mypy recorder
	$(BIN)/lint-imports --no-cache
	$(BIN)/pytest -n auto --dist loadgroup

# The translations (Babel): `make messages` extracts every marked string into the
# template and merges it into each language's catalog, for a translator to complete;
# `make catalogs` compiles the catalogs recorder reads (building a wheel does too).
LOCALE := recorder/locale
POT := $(LOCALE)/recorder.pot
PO := $(wildcard $(LOCALE)/*/LC_MESSAGES/recorder.po)

messages: $(VENV)/.installed
	$(BIN)/pybabel extract -F babel.cfg --no-location --sort-output \
		--project recorder --copyright-holder "recorder's authors" \
		--msgid-bugs-address "https://github.com/recorder/recorder/issues" \
		-o $(POT) .
	$(BIN)/pybabel update -i $(POT) -d $(LOCALE) -D recorder --no-wrap

catalogs: $(PO:.po=.mo)

$(LOCALE)/%/LC_MESSAGES/recorder.mo: $(LOCALE)/%/LC_MESSAGES/recorder.po $(VENV)/.installed
	$(BIN)/pybabel compile -i $< -o $@

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
