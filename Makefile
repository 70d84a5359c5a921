# The two set-up commands: `make run` and `make test`. Everything else is here for them.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export FLASK_APP := wsgi.py
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: run worker serve test lint translations messages migrate demo speech-tools css css-check bench bench-billing bench-documents screenshots compliance clean

$(BIN)/activate: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.test-deps: $(BIN)/activate pyproject.toml
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

translations: $(BIN)/activate
	$(BIN)/pybabel compile -d app/translations --statistics

messages: $(BIN)/activate
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -o app/translations/messages.pot --no-location --sort-output .
	$(BIN)/pybabel update -i app/translations/messages.pot -d app/translations --ignore-obsolete
	$(BIN)/python tools/fill_french_catalog.py

compliance: $(BIN)/activate
	$(BIN)/python tools/update_compliance.py

migrate: $(BIN)/activate
	$(BIN)/flask db upgrade

demo: migrate
	$(BIN)/flask demo load

# Debian's speech synthesiser and MP3 encoder, with which the worker reads the legal documents aloud at publication.
# Without them (no root to install them), the portal works and offers no recording.
speech-tools:
	@command -v espeak-ng >/dev/null && command -v lame >/dev/null || \
	  apt-get install -y -q espeak-ng lame || (apt-get update -q && apt-get install -y -q espeak-ng lame) || \
	  echo "espeak-ng and lame are not installed (apt-get install espeak-ng lame): the documents will have no audio."

# Development server and a job-queue worker, started and stopped together: SQLite, the simulated payment
# provider, mail delivered by the worker into instance/outbox/.
run: translations speech-tools demo
	$(BIN)/flask worker & worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/flask run --host $(HOST) --port $(PORT)

# A worker on its own (mail delivery, the outbox sweep, the billing schedule), beside `make serve`.
worker: translations speech-tools migrate
	$(BIN)/flask worker

# Production-like server (gunicorn). Set SECRET_KEY, DATABASE_URL and PORTAL_ENV=production outside a laptop.
serve: translations migrate
	$(BIN)/gunicorn --config gunicorn.conf.py --bind $(HOST):$(PORT) wsgi:app

# One test process per CPU (pytest-xdist); TEST_WORKERS=0 runs the suite in this process (a debugger, -x).
TEST_WORKERS ?= auto
test: $(VENV)/.test-deps translations speech-tools
	$(BIN)/pytest -q -n $(TEST_WORKERS) $(PYTEST_ARGS)

lint: $(VENV)/.test-deps
	$(BIN)/ruff check .
	$(BIN)/mypy

# The stylesheet: styles/*.scss built with Sass from the npm packages of package-lock.json (GOV.UK Frontend,
# rebranded; the Inter font) into static/css/portal.css and static/fonts/, with the script of GOV.UK Frontend's
# one component that has one here (the service navigation) in static/vendor/, all committed so that `make run` needs no Node. `make css-check` (CI) builds them again elsewhere and fails if the committed copies differ.
FONT_WEIGHTS := 400 600 700
FONT_VERSION = $(shell node -p "require('./node_modules/@fontsource/inter/package.json').version")
CSS_OUT ?= static

node_modules/.package-lock.json: package.json package-lock.json
	command -v npm >/dev/null || apt-get install -y -q nodejs npm || (apt-get update -q && apt-get install -y -q nodejs npm)
	npm ci --ignore-scripts --no-audit --no-fund

css: node_modules/.package-lock.json
	mkdir -p $(CSS_OUT)/css $(CSS_OUT)/fonts
	npx --no-install sass --pkg-importer=node --no-source-map --style=compressed \
	  --load-path=styles styles/portal.scss $(CSS_OUT)/css/portal.css
	for weight in $(FONT_WEIGHTS); do cp node_modules/@fontsource/inter/files/inter-latin-$$weight-normal.woff2 \
	  $(CSS_OUT)/fonts/inter-$(FONT_VERSION)-latin-$$weight-normal.woff2; done
	cp node_modules/@fontsource/inter/LICENSE $(CSS_OUT)/fonts/LICENSE
	mkdir -p $(CSS_OUT)/vendor
	cp node_modules/govuk-frontend/dist/govuk/components/service-navigation/service-navigation.bundle.mjs \
	  $(CSS_OUT)/vendor/govuk-frontend-service-navigation-6.3.0.js

css-check: node_modules/.package-lock.json
	rm -rf build/css-check && $(MAKE) --no-print-directory css CSS_OUT=build/css-check
	cmp build/css-check/css/portal.css static/css/portal.css
	cmp build/css-check/vendor/govuk-frontend-service-navigation-6.3.0.js \
	  static/vendor/govuk-frontend-service-navigation-6.3.0.js
	for file in build/css-check/fonts/*; do cmp "$$file" "static/fonts/$${file##*/}" || exit 1; done
	@echo "static/css/portal.css, static/fonts/ and GOV.UK Frontend's script match their sources"

# Load benchmark (bench/README.md): wrk from Debian against gunicorn with gunicorn.conf.py, as `make serve`.
bench: $(VENV)/.test-deps translations
	command -v wrk >/dev/null || apt-get install -y wrk || (apt-get update && apt-get install -y wrk)
	$(BIN)/python -m bench.load

# The billing run with N renewals due at once (bench/README.md): wall time, ms per renewal, peak memory, and
# one invoice per renewal numbered without a gap. BENCH_DATABASE_URL=postgresql+psycopg://... for PostgreSQL.
N ?= 10000
bench-billing: $(VENV)/.test-deps translations
	$(BIN)/python -m bench.billing $(N)

# The invoice and terms PDFs: first and warm render times, and no render on a request (bench/README.md).
bench-documents: $(VENV)/.test-deps translations
	$(BIN)/python -m bench.documents

# docs/screenshots/: home, catalogue, a Parcours, the review step and the Premium tab at 1280 and 375 px.
screenshots: $(VENV)/.test-deps translations
	$(BIN)/python -m tools.screenshots

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
