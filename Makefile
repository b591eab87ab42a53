# Two commands do all set-up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
# Re-install only when the requirement files change.
INSTALLED := $(VENV)/.installed

.PHONY: install catalogue messages run serve test lint format clean bench

$(INSTALLED): requirements.txt requirements-dev.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $@

install: $(INSTALLED) catalogue

## Compile the translation catalogues (locale/*.po -> .mo, build output) when a .po changed.
## Pure Python (Babel): no GNU gettext needed to run or test.
catalogue: $(INSTALLED)
	$(BIN)/python -m ui.catalogue

## After adding or changing text: extract it into locale/zh_Hant/LC_MESSAGES/django.po, then
## translate the new entries (docs/glossary-zh-hant.md) and `make catalogue`. Needs GNU
## gettext's xgettext (`apt-get install gettext`).
messages: install
	DEBUG=true $(BIN)/python manage.py makemessages -l zh_Hant

## Migrate, start the embedded Wonder sandbox and the dashboard on http://127.0.0.1:8000.
run: install
	DEBUG=true $(BIN)/python manage.py migrate --noinput
	DEBUG=true $(BIN)/python manage.py wonder_dev_keys
	@DEBUG=true $(BIN)/python manage.py ensure_demo_admin
	DEBUG=true BIN=$(BIN) scripts/run-dev.sh

## The production profile: collectstatic, migrate, gunicorn (+ the sandbox without WONDER_APP_ID).
serve: install
	BIN=$(BIN) scripts/run-prod.sh

## Lint, then run every test.
test: install lint
	$(BIN)/python -m pytest

## Page-speed benchmark: starts its own sandbox and gunicorn (ports 8500-8599).
bench: install
	$(BIN)/python -m bench.pages

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache staticfiles
