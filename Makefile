# The two commands of the README:
#   make run    start the product on this machine (embedded AWS stack, demo data)
#   make test   install what is missing, then run every check CI runs
# Other targets are steps of these two, or deployment helpers.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PORT ?= 8000

.PHONY: run test install browser lint typecheck template unit integration e2e bench layer clean

$(STAMP): requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.lock
	$(BIN)/pip install --quiet --no-deps -e .
	touch $(STAMP)

install: $(STAMP)

browser:
	@scripts/ensure-chromium

run: install
	$(BIN)/python -m infra.local run --port $(PORT)

lint: install
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .

typecheck: install
	$(BIN)/mypy

template: install
	$(BIN)/python -m infra.template build/aws
	$(BIN)/cfn-lint build/aws/sam.json

# Browser tests run in their own process: Playwright's event loop stays open on the main
# thread, where pyHanko's synchronous signing calls asyncio.run.
test: install browser lint typecheck template
	$(BIN)/python -m pytest -n 2 --dist loadgroup -m "not e2e"
	$(BIN)/python -m pytest -m e2e tests/e2e

bench: install
	$(BIN)/python -m tests.bench.aquadrome
	$(BIN)/python -m tests.bench.urbanisme
	$(BIN)/python -m tests.bench.invoicing --households 200 --pdf-sample 50

# Builds the domain layer for Lambda (x86_64, Python 3.11) beside the template.
layer: install
	rm -rf build/aws/layer
	$(BIN)/pip install --quiet --platform manylinux2014_x86_64 --implementation cp \
		--python-version 3.11 --only-binary=:all: --target build/aws/layer/python .

clean:
	rm -rf build .mypy_cache .ruff_cache .pytest_cache
