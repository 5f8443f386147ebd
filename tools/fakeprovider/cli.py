"""``python -m tools.fakeprovider``: Terraform's own validation, offline, on fake providers.

    python -m tools.fakeprovider setup
    python -m tools.fakeprovider validate [--root DIR] [--pins newest,floor] [--no-test]
                                          [--only-root]

``setup`` builds the mirrors (``build.py``); ``validate`` runs ``terraform init`` and
``validate`` on a copy per pin set and ``test`` with the newest pins, and exits 1 on any
error diagnostic or failed test (printed as ``file:line: [fakeprovider] ...``; details:
tools/README.md).
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from tools.tfcheck import terraform
from tools.tfcheck.config import copy_tree, module_directories
from tools.tfcheck.findings import Finding, render_all

from .build import PIN_SETS, PinSet, setup
from .schema import REPO_ROOT

CHECK = "fakeprovider"
# The pin sets `terraform test` runs with. The floor pins get init and validate only:
# the tests plan on mock providers, and what an older provider lacks (an argument, an
# attribute, a block) is a schema error, which validate finds in the module and in each
# example; a second `terraform test` cost about 50 CPU-s of `make test`.
TEST_PINS = ("newest",)
_COMMANDS = {
    "init": ["init", "-backend=false", "-input=false", "-json"],
    "validate": ["validate", "-no-tests", "-json"],  # `terraform test` validates its files
    "test": ["test", "-json"],
}


@dataclass(frozen=True)
class Step:
    """One Terraform command in one directory of one pin set's copy of the tree."""

    pins: PinSet
    directory: Path  # the original
    work: Path  # the copy it ran in
    command: str
    result: terraform.Result
    seconds: float


def _copy(root: Path, directories: list[Path], destination: Path) -> None:
    copy_tree(root, directories, destination)
    if (root / "lambda").is_dir():  # read by the module's archive_file
        ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
        shutil.copytree(root / "lambda", destination / "lambda", ignore=ignore)
    # Terraform's test files (under tests/), and the mock data files they share.
    for pattern in ("tests/*.tftest.hcl", "tests/**/*.tfmock.hcl"):
        for path in sorted(root.glob(pattern)):
            target = destination / path.relative_to(root)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, target)


def _findings(step: Step, copy_root: Path, root: Path) -> list[Finding]:
    """A finding for each error diagnostic of a step (any diagnostic, if it failed)."""
    found = []
    for diagnostic in terraform.diagnostics(step.result.stdout):
        if diagnostic["severity"] != "error" and step.result.returncode == 0:
            continue  # warnings of a successful command are logged, not findings
        where = diagnostic.get("range") or {}
        file = str(step.directory)
        if "filename" in where:
            copy = (step.work / where["filename"]).resolve()
            file = str(root / copy.relative_to(copy_root.resolve()))
        message = f"terraform {step.command}: {diagnostic['severity'].capitalize()}: "
        message += f"{diagnostic['summary']}. {diagnostic.get('detail') or ''}".strip()
        found.append(Finding(file, where.get("start", {}).get("line", 0), CHECK, message))
    if step.result.returncode != 0 and not found:
        summary = [m["@message"] for m in terraform.messages(step.result.stdout, "test_summary")]
        text = "; ".join(summary) or (step.result.stdout + step.result.stderr).strip()[-800:]
        found.append(Finding(str(step.directory), 0, CHECK, f"terraform {step.command}: {text}"))
    return found


def _merge(by_finding: dict[Finding, list[str]], pin_sets: dict[str, PinSet]) -> list[Finding]:
    """One finding per problem, naming the pin sets it was found with; one found only
    with the floor pins says that the newest accept it."""
    merged = []
    for f, names in by_finding.items():
        note = "; ".join(f"{n}: {pin_sets[n].describe()}" for n in names)
        if names == ["floor"] and "newest" in pin_sets:
            note += "; the newest pins accept this: raise the lower bound in required_providers"
        merged.append(Finding(f.file, f.line, f.check, f"{f.message} ({note})"))
    return sorted(merged)


