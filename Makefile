# `make run` serves the dashboard; `make test` runs every test; `make bench` measures the scale targets.
VENV ?= .venv
PYTHON ?= python3
PY := $(VENV)/bin/python
FICHAS ?= data/fichas
export FICHAS_DB ?= data/fichas.duckdb
PORT ?= 8501
# The commit `make bench` compares the pages with (before issues 8-13); `make bench BENCH_ANTES=` skips it.
BENCH_ANTES ?= 10757ba

.PHONY: run build test lint bench screenshots mutants clean

$(VENV)/.run-installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev-installed: $(VENV)/.run-installed requirements-dev.txt
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

# Exit status 1 means some files were rejected and the rest loaded: the dashboard still has data to show.
# Any other failure stops here, 3 included (the database could not be written: the old one would be served).
build: $(VENV)/.run-installed
	$(PY) -m etl build $(FICHAS) --db $(FICHAS_DB) || [ $$? -eq 1 ]

run: build
	$(PY) -m streamlit run server.py --server.address=localhost --server.port=$(PORT) --browser.gatherUsageStats=false

test: $(VENV)/.dev-installed
	$(PY) -m ruff check .
	$(PY) -m pytest

lint: $(VENV)/.dev-installed
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

screenshots: $(VENV)/.dev-installed
	SCREENSHOTS_DIR=docs/capturas $(PY) -m pytest tests/browser/test_browser.py -k every_page

bench: $(VENV)/.dev-installed
	$(PY) -m bench --antes '$(BENCH_ANTES)'

# Not part of `make test`: breaks the code on purpose, one named mutation at a time, and expects a test to fail.
mutants: $(VENV)/.dev-installed
	$(PY) tests/mutants.py

clean:
	rm -rf $(VENV) $(FICHAS_DB) bench/out
