# Newsroom: `make run` serves the site with demo content, `make test` runs every test.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install install-dev run serve worker test e2e standards api-fuzz lint fmt bench clean lighthouse mutants

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Newsroom needs Python 3.11 or newer; set PYTHON=python3.x")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet .
	@touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet '.[dev]'
	@touch $@ $(VENV)/.installed

install: $(VENV)/.installed

install-dev: $(VENV)/.installed-dev

# The site and the background worker together (Procfile.dev); Ctrl-C stops both. Links the
# site prints point where it is served (honcho gives each process a PORT of its own, so the
# address is handed over whole).
run: install
	$(BIN)/python manage.py migrate --no-input
	HOST=$(HOST) PORT=$(PORT) $(BIN)/python manage.py load_demo
	@# Narrations for what is not narrated yet (the worker narrates what is published from now on);
	@# without espeak-ng this says how to install it, and the site still starts.
	-$(BIN)/python manage.py narrate --missing
	HOST=$(HOST) PORT=$(PORT) NEWSROOM_ADDR=$(HOST):$(PORT) \
	  NEWSROOM_SITE_URL="$${NEWSROOM_SITE_URL:-http://$(HOST):$(PORT)}" \
	  PATH="$(abspath $(BIN)):$$PATH" $(BIN)/honcho -f Procfile.dev start

# The background worker alone: runs queued jobs (webhooks, emails) until stopped.
worker: install
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py db_worker --queue-name '*'

# Production on this machine: debug off, migrations, collected static files, then gunicorn with
# uvicorn workers (newsroom/gunicorn.conf.py) and the job worker (Procfile). Needs
# DJANGO_SECRET_KEY, the same on every server.
serve: export DJANGO_DEBUG = 0
serve: install
	@test -n "$$DJANGO_SECRET_KEY" || { \
	  echo "make serve: set DJANGO_SECRET_KEY, the same on every server and kept secret; make one with" >&2; \
	  echo "  $(PYTHON) -c 'import secrets; print(secrets.token_urlsafe(50))'" >&2; exit 1; }
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py collectstatic --no-input --verbosity 0
	HOST=$(HOST) PORT=$(PORT) PATH="$(abspath $(BIN)):$$PATH" exec $(BIN)/honcho -f Procfile start

# In parallel, one worker per CPU (pytest-xdist); `pytest` alone runs in one process. Bytecode
# is written even where the environment says not to (PYTHONDONTWRITEBYTECODE, set in Python's
# container images): the tests start some thirty Python processes (servers, manage.py), each of
# which would compile the project again.
test: install-dev
	PYTHONDONTWRITEBYTECODE= $(BIN)/pytest -n auto

e2e: install-dev
	$(BIN)/pytest -m e2e

# The public site checked by independent tools; needs Java and Chromium (see .ci/run).
standards: install-dev tests/standards/node_modules
	$(BIN)/pytest -m standards

# schemathesis against /api/schema/ on a live server with the demo content; API_FUZZ_SECONDS
# bounds it (120 by default).
api-fuzz: install-dev
	$(BIN)/python tests/api/schema_fuzz.py

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python manage.py makemigrations --check --dry-run

fmt: install-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: install-dev bench/node_modules
	@for script in bench/[!_]*.py; do echo "== $$script"; $(BIN)/python $$script || exit 1; done

# Mutation testing (slow, not part of CI): `make mutants MODULE=articles/readingtime.py` runs one.
mutants: install-dev
	$(BIN)/python -m tests.mutation.run $(if $(MODULE),--module $(MODULE))

clean:
	rm -rf $(VENV) staticfiles .pytest_cache mutation-report

# Lighthouse for bench/lighthouse.py, pinned by bench/package-lock.json.
bench/node_modules: bench/package.json bench/package-lock.json
	npm ci --prefix bench --no-audit --no-fund
	@touch $@

# The W3C Nu HTML Checker and axe-core, pinned by tests/standards/package-lock.json. No install
# scripts: vnu-jar's would download a Java runtime; the checker runs on Debian's.
tests/standards/node_modules: tests/standards/package.json tests/standards/package-lock.json
	npm ci --prefix tests/standards --no-audit --no-fund --ignore-scripts
	@touch $@

lighthouse: install-dev bench/node_modules
	$(BIN)/python bench/lighthouse.py
