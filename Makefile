# Paddock: `make run` serves the site with demo content; `make test` runs the whole suite.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
UV := $(shell command -v uv 2>/dev/null)
HOST ?= 127.0.0.1
PORT ?= 8000
# Links in mail, feeds and QR codes are built on SITE_URL: locally, where `make run` serves.
SITE_URL ?= http://$(HOST):$(PORT)
# The suite runs on the machine's PostgreSQL and Redis; override to point elsewhere.
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/paddock
TEST_REDIS_URL ?= redis://127.0.0.1:6379/1
# Leaflet (drives' route maps) is copied here from node_modules/ by `make install`.
LEAFLET := static/vendor/leaflet

.PHONY: install vendor browser run migrate demo test lint format bench bench-pages bench-pages-cpu bench-rsvp bench-faults bench-outbox-faults bench-texts load-test clean prod-check

# Bytecode is compiled at install: every process (gunicorn and Celery workers, the suite's servers)
# then starts without compiling the libraries again, also where PYTHONDONTWRITEBYTECODE is set.
$(VENV)/.installed: pyproject.toml
	@test -x $(PY) || { $(if $(UV),uv venv -q --python $(PYTHON) $(VENV),$(PYTHON) -m venv $(VENV)); }
	@if command -v uv >/dev/null 2>&1; then uv pip install -q --python $(PY) -e '.[test]'; \
	 else $(PY) -m pip install -q --upgrade pip uv && $(VENV)/bin/uv pip install -q --python $(PY) -e '.[test]'; fi
	@$(PY) -m compileall -q -j 0 $(VENV)/lib >/dev/null || true
	@touch $@

install: $(VENV)/.installed vendor

# Front-end packages from npm into static/vendor/ (what a production install runs, without the venv).
vendor: $(LEAFLET)/leaflet.js

# Leaflet for drives' route maps, from the npm registry (pinned in package.json and its lock),
# copied into static/vendor/ where whitenoise serves it: no CDN.
$(LEAFLET)/leaflet.js: package.json package-lock.json
	@npm ci --no-audit --no-fund --ignore-scripts --loglevel=error
	@rm -rf $(LEAFLET) && mkdir -p $(LEAFLET)
	@cp -R node_modules/leaflet/dist/leaflet.js node_modules/leaflet/dist/leaflet.js.map \
	  node_modules/leaflet/dist/leaflet.css \
	  node_modules/leaflet/dist/images node_modules/leaflet/LICENSE $(LEAFLET)/

# Debian's Chromium for the browser tests (Playwright drives it; never `playwright install`).
browser:
	@test -x /usr/bin/chromium -a -d /usr/share/fonts/truetype/noto || { apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-color-emoji >/dev/null; }

migrate: install
	@mkdir -p var
	@$(PY) manage.py migrate --no-input -v 0

# Demo content is loaded once; `make demo` loads it again (seed_demo is idempotent).
var/.demo-loaded:
	@$(PY) manage.py seed_demo
	@touch $@

demo: migrate
	@$(PY) manage.py seed_demo

run: migrate var/.demo-loaded
	@echo ""
	@echo "  Paddock is running at $(SITE_URL)/   (staff admin: $(SITE_URL)/admin/)"
	@echo "  Demo staff login:  staff@paddock.localhost / paddock-demo"
	@echo "  Demo member login: member@paddock.localhost / paddock-demo"
	@echo "  Outgoing mail is written to var/mail/ (one .eml file per message)."
	@echo ""
	@SITE_URL=$(SITE_URL) $(PY) manage.py run_schedule & schedule=$$!; \
	 trap "kill $$schedule 2>/dev/null" EXIT INT TERM; \
	 SITE_URL=$(SITE_URL) $(PY) manage.py runserver $(HOST):$(PORT)

test: install browser
	@DATABASE_URL=$${DATABASE_URL:-$(TEST_DATABASE_URL)} REDIS_URL=$${REDIS_URL:-$(TEST_REDIS_URL)} \
	 $(PY) -m pytest $(PYTEST_ARGS)

