# Two commands for everyone: `make demo` and `make test`. Everything else is a helper of those.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEMO_DB := instance/demo.sqlite
export FLASK_APP := wsgi.py

.PHONY: demo test install translations lint format serve-demo clean-demo bench bench-quick bench-tools screenshots

# Each step says what it does: the first `make demo` installs for a few minutes.
step = @printf '\n==> %s\n' $(1)

$(BIN)/python:
	$(call step,"Creating the virtual environment in $(VENV)")
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(call step,"Installing the dependencies (first run only: 1-3 minutes)")
	$(BIN)/python -m pip install --quiet --progress-bar off -e ".[dev]"
	touch $(STAMP)

install: $(STAMP) translations

translations: $(STAMP)
	$(call step,"Compiling the Vietnamese translations")
	$(BIN)/python scripts/i18n.py build

demo: install
	mkdir -p instance
	rm -f $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm
	$(call step,"Creating a fresh demo database ($(DEMO_DB))")
	DATABASE_URL=sqlite:///$(CURDIR)/$(DEMO_DB) $(BIN)/flask db upgrade
	$(call step,"Loading the demo data: 34 provinces and 3321 communes with 7 periods of scores (about a minute)")
	DATABASE_URL=sqlite:///$(CURDIR)/$(DEMO_DB) $(BIN)/flask demo load
	$(call step,"Serving http://127.0.0.1:5000 (Ctrl+C stops)")
	DATABASE_URL=sqlite:///$(CURDIR)/$(DEMO_DB) $(BIN)/flask demo serve --host 127.0.0.1 --port 5000

test: install
	$(BIN)/python -m pytest -q $(PYTEST_ARGS)

# The browser journeys, writing their pictures into docs/screenshots/ (commit the result).
screenshots: install
	E2E_SCREENSHOTS=$(CURDIR)/docs/screenshots $(BIN)/python -m pytest -q -m e2e tests/e2e $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# wrk from Debian when we may install it; otherwise the benchmark's own Python client.
bench-tools:
	@command -v wrk >/dev/null 2>&1 || (command -v apt-get >/dev/null 2>&1 && \
		apt-get install -y -qq wrk >/dev/null 2>&1) || \
		echo "wrk not installed: the HTTP benchmark uses its Python client"

# Full run (10,051 units, SQLite and PostgreSQL): figures into docs/PERFORMANCE.md.
bench: install bench-tools
	$(BIN)/python -m benchmarks.run $(BENCH_ARGS)

# Under a minute: a few hundred units, SQLite, short rounds; report in $$BENCH_DIR/quick.md.
bench-quick: install bench-tools
	$(BIN)/python -m benchmarks.run --quick $(BENCH_ARGS)
