# Fledge. `make help` lists the targets.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

.DEFAULT_GOAL := help
.PHONY: help run test lint format demo migrate install install-dev e2e bench bench-data load smoke clean

help: ## List the targets
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z_-]+:.*## / {printf "  \033[1m%-12s\033[0m %s\n", $$1, $$2}' $(MAKEFILE_LIST)

$(PY):
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Fledge needs Python 3.11 or newer")'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e .
	@touch $@

$(VENV)/.installed-dev: pyproject.toml $(VENV)/.installed
	$(PY) -m pip install --quiet -e ".[dev]"
	@touch $@

install: $(VENV)/.installed ## Create .venv and install Fledge

install-dev: $(VENV)/.installed-dev ## Install Fledge and what the tests need

migrate: install ## Apply database migrations
	$(PY) manage.py migrate --no-input

demo: migrate ## Load the demo content and print the demo logins (idempotent)
	$(PY) manage.py load_demo

run: demo ## Install, migrate, load the demo and serve at http://127.0.0.1:8000
	@echo "Serving Fledge at http://$(HOST):$(PORT)/ (Ctrl+C to stop)"
	$(PY) manage.py runserver $(HOST):$(PORT)

test: install-dev ## Run the linters and the whole test suite
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) -m pytest $(PYTEST_ARGS)

lint: install-dev ## Check code with ruff
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install-dev ## Format and fix code with ruff
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

smoke: install-dev ## Run the production stack (gunicorn, Celery worker and beat) on local PostgreSQL + Redis and drive it
	$(PY) deploy/smoke.py $(SMOKE_ARGS)

bench-data: install-dev ## Generate the organisation-scale benchmark data (BENCH_ARGS="--scale 0.1" for less)
	$(PY) -m bench.generate $(BENCH_ARGS)

bench: install-dev ## Ratio benchmarks on the generated data: table and bench/results.json
	$(PY) -m bench.run $(BENCH_ARGS)

load: install-dev ## Load run: gunicorn on 127.0.0.1 and 50 concurrent learners for a bounded time
	$(PY) -m bench.load $(LOAD_ARGS)

clean: ## Remove the virtualenv, database and generated files
	rm -rf $(VENV) db.sqlite3 media private-media staticfiles .pytest_cache
