"""``python -m tools.tfcheck``: offline validation of the module and its examples.

    python -m tools.tfcheck validate [--root DIR] [--only CHECK,...] [--skip CHECK,...]
    python -m tools.tfcheck docs [--check]
    python -m tools.tfcheck schemas

Checks (all by default, in this order):
  schema      resource/data/module blocks against the pinned provider schemas (the newest
              and the floor pin of each provider); the root module's required_providers
              lower bounds are the floor pins' versions
  references  every var./local./module./data./resource reference resolves; unused declarations
  terraform   Terraform's own loader (terraform get + providers) on each module directory,
              and calls to functions this Terraform does not have
  fmt         terraform fmt -check
  asl         the rendered state machine passes asl-validator, for several ARN sets
  checkov     zero failed checks; skips only inline, with a reason
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

from . import asl, checkov_check, docs, loader_check, references, schema_check, terraform
from .config import load_module, module_directories
from .findings import Finding, render_all
from .schema import REPO_ROOT, load_floor_schemas, load_schemas

CHECKS = ("schema", "references", "terraform", "fmt", "asl", "checkov")
TEMPLATE_NAME = "statemachine.json.tpl"


def run_checks(
    root: Path, checks: tuple[str, ...] = CHECKS, log: Callable[[str], None] = print
) -> list[Finding]:
    root = root.resolve()
    directories = module_directories(root)
    if not directories:
        return [Finding(str(root), 0, "config", "no *.tf files in the module or its examples")]
    modules = [load_module(d) for d in directories]
    findings: list[Finding] = [f for m in modules for f in m.errors]
    schemas = floor = None
    if {"schema", "references"} & set(checks):
        schemas, floor = load_schemas(), load_floor_schemas()
        log(f"schemas: {schemas.describe()}")
        log(f"floor schemas: {floor.describe()}")
    for check in checks:
        started = time.monotonic()
        if check == "schema":
            assert schemas is not None and floor is not None
            found = schema_check.check_modules(modules, schemas, floor)
            if directories[0] == root:
                found += schema_check.check_lower_bounds(modules[0], floor)
        elif check == "references":
            found = references.check_modules(modules, schemas, floor)
        elif check == "terraform":
            log(f"terraform: {terraform.describe()}")
            found = loader_check.check_loader(root, directories)
            found += loader_check.check_functions(modules)
        elif check == "fmt":
            found = loader_check.check_fmt(root, directories)
        elif check == "asl":
            template = root / TEMPLATE_NAME
            if template.exists():
                found = asl.check_template(template)
            else:
                found = [Finding(str(template), 0, "asl", "state machine template is missing")]
        elif check == "checkov":
            found = checkov_check.check_checkov(root, directories)
        else:
            raise ValueError(f"unknown check {check!r}; known: {', '.join(CHECKS)}")
        log(f"{check}: {len(found)} finding(s) in {time.monotonic() - started:.1f}s")
        findings.extend(found)
    return sorted(set(findings))


def _names(value: str) -> tuple[str, ...]:
    names = tuple(n.strip() for n in value.split(",") if n.strip())
    unknown = set(names) - set(CHECKS)
    if unknown:
        raise argparse.ArgumentTypeError(
            f"unknown check(s) {sorted(unknown)}; known: {', '.join(CHECKS)}"
        )
    return names


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tools.tfcheck", description=__doc__.split("\n")[0]
    )
    sub = parser.add_subparsers(dest="command", required=True)
    validate = sub.add_parser("validate", help="run the checks; exit 1 on any finding")
    validate.add_argument("--root", type=Path, default=REPO_ROOT)
    validate.add_argument("--only", type=_names, default=CHECKS)
    validate.add_argument("--skip", type=_names, default=())
    docs_parser = sub.add_parser("docs", help="regenerate the README's terraform-docs block")
    docs_parser.add_argument("--root", type=Path, default=REPO_ROOT)
    docs_parser.add_argument("--check", action="store_true", help="only report if out of date")
    sub.add_parser("schemas", help="download and cache the provider schemas (newest and floor)")
    args = parser.parse_args(argv)

    if args.command == "schemas":
        print(load_schemas().describe())
        print(f"floor: {load_floor_schemas().describe()}")
        return 0
    if args.command == "docs":
        readme = args.root / "README.md"
        if args.check:
            problem = docs.check_readme(args.root, readme)
            if problem:
                print(problem, file=sys.stderr)
                return 1
            print(f"{readme}: up to date")
            return 0
        changed = docs.write_readme(args.root, readme)
        print(f"{readme}: {'updated' if changed else 'up to date'}")
        return 0

    checks = tuple(c for c in args.only if c not in args.skip)
    findings = run_checks(args.root, checks, log=lambda line: print(line, file=sys.stderr))
    if findings:
        print(render_all(findings, args.root.resolve()))
        print(f"{len(findings)} finding(s)", file=sys.stderr)
        return 1
    print(f"validate: {', '.join(checks)}: no findings", file=sys.stderr)
    return 0
