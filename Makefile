# Partnerskab — the two commands: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run run-national test install migrate demo serve bench messages check-config clean browser

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

bench: install
	$(BIN)/python -m benchmarks.run

# Extract message ids from the core into its catalogue template and update the Danish catalogue.
messages: install
	$(BIN)/pybabel extract -F babel.cfg -k one:2 -k add:2 -k Message -k lazy_gettext \
	    --project=Partnerskab -o core/locale/messages.pot --no-location --sort-output core themes
	$(BIN)/pybabel update -i core/locale/messages.pot -d core/locale -l da --no-fuzzy-matching --ignore-obsolete

clean:
	rm -rf $(VENV) instance .pytest_cache
