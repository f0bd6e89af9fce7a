# Fledge. `make help` lists the targets.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
# Absolute links (calendar feed, certificate QR codes and verification links, emails)
# point at the address `make run` serves, unless WAGTAILADMIN_BASE_URL is set.
ifeq ($(strip $(WAGTAILADMIN_BASE_URL)),)
override WAGTAILADMIN_BASE_URL := http://$(HOST):$(PORT)
endif
# Shown when $(PYTHON) itself is missing (scripts/check_prereqs.py says the rest).
INSTALL_HELP := "  Debian/Ubuntu: sudo apt-get install python3 python3-venv make libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0" \
	"  Fedora:        sudo dnf install python3 make pango" \
	"  macOS:         brew install python pango"

.DEFAULT_GOAL := help
.PHONY: help run test lint format demo migrate install install-dev prereqs e2e bench bench-data bench-peer load smoke fresh-machine clean
# The prerequisite check must finish before make looks at .venv (it may remove a
# half-made one), so prerequisites are built one at a time, in the order written.
.NOTPARALLEL:

help: ## List the targets
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z_-]+:.*## / {printf "  \033[1m%-13s\033[0m %s\n", $$1, $$2}' $(MAKEFILE_LIST)

prereqs: ## Check Python 3.11+ with venv, and Pango; rebuild a half-made .venv
	@command -v $(PYTHON) >/dev/null 2>&1 || { printf '%s\n' \
		"Fledge needs Python 3.11 or newer and '$(PYTHON)' was not found." \
		"Install what it needs with the one command for your system, then run make again:" \
		$(INSTALL_HELP); exit 1; }
	@$(PYTHON) scripts/check_prereqs.py --venv $(VENV)

# .installing marks a pip install in progress: left behind by a failed first install,
# it tells scripts/check_prereqs.py to rebuild the virtualenv.
$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(PY)
	@touch $(VENV)/.installing
	$(PY) -m pip install --quiet -e .
	@rm -f $(VENV)/.installing
	@touch $@

$(VENV)/.installed-dev: pyproject.toml $(VENV)/.installed
	@touch $(VENV)/.installing
	$(PY) -m pip install --quiet -e ".[dev]"
	@rm -f $(VENV)/.installing
	@touch $@

install: prereqs $(VENV)/.installed ## Check the prerequisites, create .venv and install Fledge

install-dev: prereqs $(VENV)/.installed-dev ## Install Fledge and what the tests need

migrate: install ## Apply database migrations
	$(PY) manage.py migrate --no-input

demo: migrate ## Load the demo content and print the demo logins (idempotent)
	WAGTAILADMIN_BASE_URL='$(WAGTAILADMIN_BASE_URL)' $(PY) manage.py load_demo

run: demo ## Install, migrate, load the demo and serve at http://127.0.0.1:8000 (HOST=, PORT= to change)
	@echo "Serving Fledge at http://$(HOST):$(PORT)/ (Ctrl+C to stop)"
	WAGTAILADMIN_BASE_URL='$(WAGTAILADMIN_BASE_URL)' $(PY) manage.py runserver $(HOST):$(PORT)

test: install-dev ## Run the linters, the layers contract and the whole test suite
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-cache
	$(PY) -m pytest $(PYTEST_ARGS)

lint: install-dev ## Check code with ruff and the layers contract (import-linter)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-cache

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

bench-peer: install-dev ## Fledge beside wagtail-lms 0.11.1 (own venv in bench/.peer-venv): table and bench/results.json
	$(PY) -m bench.peer $(PEER_ARGS)

fresh-machine: ## Prove the README on a fresh Debian (a debootstrap chroot; root, a few minutes)
	bash .ci/fresh-machine

clean: ## Remove the virtualenv, database and generated files
	rm -rf $(VENV) db.sqlite3 db.sqlite3-wal db.sqlite3-shm media private-media staticfiles .pytest_cache