def run_validate(
    root: Path,
    pin_names: tuple[str, ...] = tuple(PIN_SETS),
    test: bool = True,
    log: Callable[[str], None] = print,
    only_root: bool = False,
) -> list[Finding]:
    """``only_root``: the module at ``root`` alone, not its submodules and examples."""
    root = root.resolve()
    directories = [root] if only_root else module_directories(root)
    if not directories:
        return [Finding(str(root), 0, CHECK, "no *.tf files in the module or its examples")]
    selected = {name: pins for name, pins in setup().items() if name in pin_names}
    by_finding: dict[Finding, list[str]] = {}  # -> the pin sets it was found with
    with tempfile.TemporaryDirectory(prefix="fakeprovider-") as tmp:
        copies = {name: Path(tmp) / name for name in selected}
        for copy_root in copies.values():
            _copy(root, directories, copy_root)

        def step(pins: PinSet, directory: Path, command: str) -> Step:
            started, work = time.monotonic(), copies[pins.name] / directory.relative_to(root)
            result = terraform.run(_COMMANDS[command], work, cli_config=pins.cli_config)
            return Step(pins, directory, work, command, result, time.monotonic() - started)

        def init_and_validate(job: tuple[PinSet, Path]) -> list[Step]:
            init = step(*job, "init")
            return [init, step(*job, "validate")] if init.result.returncode == 0 else [init]

        with ThreadPoolExecutor(max_workers=8) as pool:
            jobs = [(pins, d) for pins in selected.values() for d in directories]
            steps = [s for found in pool.map(init_and_validate, jobs) for s in found]
            validated = [
                s.pins
                for s in steps
                if s.directory == root and s.command == "validate" and s.pins.name in TEST_PINS
            ]
            if test:
                steps += pool.map(lambda pins: step(pins, root, "test"), validated)
        for s in steps:
            status = "ok" if s.result.returncode == 0 else f"exit {s.result.returncode}"
            where = f"{s.directory.relative_to(root)}: {status} in {s.seconds:.1f}s"
            log(f"{s.pins.name} ({s.pins.describe()}): terraform {s.command} {where}")
            for message in terraform.messages(s.result.stdout):  # each test run's outcome
                complete = message.get("test_run", {}).get("progress", "complete") == "complete"
                if message.get("type") in ("test_run", "test_summary") and complete:
                    log(f"  {message['@message'].strip()}")
            for finding in _findings(s, copies[s.pins.name], root):
                if s.pins.name not in (names := by_finding.setdefault(finding, [])):
                    names.append(s.pins.name)
    return _merge(by_finding, selected)


def _pin_names(value: str) -> tuple[str, ...]:
    names = tuple(n.strip() for n in value.split(",") if n.strip())
    if set(names) - set(PIN_SETS) or not names:
        raise argparse.ArgumentTypeError(f"pin sets are {', '.join(PIN_SETS)}; got {value!r}")
    return names


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.fakeprovider", description=__doc__)
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    parser.add_argument("command", choices=("setup", "validate"))
    parser.add_argument("--root", type=Path, default=REPO_ROOT, help="validate: the module")
    parser.add_argument("--pins", type=_pin_names, default=tuple(PIN_SETS), help="validate")
    parser.add_argument("--no-test", action="store_true", help="validate: no `terraform test`")
    parser.add_argument(
        "--only-root", action="store_true", help="validate: the module alone, not its examples"
    )
    args = parser.parse_args(argv)
    started = time.monotonic()
    if args.command == "setup":
        for pins in setup().values():
            print(f"{pins.name}: {pins.describe()}: TF_CLI_CONFIG_FILE={pins.cli_config}")
        print(f"setup: {time.monotonic() - started:.1f}s", file=sys.stderr)
        return 0
    log = lambda line: print(line, file=sys.stderr)  # noqa: E731
    findings = run_validate(
        args.root, args.pins, test=not args.no_test, log=log, only_root=args.only_root
    )
    elapsed = time.monotonic() - started
    if findings:
        print(render_all(findings, args.root.resolve()))
    count = f"{len(findings)} finding(s)" if findings else "no findings"
    print(f"fakeprovider: {count} in {elapsed:.1f}s", file=sys.stderr)
    return 1 if findings else 0
