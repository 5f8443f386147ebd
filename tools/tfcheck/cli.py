"""``python -m tools.tfcheck``: the checks Terraform's own validation does not make.

    python -m tools.tfcheck validate [--root DIR] [--only CHECK,...] [--skip CHECK,...]
    python -m tools.tfcheck docs [--check]

Checks (all by default, in this order):
  bounds   the root module's required_providers lower bounds are the floor pins' versions
  fmt      terraform fmt -check -recursive
  asl      the rendered state machine passes asl-validator, for several ARN sets
  checkov  zero failed checks; skips only inline, with a reason
Schemas, references and Terraform's loader are `terraform validate`'s job, on the fake
providers: ``python -m tools.fakeprovider validate`` (``make tftest``).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from . import asl, bounds, checkov_check, docs, terraform
from .config import load_module, module_directories
from .findings import Finding, render_all
from .hcl import HclParseError

CHECKS = ("bounds", "fmt", "asl", "checkov")
REPO_ROOT = Path(__file__).resolve().parents[2]


def _check(check: str, root: Path, directories: list[Path]) -> list[Finding]:
    if check == "bounds":
        try:
            return bounds.check_lower_bounds(load_module(root), bounds.floor_pins())
        except HclParseError as exc:
            return [Finding(exc.file, exc.line, check, exc.message)]
    if check == "fmt":
        return terraform.check_fmt(root)
    if check == "asl":
        template = root / "statemachine.json.tpl"
        if not template.exists():
            return [Finding(str(template), 0, check, "state machine template is missing")]
        return asl.check_template(template)
    return checkov_check.check_checkov(root, directories)


def _names(value: str) -> tuple[str, ...]:
    names = tuple(n.strip() for n in value.split(",") if n.strip())
    unknown = set(names) - set(CHECKS)
    if unknown:
        raise argparse.ArgumentTypeError(
            f"unknown check(s) {sorted(unknown)}; known: {', '.join(CHECKS)}"
        )
    return names


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.tfcheck", description=__doc__)
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    sub = parser.add_subparsers(dest="command", required=True)
    validate = sub.add_parser("validate", help="run the checks; exit 1 on any finding")
    validate.add_argument("--root", type=Path, default=REPO_ROOT)
    validate.add_argument("--only", type=_names, default=CHECKS)
    validate.add_argument("--skip", type=_names, default=())
    docs_parser = sub.add_parser("docs", help="regenerate the README's terraform-docs block")
    docs_parser.add_argument("--root", type=Path, default=REPO_ROOT)
    docs_parser.add_argument("--check", action="store_true", help="only report if out of date")
    args = parser.parse_args(argv)
    root = args.root.resolve()

    if args.command == "docs":
        readme = root / "README.md"
        problem = docs.check_readme(root, readme)
        if problem and args.check:
            print(problem, file=sys.stderr)
            return 1
        changed = not args.check and docs.write_readme(root, readme)
        print(f"{readme}: {'updated' if changed else 'up to date'}")
        return 0

    checks = tuple(c for c in args.only if c not in args.skip)
    directories = module_directories(root)
    findings: list[Finding] = []
    for check in checks:
        started = time.monotonic()
        found = _check(check, root, directories)
        print(
            f"{check}: {len(found)} finding(s) in {time.monotonic() - started:.1f}s",
            file=sys.stderr,
        )
        findings.extend(found)
    if findings:
        print(render_all(findings, root))
        print(f"{len(findings)} finding(s)", file=sys.stderr)
        return 1
    print(f"validate: {', '.join(checks)}: no findings", file=sys.stderr)
    return 0
