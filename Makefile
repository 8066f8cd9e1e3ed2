# Two commands for a fresh machine: `make run` and `make test`. Everything they need
# is installed from PyPI (and Debian's Chromium for the browser tests).

VENV        := .venv
BIN         := $(CURDIR)/$(VENV)/bin
PYTHON      ?= python3
PORT        ?= 3000
HOST        ?= 127.0.0.1
# Links in email point where the app runs; set APP_BASE_URL yourself behind a proxy.
APP_BASE_URL ?= http://localhost:$(PORT)
export APP_BASE_URL

export PATH := $(BIN):$(PATH)
# bun and Node come from PyPI wheels in the venv; Reflex's own bun download fails offline.
export REFLEX_USE_SYSTEM_BUN := 1
export REFLEX_CHECK_LATEST_VERSION := 0
export REFLEX_TELEMETRY_ENABLED := false

.PHONY: run dev install migrate test lint test-unit test-postgres test-e2e test-e2e-dev test-e2e-prod test-e2e-single-port test-cluster cluster cluster-stop chromium redis-server nginx postgresql clean

run: migrate ## Install, migrate and start the app on http://localhost:3000
	@echo ""
	@echo "  Session is starting: open http://localhost:$(PORT) (email arrives in http://localhost:$(PORT)/dev/mailbox)"
	@echo ""
	reflex run --env prod --single-port --frontend-port $(PORT) --backend-port $(PORT) --backend-host $(HOST)

dev: migrate ## The same app with hot reload (pages on :3000, backend on :8000)
	APP_BASE_URL=http://localhost:3000 reflex run --env dev

install: $(VENV)/.installed

$(VENV)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.txt
	@touch $@

AXE_CORE := 4.14.1

$(VENV)/.test-installed: requirements-test.txt $(VENV)/.installed Makefile
	$(BIN)/pip install --quiet -r requirements-test.txt
	# The accessibility audit's engine, from the npm registry with the venv's own npm.
	$(BIN)/npm install --silent --prefix $(VENV)/axe --no-audit --no-fund axe-core@$(AXE_CORE)
	@touch $@

migrate: install
	reflex db migrate

redis-server:
	@command -v redis-server >/dev/null 2>&1 || { \
		echo "Installing Debian's Redis for the shared rate-limit test"; \
		SUDO=$$( [ "$$(id -u)" -eq 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq redis-server >/dev/null; }

nginx:
	@command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || { \
		echo "Installing Debian's nginx for the cluster"; \
		SUDO=$$( [ "$$(id -u)" -eq 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq nginx-light >/dev/null; }

postgresql:
	@ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || command -v initdb >/dev/null 2>&1 || { \
		echo "Installing Debian's PostgreSQL"; \
		SUDO=$$( [ "$$(id -u)" -eq 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq postgresql >/dev/null; }

# Session as teams deploy it, on http://localhost:8080: two workers behind nginx (round
# robin), PostgreSQL, Redis and an S3 object store, all on loopback (tests/support/cluster.py).
cluster: $(VENV)/.test-installed redis-server nginx postgresql
	$(BIN)/python -m tests.support.cluster start

cluster-stop:
	$(BIN)/python -m tests.support.cluster stop

chromium:
	@command -v chromium >/dev/null 2>&1 || { \
		echo "Installing Debian's Chromium for the browser tests"; \
		SUDO=$$( [ "$$(id -u)" -eq 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq chromium >/dev/null; }

test: lint test-unit test-postgres test-e2e test-cluster ## Every test: lint, unit and integration (SQLite, then PostgreSQL), the browser journeys, then the cluster

# The style the code claims, enforced: ruff's rules and format, and mypy over the domain.
lint: $(VENV)/.test-installed
	$(BIN)/ruff check session_app tests benchmarks alembic/env.py rxconfig.py
	$(BIN)/ruff format --check session_app tests benchmarks alembic/env.py rxconfig.py
	$(BIN)/mypy

test-unit: $(VENV)/.test-installed redis-server
	$(BIN)/python -m pytest tests/unit tests/integration

# The same tests against a throwaway PostgreSQL cluster (installed from Debian if missing).
test-postgres: $(VENV)/.test-installed redis-server
	tests/support/with_postgres.sh $(BIN)/python -m pytest tests/unit tests/integration

# Dev and production builds run as separate invocations: both in one process broke the app.
# single-port is the server exactly as `make run` starts it.
test-e2e: test-e2e-dev test-e2e-prod test-e2e-single-port

test-e2e-dev: $(VENV)/.test-installed chromium
	E2E_MODE=dev $(BIN)/python -m pytest tests/e2e

test-e2e-prod: $(VENV)/.test-installed chromium
	E2E_MODE=prod $(BIN)/python -m pytest tests/e2e

test-e2e-single-port: $(VENV)/.test-installed chromium
	E2E_MODE=single-port $(BIN)/python -m pytest tests/e2e

# The journeys marked `cluster` against `make cluster`, then a smoke run of the load
# client (never failing on a number); the cluster is stopped whatever happens.
test-cluster: $(VENV)/.test-installed chromium
	$(MAKE) cluster
	E2E_MODE=cluster $(BIN)/python -m pytest tests/e2e && $(BIN)/python benchmarks/load.py workers --quick; \
		status=$$?; $(MAKE) cluster-stop && exit $$status

# Every target of issue 16 but the soak's, about 10 minutes: the websocket path (event
# round trip, typing load, CPU per event, memory per tab) against a bare python-socketio
# echo under the same granian, interleaved in one run (benchmarks/bench.py); the lobby
# sweep (benchmarks/lobby.py); first paint of the room and host pages (benchmarks/paint.py).
# Each prints its table and writes its JSON to benchmarks/results/. bench-smoke is the
# quick run of the first two (under a minute), as the unit suite runs it; none fails on a number.
.PHONY: bench bench-smoke soak
bench: $(VENV)/.test-installed
	$(BIN)/python benchmarks/bench.py
	$(BIN)/python benchmarks/lobby.py
	$(BIN)/python benchmarks/paint.py

bench-smoke: $(VENV)/.test-installed
	$(BIN)/python benchmarks/bench.py --quick
	$(BIN)/python benchmarks/lobby.py --quick

# Thirty minutes of mixed typing and lobby traffic, then the wait for every tab's state to
# expire (benchmarks/soak.py): does the server slow down or grow with age?
soak: $(VENV)/.test-installed
	$(BIN)/python benchmarks/soak.py

clean:
	rm -rf .web .states .cluster $(VENV)
