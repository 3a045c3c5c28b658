# Quick start: `make run` serves the demo on http://127.0.0.1:8000; `make test` runs the whole suite.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
# What the application needs from Debian (WeasyPrint renders with Pango; fonts for the PDFs).
APT_RUN := python3 python3-venv libpango-1.0-0 libpangoft2-1.0-0 fonts-liberation2
# What the tests need besides: Chromium for the browser tests, poppler for reading PDFs, Redis for Celery.
APT_TEST := chromium poppler-utils redis-server
HOST ?= 127.0.0.1:8000

.PHONY: run test deps test-deps lint check serve

$(VENV)/.installed: requirements.txt
	scripts/ensure-apt $(APT_RUN)
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

deps: $(VENV)/.installed

test-deps: deps
	scripts/ensure-apt $(APT_TEST)

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

lint: deps
	$(VENV)/bin/ruff check .
