# The two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
DEV_ENV := DEBUG=true

.PHONY: run test venv migrate demo lint typecheck mutate format messages migrations-check bench worker beat check-deploy clean

venv: $(VENV)/.installed

$(VENV)/.installed: requirements.txt requirements-dev.txt
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11+ is required"'
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --upgrade --quiet pip
	$(VENV)/bin/pip install --quiet -r requirements-dev.txt
	touch $@

migrate: venv
	$(DEV_ENV) $(MANAGE) migrate --noinput

demo: migrate
	$(DEV_ENV) $(MANAGE) load_demo

## Embedded default: SQLite, Celery eager, e-mail to the console, http://127.0.0.1:8000
run: demo
	$(DEV_ENV) $(MANAGE) runserver 127.0.0.1:8000

## The whole test suite. Tests that need PostgreSQL, Redis or Chromium skip when those are missing.
test: venv
	$(VENV)/bin/pytest $(PYTEST_ARGS)

lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

## mypy with django-stubs over the files listed in pyproject.toml ([tool.mypy] files).
typecheck: venv
	$(DEV_ENV) $(VENV)/bin/mypy

## Mutation testing of the rules, petitions' services and the report figures ([tool.mutmut] in
## pyproject.toml). Long: MUTANTS='rules*' restricts it (mutant names are module paths, globs allowed).
## Scores are in the README ("Mutation testing").
mutate: venv
	$(DEV_ENV) $(VENV)/bin/mutmut run --max-children $${MUTATE_CHILDREN:-2} $(MUTANTS)
	$(VENV)/bin/mutmut results --all true | awk '{print $$NF}' | sort | uniq -c

format: venv
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

## Refresh the Vietnamese catalogue of the whole project, then compile it (English is the source language).
messages: venv
	$(DEV_ENV) $(MANAGE) makemessages -l vi --no-obsolete --add-location=file --ignore=.venv --ignore=staticfiles --ignore=test-artifacts
	$(DEV_ENV) $(MANAGE) compilemessages --ignore=.venv

migrations-check: venv
	$(DEV_ENV) $(MANAGE) makemigrations --check --dry-run

## Production-like settings must pass Django's deployment checks with no issue.
check-deploy: venv
	env -u DJANGO_ALLOW_ASYNC_UNSAFE DEBUG=false SECRET_KEY=ci-$$(date +%s)-a-long-random-secret-key-for-the-deploy-check-only \
	ALLOWED_HOSTS=doithoai.hanoi.gov.vn REDIS_URL=$${REDIS_URL:-redis://127.0.0.1:6379/0} \
	$(MANAGE) check --deploy --fail-level WARNING

## Benchmarks print figures (see README, "Performance").
bench: venv
	$(MANAGE) bench $(BENCH_ARGS)

worker: venv
	$(VENV)/bin/celery -A dialogue_portal worker -l info

beat: venv
	$(VENV)/bin/celery -A dialogue_portal beat -l info

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles
