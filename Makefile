# Two commands for a fresh Debian machine with Python 3.11: `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
MANAGE := $(BIN)/python manage.py
# Debian packages: WeasyPrint's libraries and gettext for `make run`; poppler (pdftotext) and
# Chromium for the test suite.
RUN_DEBS := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core gettext
TEST_DEBS := $(RUN_DEBS) poppler-utils chromium
PG_URL := postgres://postgres@127.0.0.1:5432/noloc

.PHONY: install system-run system-test run test lint bench messages translations clean backup restore

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

system-run:
	@scripts/ensure-debs.sh $(RUN_DEBS)

system-test:
	@scripts/ensure-debs.sh $(TEST_DEBS)

messages: install
	$(MANAGE) compilemessages --ignore=.venv -v0

# Rebuild locale/nl after changing texts.
translations: install
	scripts/update-translations.sh

run: install system-run messages
	$(MANAGE) migrate --noinput
	$(MANAGE) seed_demo
	$(MANAGE) runserver 127.0.0.1:8000

# The suite runs in one process per core (pytest-xdist), each with a test database of its own;
# TEST_WORKERS=0 runs it in this process.
TEST_WORKERS ?= auto

test: install system-test messages
	@scripts/ensure-services.sh
	@if pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then \
		echo "Tests run on PostgreSQL ($(PG_URL))"; \
		DATABASE_URL=$${DATABASE_URL:-$(PG_URL)} $(BIN)/pytest -n $(TEST_WORKERS); \
	else \
		echo "PostgreSQL unreachable: tests run on SQLite"; \
		$(BIN)/pytest -n $(TEST_WORKERS); \
	fi

# Database and stored files into a new folder (BACKUP_DIR); see README, "Back-up en herstel".
BACKUP_DIR ?= backups/$(shell date +%Y%m%d-%H%M%S)
backup: install
	$(MANAGE) backup --to $(BACKUP_DIR)

# Into an empty database: `make restore FROM=backups/20261127-120000` (REPLACE=1 empties a
# database that holds data first).
restore: install
	@test -n "$(FROM)" || { echo "usage: make restore FROM=<back-up folder> [REPLACE=1]"; exit 2; }
	$(MANAGE) migrate --noinput
	$(MANAGE) restore --from $(FROM)$(if $(REPLACE), --replace)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(MANAGE) makemigrations --check --dry-run -v1
	$(BIN)/bandit -q -c pyproject.toml -r . --severity-level medium

# The benchmark of record (not part of `make test`): the micro-benchmarks, then pages, the
# evaluate command, the dossier and render jobs against gunicorn, PostgreSQL, Redis and a Celery
# worker; writes bench/results.json and bench/REPORT.md. BENCH_SCALE=0.1 runs in minutes; see
# benchmarks/run.py for the other BENCH_* settings.
bench: install system-test messages
	@scripts/ensure-services.sh
	$(BIN)/pytest benchmarks -s --benchmark-only -p no:cacheprovider -o testpaths=benchmarks
	$(BIN)/python -m benchmarks.run

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache
