# The two commands of the README: `make run` and `make test`.
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 5000
FLASK := PORTAL_ENV=local $(BIN)/flask --app app

.PHONY: run test lint format db-start db-stop bench

$(VENV)/.runtime: requirements.txt
	python3 -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -r requirements.txt
	touch $@

$(VENV)/.dev: $(VENV)/.runtime requirements-dev.txt
	$(BIN)/pip install -q -r requirements-dev.txt
	touch $@

run: $(VENV)/.runtime
	scripts/ensure-system.sh
	$(BIN)/python -m portal.localpg start
	$(FLASK) db upgrade
	$(FLASK) seed-demo --if-empty
	@echo
	@echo "Portal at http://127.0.0.1:$(PORT)"
	@echo "Demo users (password: $${DEMO_PASSWORD:-portal-demo}):"
	@echo "  owner@ admin@ marketer@ manager@ rep1@ rep2@ viewer@  at acme.test, northwind.test, initech.test"
	@echo "Demo mailbox (what the portal e-mails: reset links, invitations) at http://127.0.0.1:$(PORT)/dev/mail"
	@echo
	PORTAL_ENV=local $(BIN)/python scripts/run_local.py $(PORT)

test: $(VENV)/.dev
	scripts/ensure-system.sh --browser
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/pytest

lint: $(VENV)/.dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

db-start: $(VENV)/.runtime
	$(BIN)/python -m portal.localpg start

db-stop:
	$(BIN)/python -m portal.localpg stop
