# Everything runs from the project's own virtual environment, created and filled with
# pinned versions on first use. Nothing needs to be installed by hand.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: help venv test demo unit clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-10s %s\n", $$1, $$2}'

$(STAMP): requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $(STAMP)

venv: $(STAMP) ## create the virtual environment with pinned dependencies

test: $(STAMP) ## run the whole test suite
	$(BIN)/pytest

demo: $(STAMP) ## run one full rotation on the local emulator
	$(BIN)/python -m tests.emulator.demo

clean: ## remove the virtual environment and caches
	rm -rf $(VENV) .cache .pytest_cache .mypy_cache .ruff_cache .hypothesis
