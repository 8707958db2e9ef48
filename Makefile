# Aftersales: `make run` (demo on http://127.0.0.1:8000) and `make test` (the whole suite).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install run serve test lint format bench messages clean

$(STAMP): requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $(STAMP)

install: $(STAMP)

# Demo: migrate, load the seeds' data, then the web server and the task worker side by side
# (the worker queues the nightly jobs itself, and runs again what a killed worker left).
run: export DEBUG ?= 1
run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo
	@echo "Serving on http://$(HOST):$(PORT)/ (Ctrl-C stops the server and the worker)"
	@trap 'kill 0' INT TERM EXIT; \
	$(PY) manage.py run_worker & \
	$(PY) manage.py runserver $(HOST):$(PORT)

test: install
	$(PY) -m pytest $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy aftersales

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# The figures of the "Speed" targets on PostgreSQL (~6 min; needs wrk: apt-get install wrk).
# Uses its own database, DATABASE_URL or postgres://postgres@127.0.0.1:5432/aftersales_bench,
# dropped afterwards; writes the figures into README.md and exits 1 when a target is missed.
# About 7 minutes. Not part of `make test`.
bench: install
	$(PY) -m aftersales.bench.run --readme README.md $(BENCH_ARGS)

# Recompile translations after editing locale/*/LC_MESSAGES/django.po (needs Debian's gettext).
messages: install
	DEBUG=1 $(PY) manage.py makemessages --all --no-obsolete --ignore=.venv --ignore=staticfiles
	DEBUG=1 $(PY) manage.py compilemessages --ignore=.venv

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .mypy_cache .ruff_cache
