# Bidrag: `make demo` serves the demo on http://127.0.0.1:8000, `make test` runs the suite.
# `make help` lists every target. Needs GNU make, Debian (or a derivative) and Python 3.12.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help
.DELETE_ON_ERROR:
# Prerequisites run in order (system packages before the venv that compiles against them).
.NOTPARALLEL:
MAKEFLAGS += --no-builtin-rules

VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-from-pyproject
HOST ?= 127.0.0.1
PORT ?= 8000

# The interpreter the venv is built from: python3.12 on PATH (pyenv's shim honours
# .python-version), else one installed by pyenv that is not on PATH.
PYTHON ?= $(or $(shell command -v python3.12 2>/dev/null),$(lastword $(wildcard $(or $(PYENV_ROOT),$(HOME)/.pyenv)/versions/3.12*/bin/python3.12)),python3.12)

# Two workers: one test database each (test_<name>_gw0, _gw1). More would not go faster on two
# cores, and every worker's 20-thread concurrency tests hold real PostgreSQL connections, so
# `-n auto` on a large machine could exhaust max_connections. PYTEST_WORKERS=0 runs in one process.
PYTEST_WORKERS ?= 2
PYTEST_ARGS ?=

# Debian packages. Runtime: gettext (compilemessages), Pango and HarfBuzz's subsetter and a font
# (WeasyPrint letters; harfbuzz-subset makes font embedding several times faster), libpq-dev and
# a C compiler (psycopg2 builds from source). Tests add Chromium (browser tests drive
# /usr/bin/chromium through Playwright) and poppler-utils (pdftoppm, pdftotext for letters).
RUNTIME_DEBS := gettext libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core \
	libpq-dev gcc libc6-dev
TEST_DEBS := chromium poppler-utils

.PHONY: help demo test install system-deps system-deps-runtime messages migrate lint format \
	check clean clean-demo

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-20s %s\n", $$1, $$2}'

# The demo data is loaded with the ImmediateBackend (load_demo renders each letter itself); then
# the web process queues its tasks in the database and DEMO_WORKERS `db_worker` processes run
# them in parallel, as in production. Stopping `make demo` stops the workers too: Ctrl+C reaches
# them with the web process, and each finishes the task it is running (for up to 10 s); otherwise
# they get SIGTERM.
DEMO_WORKERS ?= 2
# Generated cases of earlier years (manage.py seed) beside the demo's own, so the statistics and
# the register of granted support span several years. DEMO_HISTORY=0 leaves them out.
DEMO_HISTORY ?= 300

