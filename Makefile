# Coalition: the README's two commands (`make demo`, `make test`) and a few more.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
# One PostgreSQL database per checkout, so parallel checkouts never share a test database.
PG_DB ?= coalition_$(shell basename "$(CURDIR)" | tr -c "a-z0-9_\n" "_")
PG_URL ?= postgres://postgres@127.0.0.1:5432/$(PG_DB)
PYTEST_ARGS ?=
# Test processes (pytest-xdist); `auto` is one per core.
PYTEST_WORKERS ?= auto
TIMED := bash scripts/timed.sh

LOCK := requirements.lock
LOCK_VENV := var/lock-venv

.PHONY: install lock demo serve test test-sqlite test-postgres system-deps lint bench check-deploy clean

# Exactly the versions in requirements.lock, then the project itself; `pip check` fails if the lock
# misses or contradicts a requirement of pyproject.toml (run `make lock` after changing dependencies).
$(BIN)/.installed: pyproject.toml $(LOCK)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r $(LOCK)
	$(BIN)/pip install --quiet --no-deps -e .
	$(BIN)/pip check
	touch $@

# The message catalogues are compiled here (gettext's msgfmt, through compilemessages), never committed:
# one .mo beside each .po of src/coalition/locale, rebuilt when its .po changes.
PO_FILES := $(wildcard src/coalition/locale/*/LC_MESSAGES/*.po)
MO_FILES := $(PO_FILES:.po=.mo)

# Without gettext (apt-get install gettext; `make system-deps` installs it) the app still runs, in English.
src/coalition/locale/%.mo: src/coalition/locale/%.po $(BIN)/.installed
	@if command -v msgfmt >/dev/null 2>&1; then \
		$(BIN)/python manage.py compilemessages --locale $(firstword $(subst /, ,$*)) \
			--ignore .venv --ignore var --ignore node_modules; \
	else echo "msgfmt not found (apt-get install gettext): $@ not built, pages stay in English" >&2; fi

install: $(BIN)/.installed $(MO_FILES)

# Re-resolve: the newest versions pyproject.toml allows (runtime and dev), installed in a scratch
# virtualenv and pinned with == into requirements.lock. Review the diff, then commit it.
lock:
	rm -rf $(LOCK_VENV)
	$(PYTHON) -m venv $(LOCK_VENV)
	$(LOCK_VENV)/bin/pip install --quiet --upgrade pip
	$(LOCK_VENV)/bin/pip install --quiet -e ".[dev]"
	{ echo "# Every runtime and dev dependency, pinned. Made by 'make lock' from pyproject.toml; do not edit."; \
		$(LOCK_VENV)/bin/pip freeze --exclude-editable; } > $(LOCK)
	rm -rf $(LOCK_VENV)

demo: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo
	@echo "Serving the demo at http://127.0.0.1:$(PORT)/ (Ctrl+C to stop)"
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

# The production server (gunicorn, deploy/gunicorn.conf.py) and the background worker, against the configured
# database: see docs/deploy.md. COALITION_BIND (127.0.0.1:8000) and WEB_CONCURRENCY set the address and processes.
serve: install
	@bash scripts/serve.sh

system-deps:
	@bash scripts/system-deps.sh

# The whole suite on SQLite, then again on PostgreSQL; each part says how long it took.
test:
	@$(TIMED) system-deps $(MAKE) --no-print-directory system-deps
	@$(TIMED) install $(MAKE) --no-print-directory install
	@$(TIMED) lint $(MAKE) --no-print-directory lint
	@$(TIMED) test-sqlite $(MAKE) --no-print-directory test-sqlite
	@$(TIMED) test-postgres $(MAKE) --no-print-directory test-postgres

test-sqlite: install
	$(BIN)/python manage.py makemigrations --check --dry-run
	DJANGO_ENV=production DJANGO_SECRET_KEY=check-deploy-$$(date +%s)-0123456789abcdefghijklmnopqrstuvwxyz \
		DJANGO_ALLOWED_HOSTS=coalition.example.org $(BIN)/python manage.py check --deploy --fail-level WARNING
	$(BIN)/pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

# Tests that never open a database ran in the SQLite pass; this pass runs every test that does.
test-postgres: install
	bash scripts/replica.sh
	COALITION_TEST_REPLICA=1 COALITION_DATABASE_TESTS_ONLY=1 DATABASE_URL=$(PG_URL) $(BIN)/pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check src tests bench
	$(BIN)/mypy
	$(BIN)/deptry src
	$(BIN)/python scripts/untranslated.py

bench: install
	@for script in bench/*.py; do $(BIN)/python $$script || exit 1; done

clean:
	rm -rf $(VENV) var staticfiles
