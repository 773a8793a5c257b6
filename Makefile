# Moderato: `make run` serves on http://127.0.0.1:8000 (`make run PORT=8080` elsewhere) with an embedded
# SQLite database and broker; `make test` runs the whole test suite. Both create (or reuse) .venv and
# install the project into it.
PYTHON ?= python3
PORT ?= 8000
HOST ?= 127.0.0.1
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test bench lint venv browser clean wordpress-plugin

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

venv: $(STAMP)

run: $(STAMP)
	$(BIN)/moderato serve --host $(HOST) --port $(PORT)

test: $(STAMP)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

bench: $(STAMP)
	command -v wrk >/dev/null || (apt-get install -y -qq wrk || echo "bench: install wrk (Debian package) for the HTTP benchmarks" >&2)
	$(BIN)/pip install --quiet -e '.[dev,bench]'
	$(BIN)/python -m bench

# The Moderato plugin for WordPress as an uploadable zip (Plugins -> Add New -> Upload Plugin).
wordpress-plugin:
	$(PYTHON) integrations/wordpress/build_zip.py dist/moderato-wordpress.zip

lint: $(STAMP)
	$(BIN)/ruff check .

clean:
	rm -rf $(VENV) instance .pytest_cache
