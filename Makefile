# Two commands do all the set-up on a fresh machine:
#   make run    create .venv, install everything, run the main job
#   make test   create or update .venv, install what the tests need (Debian packages too), run pytest
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# The install is stamped with a hash of pyproject.toml: a second run installs nothing.
STAMP := $(VENV)/.installed-$(shell sha256sum pyproject.toml | cut -c1-16)
APT_STAMP := $(VENV)/.apt-installed
APT_PACKAGES := chromium chromium-driver
PIP := $(BIN)/python -m pip --disable-pip-version-check -q

.PHONY: run test test-fast lint typecheck screenshots format schema venv apt clean dagster materialize edit web

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(PIP) install --upgrade pip 2>&1 | grep -v '^WARNING: Location' || true
	$(PIP) install -e '.[all]' 2>&1 | grep -v '^WARNING: Location' ; test $${PIPESTATUS[0]} -eq 0
	rm -f $(VENV)/.installed-*
	touch $@

venv: $(STAMP)

# Debian packages for the browser tests (skipped when already present).
$(APT_STAMP): | $(BIN)/python
	@if command -v chromium >/dev/null && command -v chromedriver >/dev/null; then \
	  echo "chromium and chromedriver present"; \
	else \
	  SUDO=$$( [ "$$(id -u)" -eq 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $(APT_PACKAGES); \
	fi
	touch $@

apt: $(APT_STAMP)

run: venv
	$(BIN)/basalt config validate demo/01_ohlcv_bars.py
	$(BIN)/python demo/01_ohlcv_bars.py --dry-run
	$(BIN)/python demo/01_ohlcv_bars.py

edit: venv
	$(BIN)/python -m config_ui demo/01_ohlcv_bars.py

web: venv
	$(BIN)/python -m config_ui demo/01_ohlcv_bars.py --web

# The gates run first: a style, import or type error fails before the suite starts.
test: venv apt lint typecheck
	$(BIN)/python -m pytest

# The quick loop: everything but the tests marked e2e (browsers, dagster dev, killed
# processes: tests/e2e, tests/security, tests/faults).
test-fast: venv
	$(BIN)/python -m pytest -m "not e2e"

lint: venv
	$(BIN)/ruff check basalt config_ui tests bench demo
	$(BIN)/ruff format --check basalt config_ui tests bench demo

# mypy on basalt and config_ui, as configured in pyproject.toml ([tool.mypy]).
typecheck: venv
	$(BIN)/mypy

# The README's pictures (docs/img/), made by the editors on a copy of the demos.
screenshots: venv apt
	$(BIN)/python docs/screenshots.py

format: venv
	$(BIN)/ruff format basalt config_ui tests bench demo
	$(BIN)/ruff check --fix basalt config_ui tests bench demo

schema: venv
	$(BIN)/basalt config schema -o demo/analytics-config.schema.json

DAGSTER_HOME_DIR := $(CURDIR)/.basalt/dagster
DAGSTER_PORT ?= 3000

# Dagster reads $(DAGSTER_HOME)/dagster.yaml: telemetry off, at most two runs at a time.
# `make dagster` runs dg dev (through basalt dagster dev) and reloads its code location when
# a demo is saved.
$(DAGSTER_HOME_DIR)/dagster.yaml: dagster.yaml
	mkdir -p $(DAGSTER_HOME_DIR)
	cp dagster.yaml $@

dagster: venv $(DAGSTER_HOME_DIR)/dagster.yaml
	DAGSTER_HOME=$(DAGSTER_HOME_DIR) $(BIN)/basalt dagster dev --host 127.0.0.1 --port $(DAGSTER_PORT)

# make materialize DEMO=01 PARTITION='2025-01-02|mic=XLON'   (quote it: | is a shell pipe)
# make materialize DEMO=01 DATE=2025-01-02 UNIVERSE=mic=XLON
materialize: venv $(DAGSTER_HOME_DIR)/dagster.yaml
	@test -n "$(DEMO)" || { echo "usage: make materialize DEMO=01 PARTITION='2025-01-02|mic=XLON'" >&2; exit 2; }
	DAGSTER_HOME=$(DAGSTER_HOME_DIR) $(BIN)/python -m basalt.dagster.materialize --demo '$(DEMO)' \
	  $(if $(PARTITION),--partition '$(PARTITION)',--date '$(DATE)' --universe '$(UNIVERSE)')

clean:
	rm -rf $(VENV) .basalt .pytest_cache .ruff_cache .hypothesis
