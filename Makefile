# The first Python 3.12+ found: python3.13, python3.12, python3, then pyenv's installs.
PYTHON ?= $(shell for c in python3.13 python3.12 python3 \
	$$(command -v pyenv >/dev/null 2>&1 && for v in $$(pyenv versions --bare 2>/dev/null | sort -rV); do echo "$$(pyenv root)/versions/$$v/bin/python3"; done); do \
	if $$c -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1; then command -v $$c || echo $$c; break; fi; done)
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test install install-dev migrate lint editor clean

$(BIN)/python:
	@test -n "$(PYTHON)" || { echo "Python 3.12 or newer is needed (python3.13 preferred) and none was found on PATH or in pyenv." >&2; exit 1; }
	@echo "Creating $(VENV) with $(PYTHON)"
	$(PYTHON) -m venv $(VENV) || { echo "Could not create the virtual environment with $(PYTHON)." >&2; exit 1; }

$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.txt || { echo "Installing requirements.txt failed; see the messages above." >&2; exit 1; }
	touch $@

# The test and lint tooling, over the runtime packages: only make test and make lint need it.
$(VENV)/.installed-dev: requirements-dev.txt $(VENV)/.installed
	$(BIN)/pip install --quiet -r requirements-dev.txt || { echo "Installing requirements-dev.txt failed; see the messages above." >&2; exit 1; }
	touch $@

install: $(VENV)/.installed

install-dev: $(VENV)/.installed-dev

migrate: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_edition
	$(BIN)/python manage.py load_demo_postings

run: migrate
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

test: install-dev
	$(BIN)/python -m pytest

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

editor: migrate
	$(BIN)/python manage.py createeditor $(USERNAME)

clean:
	rm -rf $(VENV) staticfiles .pytest_cache

.PHONY: backup restore

# Backups: pg_dump -Fc on PostgreSQL, SQLite's online backup otherwise; files go to backups/ unless FILE is set.
backup: install
	$(BIN)/python manage.py backup_db $(if $(FILE),--output $(FILE))

# Replaces the database's contents with a backup: make restore FILE=backups/<file> (asks before it starts).
restore: install
	@test -n "$(FILE)" || { echo "Name the backup to restore: make restore FILE=backups/<file>" >&2; exit 1; }
	$(BIN)/python manage.py restore_db $(FILE)

.PHONY: loadtest

# 64 clients for 60 s through nginx (deploy/nginx.conf) in front of gunicorn with the production settings on
# 127.0.0.1, a scratch PostgreSQL database (LOADTEST_DATABASE_URL; dropped afterwards) and a redis-server of its
# own; during the run Redis is killed for 20 s, a worker is killed with SIGKILL and the database refuses
# connections for 10 s (LOADTEST_FAULTS=0: no faults). LOADTEST_DURATION and LOADTEST_CLIENTS shorten it (the
# faults keep their shares of the duration); LOADTEST_NGINX=0 loads gunicorn directly.
loadtest: install-dev
	@command -v nginx >/dev/null 2>&1 || test -x /usr/sbin/nginx || test "$(LOADTEST_NGINX)" = 0 || { echo "make loadtest needs nginx: apt-get install nginx-light" >&2; exit 1; }
	@command -v redis-server >/dev/null 2>&1 || test "$(LOADTEST_FAULTS)" = 0 || { echo "make loadtest needs redis-server for its faults: apt-get install redis-server (or LOADTEST_FAULTS=0)" >&2; exit 1; }
	$(BIN)/python scripts/loadtest.py

.PHONY: bench bench-jobs

# Requests/s and p50/p99 of each page as a ratio of a static file served by the same server, measured in turns:
# nginx's proxy cache (deploy/nginx.conf) and gunicorn with the production settings on 127.0.0.1, on SQLite and
# PostgreSQL, at the edition's size and at 100,000 companies (about 30 minutes the first time, which builds the
# large databases). BENCH_ARGS narrows it, e.g. BENCH_ARGS="--db sqlite --size edition".
bench: install
	@command -v wrk >/dev/null 2>&1 || { echo "make bench needs wrk: apt-get install wrk" >&2; exit 1; }
	@command -v nginx >/dev/null 2>&1 || test -x /usr/sbin/nginx || echo "nginx is not installed (apt-get install nginx-light): the nginx rows are skipped" >&2
	$(BIN)/python scripts/bench.py $(BENCH_ARGS)
	$(BIN)/python scripts/bench_jobs.py $(BENCH_JOBS_ARGS)

# The job boards at 1,000,000 postings on PostgreSQL (scripts/bench_jobs.py: 5,000 boards served by nginx, a full
# sync, unchanged re-syncs, the sync's memory, /jobs/, a profile, /salaries/ and /api/jobs/ beside the edition's size).
bench-jobs: install
	@command -v wrk >/dev/null 2>&1 || { echo "make bench-jobs needs wrk: apt-get install wrk" >&2; exit 1; }
	$(BIN)/python scripts/bench_jobs.py $(BENCH_JOBS_ARGS)
