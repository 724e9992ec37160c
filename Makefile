# pixgate: two commands. `make run` serves on SQLite; `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 5000
VENDOR := src/pixgate/web/static/vendor

.PHONY: run test install install-test assets chromium lint bench clean

# The demo receiver and secrets below are for a laptop; set your own PIXGATE_* in production.
RUN_ENV := PIXGATE_SANDBOX=$${PIXGATE_SANDBOX:-1} \
	PIXGATE_WEBHOOK_SECRET=$${PIXGATE_WEBHOOK_SECRET:-dev-secret-change-me} \
	PIXGATE_PUBLIC_URL=$${PIXGATE_PUBLIC_URL:-http://$(HOST):$(PORT)}

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

install: $(VENV)/.installed assets

install-test: $(VENV)/.installed-test assets chromium

# The browser tests drive Debian's Chromium (Playwright's own browser download is not used).
chromium:
	@if [ -x /usr/bin/chromium ]; then :; \
	elif [ "$$(id -u)" = 0 ]; then apt-get update && apt-get install -y chromium; \
	else echo "browser tests need /usr/bin/chromium: run 'sudo apt-get install -y chromium'"; fi

$(VENV)/.installed: pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed pyproject.toml
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

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
	rm -rf $(VENV) node_modules $(VENDOR) .pytest_cache
