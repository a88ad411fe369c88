# stocktake — every set-up step is a target here; `make help` lists them.
PY ?= python3.11
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
HOST ?= 127.0.0.1
PORT ?= 8000
# pytest-xdist workers for `make test`: one per core
WORKERS ?= auto
# An Open SDG translations folder; the copy shipped with the package is the default.
SDG_FRAMEWORK ?= src/stocktake/frameworks/data/sdg
# An Open SDG data folder for the demo's indicators; empty: the UK sample shipped with the demo.
OPENSDG ?=

.DEFAULT_GOAL := help

.PHONY: help
help: ## List the targets with what they do
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z_-]+:.*## / {printf "  \033[1m%-10s\033[0m %s\n", $$1, $$2}' $(MAKEFILE_LIST)

$(STAMP): requirements.lock pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --require-hashes -r requirements.lock
	$(BIN)/pip install --quiet --no-deps --no-build-isolation -e .
	touch $@

.PHONY: install
install: $(STAMP) ## Create the virtual environment and install the locked dependencies

# What the browser tests need besides Python: axe-core from the npm registry (package-lock.json) and
# Debian's Chromium, installed with apt-get when it is missing and this is root (CI's case).
AXE := node_modules/axe-core/axe.min.js
CHROMIUM ?= /usr/bin/chromium

$(AXE): package.json package-lock.json
	npm ci --no-audit --no-fund --silent
	touch $@

.PHONY: browser
browser: $(AXE) ## Install what the browser tests drive: Debian's Chromium and axe-core
	@test -x $(CHROMIUM) || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "Chromium is missing: sudo apt-get install chromium (Debian), or set CHROMIUM=/path"; exit 1; fi; }

.PHONY: demo
demo: $(STAMP) ## Migrate the SQLite database, load the GCM process and demo data, serve on http://127.0.0.1:8000
	$(BIN)/stocktake demo $(if $(OPENSDG),--opensdg $(OPENSDG))
	$(BIN)/stocktake serve --host $(HOST) --port $(PORT)

.PHONY: lint
lint: $(STAMP) ## Ruff lint and format check
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

.PHONY: typecheck
typecheck: $(STAMP) ## mypy on the package
	$(BIN)/mypy

.PHONY: test
test: lint typecheck browser ## Lint, type check and the whole suite over every core (also on PostgreSQL when STOCKTAKE_TEST_DATABASE_URL is set)
	$(BIN)/pytest -q -n $(WORKERS)

.PHONY: format
format: $(STAMP) ## Apply ruff's fixes and formatting
	$(BIN)/ruff check --fix src tests bench
	$(BIN)/ruff format src tests bench

.PHONY: docs
docs: $(STAMP) ## Regenerate docs/cli.md and docs/api.md from the code (a test fails when they drift)
	$(BIN)/python -m stocktake.refdocs

# The catalogs of the six languages, one per area of the product (AREAS): the English texts marked in
# the code and the templates that `<area>.cfg` names, each language's translations beside them (the app
# reads every .po file; see docs/languages.md).
LOCALE := src/stocktake/locale
LANGUAGES := ar en es fr ru zh
AREAS := messages consultation stocktaking negotiation review cli notifications news

.PHONY: messages
messages: $(STAMP) ## Extract the texts to translate, merge them into the six catalogs and check that they compile
	for area in $(AREAS); do \
	  $(BIN)/pybabel extract -F $(LOCALE)/$$area.cfg --no-location --sort-output --omit-header \
	    -k flash:2 -k _back:2 -k Plural:1,2 -k translatable -k translatable_plural:1,2 -k translatable_in:1c,2 -k Text \
	    -o $(LOCALE)/$$area.pot . || exit 1; \
	  for lang in $(LANGUAGES); do \
	    test -f $(LOCALE)/$$lang/LC_MESSAGES/$$area.po \
	      || $(BIN)/pybabel init -D $$area -i $(LOCALE)/$$area.pot -d $(LOCALE) -l $$lang || exit 1; \
	  done; \
	  $(BIN)/pybabel update -D $$area -i $(LOCALE)/$$area.pot -d $(LOCALE) --ignore-obsolete --no-fuzzy-matching || exit 1; \
	  $(BIN)/pybabel compile -D $$area -d $(LOCALE) --statistics || exit 1; \
	done
	find $(LOCALE) -name '*.mo' -delete

.PHONY: evaluate
evaluate: $(STAMP) ## Score the analysis on the labelled evaluation sets (evaluation/)
	$(BIN)/stocktake evaluate --set evaluation/gcm-eval.csv --frameworks $(SDG_FRAMEWORK) --passages evaluation/sdg-targets.csv
	$(BIN)/stocktake evaluate --set evaluation/gcm-eval.csv --frameworks $(SDG_FRAMEWORK) --confirmed 0.3
	$(BIN)/stocktake evaluate --frameworks $(SDG_FRAMEWORK) --passages evaluation/sdg-targets-translated.csv

.PHONY: bench
bench: $(STAMP) ## Run the benchmarks in bench/ and print their results tables (about ten minutes)
	$(BIN)/python -m bench
	$(BIN)/python -m bench.analysis
	$(BIN)/python -m bench.negotiation
	$(BIN)/python -m bench.review_sdmx
	$(BIN)/python -m bench.review_report

.PHONY: bench-analysis-dask
bench-analysis-dask: $(STAMP) ## The analysis of 1,000,000 generated inputs alone and on local Dask clusters of 1, 2 and 4 workers (SIZES= other sizes)
	$(BIN)/python -m bench.analysis --sizes $(or $(SIZES),1000000) --dask-workers 0 1 2 4

.PHONY: bench-load
bench-load: $(STAMP) ## 200 simulated visitors for 2 minutes against a local server (SQLite; LOAD_DB= a PostgreSQL URL)
	$(BIN)/python -m bench.load --users 200 --duration 120 $(if $(LOAD_DB),--database-url $(LOAD_DB))

.PHONY: bench-load-signed-in
bench-load-signed-in: $(STAMP) ## 100 signed-in delegates browsing and writing for 2 minutes (SQLite; LOAD_DB= a PostgreSQL URL)
	$(BIN)/python -m bench.load --signed-in --users 100 --duration 120 $(if $(LOAD_DB),--database-url $(LOAD_DB))

.PHONY: bench-pages
bench-pages: $(STAMP) ## Server time and Python calls of every main page per signed-in role (SQLite; PAGES_DB= a PostgreSQL URL)
	$(BIN)/python -m bench.pages --calls $(if $(PAGES_DB),--database-url $(PAGES_DB))

.PHONY: bench-signin
bench-signin: $(STAMP) ## 50 delegates signing in at once while readers browse, against a local server (SQLite)
	$(BIN)/python -m bench.signin --delegates 50 --readers 4

.PHONY: lock
lock: ## Re-resolve requirements.lock from pyproject.toml (needs network)
	$(PY) -m venv .venv-lock && .venv-lock/bin/pip install --quiet uv
	.venv-lock/bin/uv pip compile pyproject.toml --extra dev --python-version 3.11 --generate-hashes -o requirements.lock
	rm -rf .venv-lock

.PHONY: clean
clean: ## Remove the virtual environment and local data
	rm -rf $(VENV) data .pytest_cache .mypy_cache .ruff_cache
