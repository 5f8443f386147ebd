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
# make mutate: mutmut (requirements-mutate.txt) in .venv, run in MUTATE_DIR (see pyproject.toml).
MUTATE_STAMP := $(VENV)/.mutate-installed
MUTATE_DIR := .cache/mutate
# make bench: matplotlib for the chart (requirements-bench.txt) in .venv.
BENCH_STAMP := $(VENV)/.bench-installed
# make e2e runs docs/operations.md's snippets with the AWS CLI from PyPI, in its own venv
# (awscli pins its own botocore); make sandbox and make init take an example's name.
AWSCLI_VENV := .cache/venv-awscli
AWSCLI_STAMP := $(AWSCLI_VENV)/.installed
EXAMPLE ?= basic

# make e2e: the real hashicorp/aws provider from this filesystem mirror (the machine
# image's 5.100.0); empty: Terraform installs aws and archive from the registry.
AWS_PROVIDER_MIRROR ?= /opt/tf-plugins
export AWS_PROVIDER_MIRROR

.PHONY: help venv test test-fast pytest pytest-core pytest-tools fuzz demo e2e unit clean tools lint format validate tftest docs mutate bench sandbox init awscli

help: ## list the targets
	@grep -E '^[a-z0-9-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-13s %s\n", $$1, $$2}'

$(STAMP): requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $(STAMP)

venv: $(STAMP) ## create the virtual environment with pinned dependencies

# Every stage side by side, four at a time, as soon as what it needs is installed: the
# virtual environments install side by side (.venv, the AWS CLI's, checkov's); e2e and
# pytest-core need only .venv and start while the tools install; pytest-tools, lint,
# validate and tftest follow. Two cores stay busy instead of waiting on one stage at a
# time. --output-sync: each stage's output in one piece, printed when it ends.
test: ## run the whole test suite
	$(MAKE) --no-print-directory -j4 --output-sync=target e2e pytest-core pytest-tools lint validate tftest

pytest: $(STAMP) tools ## the pytest suite alone, in two worker processes
	$(BIN)/pytest -n 2 --dist loadgroup

# make test's two parts of the pytest suite: only tests/terraform needs the tools
# (checkov, asl-validator, the fake providers), so the rest starts with .venv.
TOOL_TESTS := tests/terraform

pytest-core: $(STAMP) ## the pytest suite but tests/terraform (needs only .venv)
	$(BIN)/pytest -n 2 --dist loadgroup --ignore=$(TOOL_TESTS)

pytest-tools: $(STAMP) tools ## tests/terraform: the module's files, docs and the offline tools
	$(BIN)/pytest -n 2 $(TOOL_TESTS)

# The property tests with the example counts they name; make test and test-fast draw a
# quarter of each (tests/fuzzing.py). The files are those that import it.
FUZZ_TESTS = $(shell grep -rl --include='*.py' 'from tests.fuzzing import' tests)

fuzz: $(STAMP) ## the property tests with their thorough example counts (make test draws a quarter)
	FUZZ=thorough $(BIN)/pytest -n 2 $(FUZZ_TESTS)

# The fast tier for the inner loop: the pure modules, the handlers and the roles'
# policies (a plan of the module, no apply, no example). Named by path: a path that is
# gone fails the run instead of dropping its tests.
FAST_TESTS := tests/unit tests/handlers tests/provider/test_policies.py tests/tools

test-fast: $(STAMP) ## unit, handler and policy tests (no apply, no example): the inner loop
	$(BIN)/pytest -n 2 $(FAST_TESTS)

# demo, e2e and bench need only .venv: their plans of the module use the real
# hashicorp/aws and the fake hashicorp/archive alone, which the emulator builds on
# first use (tools/fakeprovider/build.py archive_stand_in, seconds).
demo: $(STAMP) ## run one full rotation on the local emulator
	PYTHONPATH=lambda $(BIN)/python -m tests.emulator.demo

e2e: $(STAMP) $(AWSCLI_STAMP) ## apply the examples with the real AWS provider against moto, rotate, run docs/operations.md's snippets, destroy
	PYTHONPATH=lambda $(BIN)/python -m tests.emulator.e2e