# Benchmarks print figures (see bench/); they need the machine's PostgreSQL and Redis.
bench: install
	@$(PY) bench/events_bench.py
	@$(PY) bench/pages_bench.py

# Every kind of page, interleaved with its reference: visitors against a static copy of the same
# HTML, members against Wagtail's bakerydemo beside Paddock (or a bare Wagtail page without its
# source; BAKERYDEMO_GIT); ratios, latency, queries (see bench/pages_bench.py). BENCH_ARGS="--rounds 3".
bench-pages: install
	@$(PY) bench/pages_bench.py $(BENCH_ARGS)

# CPU ms per request of each member page kind, in-process, warm (see bench/pages_cpu.py).
bench-pages-cpu: install
	@$(PY) bench/pages_cpu.py $(BENCH_ARGS)

# 200 members answer "going" at once for a 50-place event: over HTTP, then in-process; commits/s,
# latency, places and answer mail checked (see bench/rsvp_burst_bench.py).
bench-rsvp: install
	@$(PY) bench/rsvp_burst_bench.py $(BENCH_ARGS)

# Redis stopped for 60 s under 20 members: 5xx, sign-ins, RSVPs, /health/ (see bench/faults_bench.py).
# Starts a redis-server of its own on a spare port; the machine's Redis is never stopped.
bench-faults: install
	@$(PY) bench/faults_bench.py --outage $${OUTAGE:-60}

# Workers SIGKILLed 10 times during 1,000 invitations: lost, duplicates, time (bench/outbox_faults_bench.py).
bench-outbox-faults: install
	@$(PY) bench/outbox_faults_bench.py $(BENCH_ARGS)

# 2,000 invitations by text through a Celery worker to a local Twilio Messages API (bench/texts_bench.py).
bench-texts: install
	@$(PY) bench/texts_bench.py $(BENCH_ARGS)

# 50 members browse, post and RSVP for 5 minutes (DURATION=60 make load-test for a short run).
load-test: install
	@$(PY) bench/load_test.py --duration $${DURATION:-300}

# The production settings' own checks and Django's `check --deploy`, with a throwaway but valid
# environment (nothing is contacted): run in CI, and before deploying a change to settings.
# On a server, check the real environment with `manage.py check --deploy --fail-level WARNING`.
PROD_CHECK_ENV = PADDOCK_ENV=production DJANGO_SETTINGS_MODULE=paddock.settings.production \
	SECRET_KEY=$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(50))') \
	ALLOWED_HOSTS=club.example.com SITE_URL=https://club.example.com \
	DATABASE_URL=postgres://paddock@db.example.com:5432/paddock \
	REDIS_URL=redis://cache.example.com:6379/0 EMAIL_URL=smtp+tls://mailer:pw@smtp.example.com:587

prod-check: install
	@echo "Production settings, media on the filesystem:"
	@env -u DEBUG -u DJANGO_ALLOW_ASYNC_UNSAFE $(PROD_CHECK_ENV) $(PY) manage.py check --deploy --fail-level WARNING
	@echo "Production settings, media on S3:"
	@env -u DEBUG -u DJANGO_ALLOW_ASYNC_UNSAFE $(PROD_CHECK_ENV) MEDIA_STORAGE=s3 AWS_STORAGE_BUCKET_NAME=paddock-media \
	 $(PY) manage.py check --deploy --fail-level WARNING

# Style, then architecture: the apps' layers (import-linter, see pyproject.toml) and the count of
# Paddock's own imports written inside functions (tools/function_imports.py).
lint: install
	@$(VENV)/bin/ruff check .
	@$(VENV)/bin/ruff format --check .
	@$(VENV)/bin/lint-imports --no-cache
	@$(PY) tools/function_imports.py

format: install
	@$(VENV)/bin/ruff check --fix .
	@$(VENV)/bin/ruff format .

clean:
	rm -rf $(VENV) var .pytest_cache test-results node_modules $(LEAFLET)
