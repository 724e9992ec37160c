# pixgate: two commands. `make run` serves on SQLite; `make test` runs the whole suite.
# Every Python install comes from uv.lock (exact versions and hashes): `make run` syncs the
# runtime set, `make test` the runtime set plus the test extra. `make lock` refreshes the lock.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 5000
VENDOR := src/pixgate/web/static/vendor
ENV_FILE ?= .env
# uv itself lives in its own small virtualenv, installed by pip from hash-pinned requirements.
TOOLS := .tools
UV := $(TOOLS)/bin/uv
# Sync into $(VENV) with $(PYTHON); never download an interpreter.
UV_RUN := UV_PROJECT_ENVIRONMENT=$(abspath $(VENV)) UV_PYTHON_DOWNLOADS=never $(UV)
# Bytecode is compiled at install: with PYTHONDONTWRITEBYTECODE set (as on CI machines) every
# process would otherwise compile each module again at start-up (~4 s of CPU per server).
SYNC := $(UV_RUN) sync --frozen --python $(PYTHON) --quiet --compile-bytecode

.PHONY: run test install install-test assets system-packages lock check-lock dist env lint \
	bench clean

# The demo receiver and secret below are for a laptop; set your own PIXGATE_* in production.
# PIXGATE_PUBLIC_URL defaults to the address `pixgate serve` binds.
RUN_ENV := PIXGATE_SANDBOX=$${PIXGATE_SANDBOX:-1} \
	PIXGATE_WEBHOOK_SECRET=$${PIXGATE_WEBHOOK_SECRET:-dev-secret-change-me}

run: install
	@mkdir -p instance
	$(BIN)/pixgate db upgrade
	@echo ""
	@echo "pixgate on http://$(HOST):$(PORT)  (SQLite at instance/pixgate.db, sandbox on)"
	@echo "Create a payment:"
	@echo "  curl -s -X POST http://$(HOST):$(PORT)/payments/pix -H 'Content-Type: application/json' -d '{\"value\": 100.00}'"
	@echo "Open its payment_url, then pay it as a bank app would:"
	@echo "  curl -s -X POST http://$(HOST):$(PORT)/sandbox/pay -H 'Content-Type: application/json' -d '{\"txid\": \"<bank_payment_id>\"}'"
	@echo ""
	$(RUN_ENV) $(BIN)/pixgate serve --host $(HOST) --port $(PORT)

test: install-test
	$(BIN)/ruff check src tests bench wsgi.py
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# The runtime set only, exactly as locked (packages not in it are removed).
install: $(UV) assets
	$(SYNC) --no-dev

install-test: $(UV) assets system-packages
	$(SYNC) --no-dev --extra test

$(UV): requirements/uv.txt
	test -x $(TOOLS)/bin/pip || $(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet --require-hashes -r requirements/uv.txt
	touch $@

# Re-resolve after editing dependencies in pyproject.toml (other pins stay as they are);
# UPGRADE=1 moves every pin, uv's own included, to the newest release that fits.
lock: $(UV)
	$(UV_RUN) lock --python $(PYTHON) $(if $(UPGRADE),--upgrade)
	$(if $(UPGRADE),$(UV_RUN) pip compile --quiet --upgrade --generate-hashes \
		--custom-compile-command "make lock" requirements/uv.in -o requirements/uv.txt)

# CI: uv.lock must match pyproject.toml (a dependency added without `make lock` fails here).
check-lock: $(UV)
	$(UV_RUN) lock --check --python $(PYTHON)

# sdist + wheel in dist/, with the npm-installed Socket.IO client, templates, static files
# and migrations inside (package-data in pyproject.toml).
dist: $(UV) assets
	rm -rf dist
	$(UV_RUN) build --quiet --python $(PYTHON) --out-dir dist
	@ls dist

# docker-compose.yml reads its secrets from $(ENV_FILE): random ones, written once.
env: $(ENV_FILE)
$(ENV_FILE):
	$(PYTHON) deploy/new_env.py $@

# The browser tests drive Debian's Chromium (Playwright's own browser download is not used);
# the deployment test runs Debian's nginx in front of `pixgate serve --workers 2`.
system-packages:
	@missing=""; \
	[ -x /usr/bin/chromium ] || missing="$$missing chromium"; \
	[ -x /usr/sbin/nginx ] || missing="$$missing nginx"; \
	if [ -z "$$missing" ]; then :; \
	elif [ "$$(id -u)" = 0 ]; then apt-get update && apt-get install -y $$missing; \
	else echo "the browser and nginx tests need:$$missing: run 'sudo apt-get install -y$$missing'"; fi

assets: $(VENDOR)/socket.io.min.js

# node_modules also holds axe-core, which only the browser tests inject (never served).
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

$(VENDOR)/socket.io.min.js: node_modules/.installed
	mkdir -p $(VENDOR)
	cp node_modules/socket.io-client/dist/socket.io.min.js $(VENDOR)/
	cp node_modules/socket.io-client/dist/socket.io.min.js.map $(VENDOR)/

lint: install-test
	$(BIN)/ruff check src tests bench wsgi.py

bench: install-test
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) $(TOOLS) node_modules $(VENDOR) .pytest_cache build dist
