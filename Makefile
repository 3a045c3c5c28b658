# Quick start: `make run` serves the demo on http://127.0.0.1:8000; `make test` runs the whole suite.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
# What the application needs from Debian (WeasyPrint renders with Pango; fonts for the PDFs).
APT_RUN := python3 python3-venv libpango-1.0-0 libpangoft2-1.0-0 fonts-liberation2
# What the tests need besides: Chromium for the browser tests, poppler for reading PDFs, Redis for Celery,
# LibreOffice (headless, no GUI) to open the Word documents we write as a reader would.
APT_TEST := chromium poppler-utils redis-server libreoffice-writer-nogui
HOST ?= 127.0.0.1:8000

# The locks (`make lock` writes them from pyproject.toml): the runtime alone is what production installs;
# the tests, lint and benchmarks add the dev lock. Every file is checked against its hash.
RUNTIME_LOCK := requirements/runtime.txt
DEV_LOCK := requirements/dev.txt
PIP_INSTALL := $(PY) -m pip install --quiet --require-hashes
UV_VERSION := 0.13.9
UV_VENV := /tmp/quyche-uv-$(UV_VERSION)
UV_COMPILE = $(UV_VENV)/bin/uv pip compile --quiet --generate-hashes --python-version 3.11 \
	--python-platform x86_64-unknown-linux-gnu --custom-compile-command "make lock" $(if $(UPGRADE),--upgrade)

.PHONY: run test deps test-deps lint check serve lock

$(VENV)/.installed: $(RUNTIME_LOCK)
	scripts/ensure-apt $(APT_RUN)
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PIP_INSTALL) -r $(RUNTIME_LOCK)
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed $(DEV_LOCK)
	$(PIP_INSTALL) -r $(RUNTIME_LOCK) -r $(DEV_LOCK)
	touch $@

deps: $(VENV)/.installed

# axe-core, which the browser tests inject into the pages to check accessibility: its version pinned, with its hash,
# in tests/browser/package-lock.json. npm comes with Node.js where it is installed, else from Debian.
AXE := tests/browser/node_modules/axe-core/axe.min.js
$(AXE): tests/browser/package-lock.json
	command -v npm >/dev/null || scripts/ensure-apt npm
	npm ci --prefix tests/browser --no-audit --no-fund
	touch $@

test-deps: $(VENV)/.installed-dev $(AXE)
	scripts/ensure-apt $(APT_TEST)

# Resolves pyproject.toml for Debian 12's Python (3.11, Linux x86_64) with uv, installed in a throwaway
# virtualenv, never in the project's. Pins already in a lock are kept; `make lock UPGRADE=1` takes the
# newest releases that pyproject.toml allows.
lock:
	test -x $(UV_VENV)/bin/uv || ($(PYTHON) -m venv $(UV_VENV) && $(UV_VENV)/bin/pip install --quiet uv==$(UV_VERSION))
	$(UV_COMPILE) pyproject.toml -o $(RUNTIME_LOCK)
	$(UV_COMPILE) --group pyproject.toml:dev -c $(RUNTIME_LOCK) -o $(DEV_LOCK)

# The quick start asks for DEBUG: the demo's shared password, the built-in key and static files served
# by runserver are for a development machine only (see README, "Deploying").
run: export DEBUG = 1
run: deps
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	$(PY) manage.py runserver $(HOST)

test: test-deps
	$(VENV)/bin/pytest

# The production stack (gunicorn, Celery worker and beat) on this machine with DEBUG off, against the
# PostgreSQL and Redis of DATABASE_URL and REDIS_URL (and a SECRET_KEY); Ctrl-C stops it (deploy/serve).
serve: deps
	$(PY) deploy/serve

lint: $(VENV)/.installed-dev
	$(VENV)/bin/ruff check .
