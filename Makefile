# Partnerskab — the two commands: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run run-national test install migrate demo serve bench bench-federation bench-install wrk crash concurrency load messages check-config clean browser

# Create the virtual environment and install the project with its test tools, once per change
# of pyproject.toml.
$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

migrate: install
	$(BIN)/partnerskab migrate

demo: migrate
	$(BIN)/partnerskab demo

serve: install
	$(BIN)/partnerskab serve

# Everything a newcomer needs: install, migrate, demo data, serve on http://127.0.0.1:8000 ($$PORT).
run: demo
	$(BIN)/partnerskab serve

# The national coordinator's instance beside the demo, on http://127.0.0.1:8001 (config/national.toml
# with its own SQLite file under instance/national): it harvests the demo instance before it serves.
run-national: demo
	$(BIN)/python -m plugins.federation.national_demo --port 8001

# Debian's Chromium for the browser tests (Playwright drives it through executable_path).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; fi; }

test: install browser
	$(BIN)/python -m pytest $(PYTEST_ARGS)

check-config: install
	$(BIN)/partnerskab check-config

# Debian's wrk, the load generator of make bench and make load (as make browser installs chromium).
wrk:
	@command -v wrk >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; \
	  else sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; fi; }

$(VENV)/.bench-installed: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[test,bench]'
	touch $@

bench-install: $(VENV)/.bench-installed wrk

# The platform's pages beside a bare page and Datasette at 1,000 / 100,000 / 1,000,000 organisations,
# and on PostgreSQL with one and two workers (BENCH_DATABASE_URL, or .ci/postgres.sh's server);
# results in benchmarks/results/ (README.md, chart.svg, results.json). BENCH_ARGS for options.
# It ends with the federation scenario (feeds served, harvests and the national dashboards; three
# peers of 30,000 organisations, some 100,000 items each; with BENCH_ARGS=--quick 1,000, under two
# minutes). Under 20 minutes on 2 cores from a fresh clone (benchmarks/results/README.md says how long).
bench: bench-install
	$(BIN)/python -m benchmarks.run $(BENCH_ARGS)

# Only the federation scenario (benchmarks/federation.py); the pages' last results stay in the report.
bench-federation: install
	$(BIN)/python -m benchmarks.run --only federation $(BENCH_ARGS)

# The full versions of the operations tests that the suite runs shortened (tests/ops/). They run on
# SQLite, or on PostgreSQL with TEST_DATABASE_URL=postgresql://... (as make test does).
crash: install
	CRASH_KILLS=100 $(BIN)/python -m pytest tests/ops/test_crash.py -q -p no:cacheprovider -s

concurrency: install
	CONCURRENT_CLIENTS=50 $(BIN)/python -m pytest tests/ops/test_concurrency.py -q -p no:cacheprovider -s

# 50 people for 10 minutes with four workers, held to p95 < 300 ms and p99 < 1 s, 0 errors;
# on PostgreSQL: TEST_DATABASE_URL=postgresql://... make load (or LOAD_DATABASE=ci to start .ci/postgres.sh's).
load: install
	@if [ "$(LOAD_DATABASE)" = ci ]; then bash .ci/postgres.sh start; fi
	$(if $(filter ci,$(LOAD_DATABASE)),TEST_DATABASE_URL="$$(bash .ci/postgres.sh url)") LOAD_STRICT=1 \
	    LOAD_SECONDS=$${LOAD_SECONDS:-600} LOAD_WORKERS=$${LOAD_WORKERS:-4} \
	    $(BIN)/python -m pytest tests/ops/test_load.py -q -p no:cacheprovider -s

# Extract message ids from the core into its catalogue template and update the Danish catalogue.
messages: install
	$(BIN)/pybabel extract -F babel.cfg -k one:2 -k add:2 -k Message -k lazy_gettext \
	    -k add_plural:2,3 -k PluralMessage:1,2 -k _require:4 -k _status_problem:3 -k _organisation_ref:4 \
	    --project=Partnerskab -o core/locale/messages.pot --no-location --sort-output core themes
	$(BIN)/pybabel update -i core/locale/messages.pot -d core/locale -l da --no-fuzzy-matching --ignore-obsolete

clean:
	rm -rf $(VENV) instance .pytest_cache
