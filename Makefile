# The two commands a newcomer needs are `make demo` and `make test` (see README.md).
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python

.PHONY: demo test test-sqlite lint typecheck venv messages clean

venv: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	@PYTHON=$$(scripts/find-python) && [ -x $(PY) ] || "$$PYTHON" -m venv $(VENV)
	@echo "Memasang warta dan pustakanya ke $(VENV) (log: var/log/install.log) ..."
	@mkdir -p var/log
	@{ $(PY) -m pip install --quiet --upgrade pip && $(PY) -m pip install --quiet -e '.[dev]'; } \
	  > var/log/install.log 2>&1 || { tail -n 30 var/log/install.log; exit 1; }
	@touch $@

## Set up everything and run warta with the demo city (web + worker + scheduler).
demo: venv
	@scripts/demo

## Run the whole test suite: SQLite always, PostgreSQL too when WARTA_TEST_POSTGRES_URL is set.
test: venv
	@scripts/test

test-sqlite: venv
	@WARTA_TEST_POSTGRES_URL= scripts/test

## Lint, formatting and types: what CI checks before the tests.
lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy

typecheck: lint

messages: venv
	WARTA_DEBUG=1 $(PY) manage.py makemessages -l en --ignore '.venv/*' --ignore 'bench/*' --ignore 'var/*' --ignore '*/tests/*'
	WARTA_DEBUG=1 $(PY) manage.py compilemessages --ignore '.venv/*'

clean:
	rm -rf $(VENV) staticfiles