$(AWSCLI_STAMP): requirements-awscli.txt
	$(PYTHON) -m venv $(AWSCLI_VENV)
	$(AWSCLI_VENV)/bin/pip install --quiet --disable-pip-version-check -r requirements-awscli.txt
	touch $(AWSCLI_STAMP)

awscli: $(AWSCLI_STAMP) ## install the pinned AWS CLI (v1, PyPI) that runs docs/operations.md's snippets

# Like demo and e2e, only .venv: the archive stand-in is built on first use.
sandbox: $(STAMP) ## apply EXAMPLE (default basic) onto a local endpoint and keep it running; Ctrl-C destroys
	PYTHONPATH=lambda $(BIN)/python -m tests.emulator.sandbox $(EXAMPLE)

init: $(STAMP) ## terraform init examples/EXAMPLE (default basic) offline; prints TF_CLI_CONFIG_FILE
	PYTHONPATH=lambda $(BIN)/python -m tests.emulator.sandbox --init-only $(EXAMPLE)

$(BENCH_STAMP): $(STAMP) requirements-bench.txt
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-bench.txt
	touch $(BENCH_STAMP)

# Not part of `make test`: a benchmark (a few minutes), not a timed test.
bench: $(STAMP) $(BENCH_STAMP) ## module vs original on the emulator: transitions, cost, lag; bench/results.json, bench/chart.png
	PYTHONPATH=lambda $(BIN)/python -m bench

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

lint: $(TOOLS_STAMP) ## ruff (lint, format check) and mypy over lambda/, tests/, tools/, bench/
	$(BIN)/ruff check lambda tests tools bench
	$(BIN)/ruff format --check lambda tests tools bench
	$(BIN)/mypy

format: $(TOOLS_STAMP) ## apply ruff's formatting and safe fixes to lambda/, tests/, tools/, bench/
	$(BIN)/ruff format lambda tests tools bench
	$(BIN)/ruff check --fix lambda tests tools bench

validate: tools ## lower bounds = floor pins, terraform fmt, ASL (asl-validator), checkov
	$(BIN)/python -m tools.tfcheck validate

tftest: tools ## terraform init and validate (module, examples) on fake providers, newest and floor pins; terraform test, newest
	$(BIN)/python -m tools.fakeprovider validate

$(MUTATE_STAMP): $(STAMP) requirements-mutate.txt
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-mutate.txt
	touch $(MUTATE_STAMP)

# Not part of `make test`. mutmut names a mutant's module after its path, so it runs in
# $(MUTATE_DIR), where rotator/ is lambda/rotator (links to the repository's files); every
# run starts from a fresh copy, so no result is left over from older code or tests.
mutate: $(MUTATE_STAMP) ## mutation testing of the pure modules against tests/unit, score per module
	rm -rf $(MUTATE_DIR) && mkdir -p $(MUTATE_DIR)
	ln -s ../../lambda/rotator $(MUTATE_DIR)/rotator
	for f in tests bench pyproject.toml variables.tf; do ln -s ../../$$f $(MUTATE_DIR)/$$f; done
	cd $(MUTATE_DIR) && ../../$(BIN)/mutmut run --max-children 2 > run.log 2>&1 \
		|| { tail -n 40 run.log; echo "mutmut run failed; log: $(MUTATE_DIR)/run.log"; exit 1; }
	cd $(MUTATE_DIR) && ../../$(BIN)/mutmut results --all true > results.txt
	$(BIN)/python -m tools.mutation_report $(MUTATE_DIR)/results.txt --fail-under 95

docs: $(TOOLS_STAMP) ## regenerate README.md's inputs/outputs block and the docs' figures from bench/results.json
	$(BIN)/python -m tools.tfcheck docs
	$(BIN)/python -m tools.docfigures update

clean: ## remove the virtual environment and caches
	rm -rf $(VENV) .cache .pytest_cache .mypy_cache .ruff_cache .hypothesis
