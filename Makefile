# Everything runs from the project's own virtual environment, created and filled with
# pinned versions on first use. Nothing needs to be installed by hand.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export PYTHONDONTWRITEBYTECODE := 1
# Validation tools (tools/): extra pins in .venv, checkov in its own venv (it pins an old
# boto3), asl-validator from npm, the fake providers built from the pinned schemas.
TOOLS_STAMP := $(VENV)/.tools-installed
CHECKOV_VENV := .cache/venv-checkov
CHECKOV_STAMP := $(CHECKOV_VENV)/.installed
NODE_STAMP := node_modules/.installed
SCHEMAS_STAMP := .cache/fakeprovider/.built

# make e2e: the real hashicorp/aws provider from this filesystem mirror (the machine
# image's 5.100.0); empty: Terraform installs aws and archive from the registry.
AWS_PROVIDER_MIRROR ?= /opt/tf-plugins
export AWS_PROVIDER_MIRROR

.PHONY: help venv test demo e2e unit clean tools lint format validate tftest docs

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-10s %s\n", $$1, $$2}'

$(STAMP): requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $(STAMP)

venv: $(STAMP) ## create the virtual environment with pinned dependencies

test: $(STAMP) tools lint validate tftest e2e ## run the whole test suite
	$(BIN)/pytest

demo: $(STAMP) tools ## run one full rotation on the local emulator
	PYTHONPATH=lambda $(BIN)/python -m tests.emulator.demo

e2e: $(STAMP) tools ## apply the examples with the real AWS provider against moto, rotate, destroy
	PYTHONPATH=lambda $(BIN)/python -m tests.emulator.e2e

$(TOOLS_STAMP): $(STAMP) requirements-tools.txt
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-tools.txt
	touch $(TOOLS_STAMP)

$(CHECKOV_STAMP): requirements-checkov.txt
	$(PYTHON) -m venv $(CHECKOV_VENV)
	$(CHECKOV_VENV)/bin/pip install --quiet --disable-pip-version-check -r requirements-checkov.txt
	touch $(CHECKOV_STAMP)

$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $(NODE_STAMP)

# pip download --no-deps of the pinned cdktf provider wheels into .cache/wheels, then the
# fake providers' mirrors are built from their jsii assemblies under .cache/fakeprovider
# (pins: tools/fakeprovider/schema.py).
$(SCHEMAS_STAMP): $(TOOLS_STAMP) tools/fakeprovider/schema.py
	$(BIN)/python -m tools.fakeprovider setup
	mkdir -p $(dir $(SCHEMAS_STAMP)) && touch $(SCHEMAS_STAMP)

tools: $(TOOLS_STAMP) $(CHECKOV_STAMP) $(NODE_STAMP) $(SCHEMAS_STAMP) ## install the validation tools

lint: $(TOOLS_STAMP) ## ruff (lint, format check) and mypy over lambda/, tests/, tools/
	$(BIN)/ruff check lambda tests tools
	$(BIN)/ruff format --check lambda tests tools
	$(BIN)/mypy

format: $(TOOLS_STAMP) ## apply ruff's formatting and safe fixes to lambda/, tests/, tools/
	$(BIN)/ruff format lambda tests tools
	$(BIN)/ruff check --fix lambda tests tools

validate: tools ## lower bounds = floor pins, terraform fmt, ASL (asl-validator), checkov
	$(BIN)/python -m tools.tfcheck validate

tftest: tools ## terraform init, validate (module, examples) and test on fake providers, newest and floor pins
	$(BIN)/python -m tools.fakeprovider validate

docs: $(TOOLS_STAMP) ## regenerate the inputs/outputs block of README.md
	$(BIN)/python -m tools.tfcheck docs

clean: ## remove the virtual environment and caches
	rm -rf $(VENV) .cache .pytest_cache .mypy_cache .ruff_cache .hypothesis
