"""``python -m tools.tfcheck``: the checks Terraform's own validation does not make.

    python -m tools.tfcheck validate [--root DIR] [--only CHECK,...] [--skip CHECK,...]
    python -m tools.tfcheck docs [--check]

Checks (all by default, in this order): bounds, fmt, asl, checkov (what each does:
tools/README.md). Schemas and references are ``python -m tools.fakeprovider validate``'s.
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


def _check(check: str, root: Path) -> list[Finding]:
    template = root / "statemachine.json.tpl"
    try:
        if check == "bounds":
            return bounds.check_lower_bounds(load_module(root), bounds.floor_pins())
    except HclParseError as exc:
        return [Finding(exc.file, exc.line, check, exc.message)]
    if check == "fmt":
        return terraform.check_fmt(root)
    if check == "asl":
        if template.exists():
            return asl.check_template(template)
        return [Finding(str(template), 0, check, "state machine template is missing")]
    return checkov_check.check_checkov(root, module_directories(root))


def _names(value: str) -> list[str]:
    names = [n.strip() for n in value.split(",") if n.strip()]
    if unknown := sorted(set(names) - set(CHECKS)):
        raise argparse.ArgumentTypeError(f"unknown check(s) {unknown}; known: {', '.join(CHECKS)}")
    return names


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.tfcheck", description=__doc__)
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    parser.add_argument("command", choices=("validate", "docs"))
    parser.add_argument("--root", type=Path, default=REPO_ROOT)
    parser.add_argument("--only", type=_names, default=CHECKS, help="validate: these checks")
    parser.add_argument("--skip", type=_names, default=(), help="validate: not these")
    parser.add_argument("--check", action="store_true", help="docs: only report if out of date")
    args = parser.parse_args(argv)
    root = args.root.resolve()
    if args.command == "docs":
        readme = root / "README.md"
        if args.check and (problem := docs.check_readme(root, readme)):
            print(problem, file=sys.stderr)
            return 1
        changed = not args.check and docs.write_readme(root, readme)
        print(f"{readme}: {'updated' if changed else 'up to date'}")
        return 0
    checks = [c for c in args.only if c not in args.skip]
    findings: list[Finding] = []
    for check in checks:
        started = time.monotonic()
        findings += (found := _check(check, root))
        elapsed = time.monotonic() - started
        print(f"{check}: {len(found)} finding(s) in {elapsed:.1f}s", file=sys.stderr)
    if findings:
        print(render_all(findings, root))
        print(f"{len(findings)} finding(s)", file=sys.stderr)
        return 1
    print(f"validate: {', '.join(checks)}: no findings", file=sys.stderr)
    return 0