demo: system-deps-runtime install messages migrate ## Install, migrate, load the demo data and serve it with task workers
	TASK_BACKEND=django.tasks.backends.immediate.ImmediateBackend $(PY) manage.py load_demo --history $(DEMO_HISTORY)
	@echo "Bidrag demo: http://$(HOST):$(PORT)/  (users in README.md, password bidrag-demo)"
	@echo "Task workers: $(DEMO_WORKERS) (manage.py db_worker), stopped with the demo"
	@export TASK_BACKEND=django_tasks_db.DatabaseBackend; \
	workers=(); interrupted=0; \
	stop_workers() { \
		trap - EXIT INT TERM; \
		if (( ! interrupted && $${#workers[@]} )); then kill -TERM "$${workers[@]}" 2>/dev/null || true; fi; \
		for _ in {1..100}; do [ -n "$$(jobs -pr)" ] || break; sleep 0.1; done; \
		kill -TERM $$(jobs -pr) 2>/dev/null || true; \
		wait || true; \
	}; \
	trap stop_workers EXIT; \
	trap 'interrupted=1; exit 130' INT; \
	trap 'exit 143' TERM; \
	for number in $$(seq 1 $(DEMO_WORKERS)); do \
		$(PY) manage.py db_worker --no-reload --worker-id "demo-$$number" & \
		workers+=($$!); \
	done; \
	$(PY) manage.py runserver $(HOST):$(PORT)

test: system-deps install messages ## Install and run the whole test suite (PYTEST_ARGS=... to pass more)
	$(PY) -m pytest $(if $(filter-out 0,$(PYTEST_WORKERS)),-n $(PYTEST_WORKERS)) $(PYTEST_ARGS)

install: $(STAMP) ## Create .venv and install the dependencies, dev extra included

system-deps: ## Install the missing Debian packages for the demo and the tests
	@bash scripts/system-deps.sh $(RUNTIME_DEBS) $(TEST_DEBS)

system-deps-runtime: ## Install the missing Debian packages the demo needs
	@bash scripts/system-deps.sh $(RUNTIME_DEBS)

messages: install ## Compile the translation catalogues (*.po -> *.mo)
	@if [ -n "$$(find . \( -path ./$(VENV) -o -path ./.git -o -path ./node_modules -o -path ./var \) \
			-prune -o -name '*.po' -print -quit)" ]; then \
		$(PY) manage.py compilemessages --ignore=$(VENV) --ignore=node_modules --ignore=var; \
	else \
		echo "messages: no translation catalogues (*.po) yet, nothing to compile"; \
	fi

migrate: install ## Apply the database migrations (DATABASE_URL, default the SQLite demo file)
	$(PY) manage.py migrate --no-input

lint: install ## ruff check and ruff format --check
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install ## Fix what ruff can fix and format the code
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

check: install ## Django's system checks, and no model change without its migration
	$(PY) manage.py check
	$(PY) manage.py makemigrations --check --dry-run

clean: ## Remove .venv, caches and compiled catalogues (keeps the demo database)
	rm -rf $(VENV) .pytest_cache .ruff_cache test-results var/ci
	find . -path ./.git -prune -o -name __pycache__ -type d -prune -exec rm -rf {} +
	find . -path ./.git -prune -o -name '*.mo' -path '*/locale/*' -type f -exec rm -f {} +

clean-demo: ## Remove the SQLite demo database and var/ (uploaded files, letters)
	rm -rf bidrag.sqlite3 bidrag.sqlite3-wal bidrag.sqlite3-shm var

$(PY):
	@if ! "$(PYTHON)" -c 'import sys, venv, ensurepip; sys.exit(sys.version_info[:2] != (3, 12))' \
			>/dev/null 2>&1; then \
		echo "Bidrag needs Python 3.12, and '$(PYTHON)' is not a working Python 3.12." >&2; \
		echo "Install it with pyenv (https://github.com/pyenv/pyenv):  pyenv install 3.12" >&2; \
		echo "(the repository's .python-version selects it), or run: make PYTHON=/path/to/python3.12" >&2; \
		exit 1; \
	fi
	"$(PYTHON)" -m venv --clear $(VENV)
	$(PY) -m pip install -qq --disable-pip-version-check --upgrade pip

# Reinstalled when pyproject.toml changes (or the venv is new); otherwise a no-op. Only the
# dependencies are installed: the project has no package to install (manage.py runs from here),
# and an editable install would leave bidrag.egg-info/ in the work tree.
$(STAMP): pyproject.toml $(PY)
	@$(PY) -c 'import sys; sys.exit(sys.version_info[:2] != (3, 12))' || { \
		echo "$(VENV) is not Python 3.12: remove it (make clean) and run make again." >&2; exit 1; }
	@echo "install: installing the dependencies of pyproject.toml (with the dev extra) into $(VENV)"
	@$(PY) -c 'import tomllib; project = tomllib.load(open("pyproject.toml", "rb"))["project"]; \
		print("\n".join(project["dependencies"] + project["optional-dependencies"]["dev"]))' \
		> $(VENV)/requirements.txt
	$(PY) -m pip install -qq --disable-pip-version-check --requirement $(VENV)/requirements.txt
	@touch $@
