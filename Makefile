# podviz — the two commands of the quick start:
#   make run     serve the dashboard on http://127.0.0.1:8000 (make run PORT=8765 for another port)
#   make test    lint, then the whole test suite, browser tests included
.DEFAULT_GOAL := help
PORT ?= 8000
HOST ?= 127.0.0.1
VENV := .venv
BIN := $(VENV)/bin
CHROMIUM ?= /usr/bin/chromium
# pytest-xdist workers for `make test`: the browser tests and the server processes mostly wait,
# so a worker more than the cores keeps both busy (docs/benchmarks.md, "The test suite").
TEST_WORKERS ?= 3

.PHONY: help run test test-js lint format bench migrate static clean audit

help:
	@echo "make run     start the dashboard on http://$(HOST):$(PORT)"
	@echo "make test    ruff, then the whole test suite (browser tests need Debian's chromium)"
	@echo "make bench   run the benchmarks in bench/"
	@echo "make format  format the code with ruff"
	@echo "make audit   check the pinned requirements against PyPI's advisories (docs/reliability.md)"

# The virtual environment, rebuilt only when the Python found or a requirements file changes.
$(VENV)/.python:
	@python=$$(scripts/find-python) || exit 1; \
	echo "Creating $(VENV) with $$python"; \
	rm -rf $(VENV) && "$$python" -m venv $(VENV) && echo "$$python" > $@

$(VENV)/.base-installed: $(VENV)/.python requirements/base.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements/base.txt
	@touch $@

$(VENV)/.dev-installed: $(VENV)/.base-installed requirements/dev.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements/dev.txt
	@touch $@

migrate: $(VENV)/.base-installed
	@$(BIN)/python manage.py migrate --noinput --verbosity 0

# Hashed, gzip and Brotli copies of the static files, rebuilt only when a source changed.
static: $(VENV)/.base-installed
	@$(BIN)/python manage.py collectstatic_if_stale --verbosity 0

run: migrate static
	@$(BIN)/python manage.py shell --no-imports --verbosity 0 -c "from django.contrib.auth import get_user_model; \
	get_user_model().objects.exists() or print('podviz: saving scenarios needs a user; create the first one with: $(BIN)/python manage.py createsuperuser')"
	@echo "podviz: http://$(HOST):$(PORT)/  (Ctrl+C stops it)"
	@case "$(HOST)" in 127.0.0.1|localhost|::1) ;; *) [ -n "$$PODVIZ_ALLOWED_HOSTS" ] || \
	echo "podviz: students on the network get 400 until you name this machine, e.g. PODVIZ_ALLOWED_HOSTS=$$(hostname -I 2>/dev/null | cut -d' ' -f1) make run HOST=$(HOST)";; esac
	$(BIN)/daphne -b $(HOST) -p $(PORT) config.asgi:application

lint: $(VENV)/.dev-installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache
	$(BIN)/mypy

format: $(VENV)/.dev-installed
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# The unit tests of the browser modules (each app's static/podviz/), with Node's own test runner;
# the hook resolves their imports across apps as the static files' URLs do.
test-js:
	node --import ./tests/js/static_finder.mjs --test tests/js/

test: lint static test-js
	@scripts/check-browser "$(CHROMIUM)"
	PODVIZ_CHROMIUM="$(CHROMIUM)" $(BIN)/python -m pytest -n $(TEST_WORKERS)

# Exit 1: a pin has known vulnerabilities; 2: some pins could not be checked (docs/reliability.md).
audit: $(VENV)/.python
	$(BIN)/python scripts/audit_requirements.py requirements/base.txt requirements/dev.txt

bench: $(VENV)/.dev-installed
	$(BIN)/python bench/bench_engine.py
	$(BIN)/python bench/bench_fanout.py
	$(BIN)/python bench/bench_redraw.py
	$(BIN)/python bench/bench_first_chart.py

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache .hypothesis
