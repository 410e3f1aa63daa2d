# govsites — 政府网站集约化平台.  `make help` lists the targets.
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8000
# Test processes (pytest-xdist); 0 runs the suite in one process.
TEST_JOBS ?= 2
export GOVSITES_DATA_DIR ?= $(CURDIR)/var

.PHONY: help run test lint bench demo migrate screenshots messages venv clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

$(VENV)/.installed: pyproject.toml
	@if [ ! -x $(PY) ]; then \
	  PYBIN=$$(scripts/find-python.sh) && echo "使用 $$PYBIN 创建虚拟环境 $(VENV)" && $$PYBIN -m venv $(VENV); fi
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e ".[dev]"
	@touch $@

venv: $(VENV)/.installed ## Create the virtualenv (Python >= 3.12) and install

migrate: venv ## Apply database migrations
	$(PY) -m govsites migrate --noinput -v0

demo: migrate ## Load (or refresh) the demo cluster
	$(PY) -m govsites demo --port $(PORT)

run: demo ## Install, migrate, load the demo, publish it, then serve the sites and run the worker
	$(PY) -m govsites publish --all --no-progress
	@scripts/run.sh $(PORT)

test: venv ## Run the test suite (T=path for a subset); says what it skipped and why
	@status=0; $(PY) -m pytest -p no:cacheprovider -q -n $(TEST_JOBS) --dist loadgroup --durations=25 $(T) || status=$$?; \
	if [ -z "$$CI" ]; then echo "(A SKIPPED line above names an optional tool this machine lacks;" \
	  "under CI=true that test fails instead.)"; fi; exit $$status

lint: venv ## ruff, mypy, import-linter, migrations check
	$(VENV)/bin/ruff check govsites bench
	$(VENV)/bin/mypy govsites
	$(VENV)/bin/lint-imports
	DJANGO_SETTINGS_MODULE=govsites.config.settings.test $(PY) -m govsites makemigrations --check --dry-run -v0

bench: venv ## Run the benchmarks in bench/ (figures as ratios against same-run baselines)
	$(PY) -m pip install -q -e ".[dev,bench]"
	@status=0; for b in bench/bench_*.py; do echo "== $$b"; $(PY) $$b || status=1; done; exit $$status

screenshots: demo ## PNG of each public page type (both reading modes), error page and admin screen (needs chromium)
	$(PY) -m govsites publish --all --no-progress
	$(PY) -m govsites screenshots --out screenshots

messages: ## Compile the platform's translations in govsites/locale (needs gettext's msgfmt)
	@for po in govsites/locale/*/LC_MESSAGES/*.po; do msgfmt --check -o $${po%.po}.mo $$po || exit 1; done

clean: ## Remove the local data directory (database, media, published tree)
	rm -rf var
